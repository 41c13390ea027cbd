// N-2 (security review 2026-12): a permissioned node serves its request-response protocols —
// blocks with their bodies, state, light-client storage proofs and remote runtime calls, warp
// proofs — only to the peers governance authorised. tools/p2p-probe dials the node named in the
// first argument and asks for each; the second argument says what must happen:
//   "refused":  a fresh identity (an outsider given the node's address) gets none of them;
//   "answered": the probe's own key, sha256("probe"), authorised in the chain's genesis
//               (permissioned.json), gets every one — so a refusal is the gate's, not the probe's.
// Returns 1 on success.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const path = require('node:path');
const f = require('./lib.js');

const QUESTIONS = ['block', 'state', 'warp', 'light-read', 'light-call'];

function probe(address, genesis, nodeKey) {
  const bin = path.join(path.dirname(process.env.MEDCHAIN_NODE), 'medchain-p2p-probe');
  const args = ['--peer', address, '--genesis', genesis, '--timeout', '8'];
  if (nodeKey) args.push('--node-key', nodeKey);
  return JSON.parse(execFileSync(bin, args, { timeout: 180000 }).toString());
}

async function run(_nodeName, networkInfo, args) {
  const [target, expected] = args;
  if (!['refused', 'answered'].includes(expected)) throw new Error(`expected "refused" or "answered", not ${expected}`);
  const api = await f.connect(networkInfo, target);
  const genesis = api.genesisHash.toHex();
  const addresses = (await api.rpc.system.localListenAddresses()).map((a) => a.toString());
  // zombienet's nodes listen on WebSocket, which the probe speaks as well as TCP.
  const address = addresses.find((a) => a.startsWith('/ip4/127.0.0.1/tcp/'));
  if (!address) throw new Error(`${target} listens on no loopback TCP address: ${addresses}`);
  const key = expected === 'answered' ? crypto.createHash('sha256').update('probe').digest('hex') : undefined;
  const report = probe(address, genesis, key);
  f.log(`probe of ${target} as ${report.localPeerId} (${key ? 'authorised' : 'fresh'} identity): ${JSON.stringify(report)}`);
  if (expected === 'answered') {
    if (!report.connected) throw new Error(`the authorised probe could not connect to ${target}: ${report.detail}`);
    const unanswered = QUESTIONS.filter((q) => !report.results[q].answered);
    if (unanswered.length) throw new Error(`${target} did not answer an authorised peer's ${unanswered}`);
  } else if (report.connected) {
    const answered = QUESTIONS.filter((q) => report.results[q].answered);
    if (answered.length) throw new Error(`${target} answered an outsider's ${answered}`);
  }
  await api.disconnect();
  return 1;
}

module.exports = { run };
