// Test 1: one of four validators is killed. GRANDPA still has 3 of 4 votes: blocks keep being
// finalized, and transactions submitted before and after the kill are finalized. The node is
// started again and catches up to the finalized head. Returns 1 on success.
const f = require('./lib.js');

async function run(_nodeName, networkInfo) {
  const alice = await f.connect(networkInfo, 'alice');
  const before = f.remarkFinalized(alice, 'before dave went down');
  await f.sleep(1000);
  const dave = await f.kill('dave');
  try {
    const start = await f.finalized(alice);
    const advanced = await f.waitFor('finality to advance by 3 blocks without dave',
      async () => (await f.finalized(alice)).number >= start.number + 3, 120);
    f.log(`finality advanced from #${start.number} with dave down: ${advanced}`);
    const after = f.remarkFinalized(alice, 'after dave went down');
    const [b, a] = await Promise.all([before, after]);
    f.log(`both remarks finalized, in ${b} and ${a}`);
  } finally {
    f.restart(dave);
  }
  const daveApi = await f.connect(networkInfo, 'dave');
  const target = (await f.finalized(alice)).number;
  await f.waitFor(`dave to catch up to #${target}`, async () => (await f.finalized(daveApi)).number >= target, 240);
  const hashOnDave = (await daveApi.rpc.chain.getBlockHash(target)).toHex();
  const hashOnAlice = (await alice.rpc.chain.getBlockHash(target)).toHex();
  if (hashOnDave !== hashOnAlice) throw new Error(`dave finalized another #${target}: ${hashOnDave} ≠ ${hashOnAlice}`);
  f.log(`dave caught up to finalized #${target}`);
  await daveApi.disconnect();
  await alice.disconnect();
  return 1;
}

module.exports = { run };
