// Runs the polkadot.js examples of the public API docs (docs/pallets/*.md) against a dev node,
// so that the documentation cannot drift from the chain.
//
// In each document, the ```js blocks are joined in order into one async function, with
// `api` (a connected ApiPromise), `Keyring`, `util` (@polkadot/util-crypto) and `assert` in
// scope. A document's examples fail the test if they throw or an assertion fails.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Keyring } from '@polkadot/api';
import * as util from '@polkadot/util-crypto';
import { startDevNode, waitFor } from './lib/devnode.js';

const docsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'pallets');
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

/** The ```js blocks of a markdown document, in order. */
export function jsBlocks(markdown) {
  return [...markdown.matchAll(/^```js\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

const docs = readdirSync(docsDir).filter((f) => f.endsWith('.md')).sort();

test('the docs have polkadot.js examples to run', () => {
  assert.ok(docs.length > 0, `no documents in ${docsDir}`);
  for (const doc of docs) {
    assert.ok(jsBlocks(readFileSync(join(docsDir, doc), 'utf8')).length > 0, `${doc} has no js example`);
  }
});

test('the examples of docs/pallets/*.md run against a dev node', { timeout: 600_000 }, async (t) => {
  const node = await startDevNode(t);
  const api = await node.api();
  await util.cryptoWaitReady();
  await waitFor('the first block', async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 1, 60_000);

  for (const doc of docs) {
    await t.test(doc, async () => {
      const code = jsBlocks(readFileSync(join(docsDir, doc), 'utf8')).join('\n');
      const run = new AsyncFunction('api', 'Keyring', 'util', 'assert', code);
      await run(api, Keyring, util, assert);
    });
  }
});
