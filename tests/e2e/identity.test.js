// Identity on a dev node: the Providers and Patients pallets are in the runtime's metadata,
// the demo world of the dev preset is there, and a practitioner enrols a patient that
// polkadot.js reads back; a non-practitioner is refused with a named error.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Keyring } from '@polkadot/api';
import { blake2AsHex, cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevNode } from './lib/devnode.js';

/** Signs and submits `tx`; resolves with its events once in a block, rejects with Section.Error. */
function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        unsub();
        const e = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : null;
        reject(new Error(e ? `${e.section}.${e.name}: ${e.docs.join(' ')}` : dispatchError.toString()));
      } else if (status.isInBlock) {
        unsub();
        resolve(events.map(({ event }) => event));
      }
    }).then((u) => { unsub = u; }, reject);
  });
}

test('providers and patients: metadata, demo world, enrolment read back', { timeout: 300_000 }, async (t) => {
  const node = await startDevNode(t);
  const api = await node.api();
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });

  const pallets = api.runtimeMetadata.asLatest.pallets.map((p) => p.name.toString());
  assert.ok(pallets.includes('Providers'), `Providers in ${pallets}`);
  assert.ok(pallets.includes('Patients'), `Patients in ${pallets}`);

  // The dev preset's demo world.
  const hospital = (await api.query.providers.organisations(0)).unwrap();
  assert.equal(hospital.kind.toString(), 'Hospital');
  assert.equal(hospital.admin.toString(), keyring.addFromUri('//Alice').address);
  const eve = keyring.addFromUri('//Eve');
  assert.equal((await api.query.providers.practitioners(eve.address)).unwrap().role.toString(), 'Physician');

  // Eve enrols a new patient; it reads back.
  const controller = keyring.addFromUri(`//e2e-patient-${Date.now()}`);
  const identity = blake2AsHex(`salt ${Date.now()} | e2e identity`);
  const events = await submit(api, api.tx.patients.enrolPatient(controller.address, identity, null), eve);
  const enrolled = events.find((e) => api.events.patients.PatientEnrolled.is(e));
  assert.ok(enrolled, 'PatientEnrolled emitted');
  const id = enrolled.data.patient.toNumber();
  const record = (await api.query.patients.patients(id)).unwrap();
  assert.equal(record.controller.toString(), controller.address);
  assert.equal(record.enrolledBy.toNumber(), 0);
  assert.equal(record.identityCommitment.toHex(), identity);
  assert.equal((await api.query.patients.patientOf(controller.address)).unwrap().toNumber(), id);

  // Alice administers the hospital but is not a practitioner: refused, with a reason.
  await assert.rejects(
    submit(api, api.tx.patients.enrolPatient(keyring.addFromUri('//x').address, blake2AsHex('other'), null), keyring.addFromUri('//Alice')),
    /patients\.NotActivePractitioner: The signer is not a practitioner of an active organisation/,
  );
});
