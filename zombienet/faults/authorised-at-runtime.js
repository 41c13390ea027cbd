// Test 4b: the council authorises mallory's node at run time (a 3-of-4 motion
// `nodeAuthorization.addWellKnownNode`): the validators' permissioning reads the new list at
// their next best block and accept mallory, which connects and syncs to the validators'
// finalised height. Runs after outsider-refused.js (mallory refused until then). Returns 1.
const f = require('./lib.js');

function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    tx.signAndSend(signer, { nonce: -1 }, ({ status, events, dispatchError }) => {
      if (dispatchError) { unsub(); reject(new Error(dispatchError.toString())); return; }
      if (status.isInBlock) { unsub(); resolve(events.map(({ event }) => event)); }
    }).then((u) => { unsub = u; }, reject);
  });
}

async function run(_nodeName, networkInfo) {
  const keyring = new zombie.Keyring({ type: 'sr25519' });
  const [alice, bob, charlie] = ['//Alice', '//Bob', '//Charlie'].map((s) => keyring.addFromUri(s));
  const api = await f.connect(networkInfo, 'alice');
  const mallory = await f.connect(networkInfo, 'mallory');
  const malloryId = (await mallory.rpc.system.localPeerId()).toString();
  // The peer id's bytes (its multihash), as the chain stores them: hex, so that polkadot.js
  // encodes them once (a JS array would be length-prefixed twice).
  const peerId = '0x' + Buffer.from(zombie.util.base58Decode(malloryId)).toString('hex');

  const call = api.tx.nodeAuthorization.addWellKnownNode(peerId, alice.address);
  const length = call.method.encodedLength;
  let events = await submit(api, api.tx.council.propose(3, call, length), alice);
  const { proposalHash, proposalIndex } = events.find((e) => api.events.council.Proposed.is(e)).data;
  for (const voter of [alice, bob, charlie]) await submit(api, api.tx.council.vote(proposalHash, proposalIndex, true), voter);
  events = await submit(api, api.tx.council.close(proposalHash, proposalIndex, { refTime: 10_000_000_000, proofSize: 100_000 }, length), alice);
  const executed = events.find((e) => api.events.council.Executed.is(e));
  if (!executed || !executed.data.result.isOk) throw new Error(`the motion did not execute: ${executed && executed.data.result}`);
  const authorisedAt = await f.best(api);
  f.log(`council authorised mallory (${malloryId}) at #${authorisedAt}`);

  await f.waitFor('mallory to have a peer', async () => (await mallory.rpc.system.peers()).length > 0, 180);
  const target = (await f.finalized(api)).number;
  await f.waitFor(`mallory to sync to #${target}`, async () => (await f.best(mallory)) >= target, 240);
  f.log(`authorised at run time: mallory has ${(await mallory.rpc.system.peers()).length} peers and is at #${await f.best(mallory)}`);
  await mallory.disconnect();
  await api.disconnect();
  return 1;
}

module.exports = { run };
