// Test 4: on a consortium chain (node permissioning on), mallory's node — its peer id is not
// among the authorised nodes — cannot stay connected and stays at #0: the validators' networks
// reserve their slots for the authorised nodes and serve an outsider no request
// (node/src/permissioning.rs, node/src/network.rs), while they keep each other and keep
// finalising. (The same five-node topology on the non-permissioned local chain lets the fifth
// node in: zombienet/validator-set.zndsl.) Returns 1 on success.
const f = require('./lib.js');

async function peerIds(api) {
  return (await api.rpc.system.peers()).map((p) => p.peerId.toString());
}

async function run(_nodeName, networkInfo) {
  const alice = await f.connect(networkInfo, 'alice');
  const mallory = await f.connect(networkInfo, 'mallory');
  const malloryId = (await mallory.rpc.system.localPeerId()).toString();

  await f.waitFor('mallory to have no peer', async () => (await peerIds(mallory)).length === 0, 180);
  // For 30 s: mallory stays alone, and no validator lists it.
  for (let i = 0; i < 10; i++) {
    const its = await peerIds(mallory);
    const alices = await peerIds(alice);
    if (its.length > 0) throw new Error(`mallory is connected: ${its}`);
    if (alices.includes(malloryId)) throw new Error('alice lists mallory as a peer');
    if (alices.length < 3) throw new Error(`alice lost authorised peers: ${alices}`);
    await f.sleep(3000);
  }
  const finalized = (await f.finalized(alice)).number;
  const malloryBest = await f.best(mallory);
  await f.waitFor('the authorised validators to go on finalising',
    async () => (await f.finalized(alice)).number >= finalized + 2, 120);
  if (malloryBest !== 0) throw new Error(`mallory synced up to #${malloryBest}`);
  f.log(`unauthorised: mallory has no peer and is stuck at #${malloryBest}; alice finalized #${(await f.finalized(alice)).number}`);

  await mallory.disconnect();
  await alice.disconnect();
  return 1;
}

module.exports = { run };
