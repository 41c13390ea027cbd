// Test 2: two of four validators are killed. GRANDPA needs more than 2/3 of the votes, so
// finality stops (Aura authoring goes on in the survivors' slots). Both are started again:
// finality resumes, and no block finalized before is reverted. Returns 1 on success.
const f = require('./lib.js');

async function run(_nodeName, networkInfo) {
  const alice = await f.connect(networkInfo, 'alice');
  const bob = await f.connect(networkInfo, 'bob');
  const before = await f.finalized(alice);
  const charlie = await f.kill('charlie');
  const dave = await f.kill('dave');
  let stalled;
  try {
    // A round under way may still complete; then nothing more is finalized.
    await f.sleep(15000);
    stalled = await f.finalized(alice);
    const bestAtStall = await f.best(alice);
    await f.sleep(36000);
    const later = await f.finalized(alice);
    const bestLater = await f.best(alice);
    f.log(`with 2 of 4 down: finalized #${stalled.number} → #${later.number}, best #${bestAtStall} → #${bestLater}`);
    if (later.number !== stalled.number) throw new Error(`finality went on with 2 of 4 validators down (#${stalled.number} → #${later.number})`);
    if (bestLater <= bestAtStall) throw new Error('authoring stopped too');
  } finally {
    f.restart(charlie);
    f.restart(dave);
  }
  await f.waitFor(`finality to resume past #${stalled.number}`,
    async () => (await f.finalized(alice)).number >= stalled.number + 2, 300);
  // Nothing finalized before was reverted, on any node.
  for (const api of [alice, bob]) {
    for (const point of [before, stalled]) {
      const hash = (await api.rpc.chain.getBlockHash(point.number)).toHex();
      if (hash !== point.hash) throw new Error(`finalized #${point.number} was reverted: ${hash} ≠ ${point.hash}`);
    }
  }
  f.log(`finality resumed: #${(await f.finalized(alice)).number}; #${before.number} and #${stalled.number} unchanged`);
  await alice.disconnect();
  await bob.disconnect();
  return 1;
}

module.exports = { run };
