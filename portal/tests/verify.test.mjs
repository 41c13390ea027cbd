// The portal's own checks, without a browser (built for Node by `npm run build:test`): the
// hash chain a trail must rebuild to earn its "verified" mark, and the FHIR mapping's codes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { u8aConcat, u8aToHex } from '@polkadot/util';
import { verify, fhirType } from '../.test-build/testing.js';

function chain(n) {
  let h = new Uint8Array(32);
  const entries = [];
  for (let seq = 1; seq <= n; seq++) {
    const bytes = new Uint8Array([seq, 1, 2, 3]);
    h = blake2AsU8a(u8aConcat(h, bytes), 256);
    entries.push({ seq, bytes, head: u8aToHex(h) });
  }
  return { entries, head: { lastSeq: n, head: u8aToHex(h), lastBlock: 9 } };
}

test('a whole trail verifies', () => {
  const { entries, head } = chain(5);
  assert.equal(verify(entries, head), true);
});

test('an altered, dropped or extra entry, or another head, does not', () => {
  const { entries, head } = chain(5);
  const altered = entries.map((e, i) => (i === 2 ? { ...e, bytes: new Uint8Array([9]) } : e));
  assert.match(verify(altered, head), /entry 3 does not hash/);
  assert.match(verify(entries.filter((_, i) => i !== 1), head), /entry 2 is missing/);
  assert.match(verify(entries.slice(0, 4), head), /counts 5 entries, 4 were found/);
  assert.match(verify(entries, { ...head, head: '0x' + '00'.repeat(32) }), /not the trail head/);
});

test('every audit action has its FHIR type, and an unknown one is refused', () => {
  assert.deepEqual(fhirType('AccessReported').action, 'R');
  assert.deepEqual(fhirType('EmergencyAccessOpened').kind[1], '110113');
  assert.throws(() => fhirType('SomethingNew'), /does not know/);
});
