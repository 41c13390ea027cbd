// medchain's load benchmark (issue "measured weights and measured capacity"; docs/performance.md).
//
//   node tests/load/load.js [--patients 4000] [--practitioners 1000] [--organisations 8]
//                           [--rate 1200] [--seconds 30] [--connections 8]
//                           [--phases grant,anchor,anchor_practitioner,anchor_many,anchor_batch,report,check]
//                           [--many 100]
//                           [--check-requests 20000] [--check 1x1,16x1,64x1,1x64,1x256,2x256,2x1024]
//                           [--genesis-grants 1000000] [--pool-limit 8192] [--json out.json] [--smoke]
//                           [--export-state snapshot.json] [--keep dir]
//                           [--follower | --validators 4] [--runtime code.wasm]
//
// It writes a chain spec whose genesis holds the demo world plus `--organisations` load
// organisations with `--practitioners` practitioners and `--patients` patients (so admission's
// per-account budget shows as a number of accounts, not as refusals), starts one
// `medchain-node` authoring and finalising alone on it, and runs each phase in turn:
// transactions pre-signed before the phase starts, then submitted open-loop at `--rate` a second
// over `--connections` WebSocket connections, while best and finalised blocks are followed.
// Each phase prints one row: offered / accepted / included a second (included: the phase's
// transactions over the time of the blocks that hold them), how many were finalised, submit →
// included and submit → finalised p50 / p99, block time, extrinsics and weight per block,
// rejections by reason, and transactions accepted but never finalised (stranded);
// `anchor_many` (`--many` records a transaction, `--rate` records a second) also records a
// second. `check`
// measures `consent_checkAccess` at 1, 16 and 64 requests in flight and
// `consent_checkAccessBatch` (`--check`: requests in flight × questions a request), counting
// decisions. `--genesis-grants N` starts the chain with N grants in its state (without the
// `grant` phase). The end: state bytes per anchored record and database bytes on disk.
// `--follower` adds a second node that imports every block; `--validators 4` runs the `local`
// preset's four validators (Alice, Bob, Charlie, Dave) instead of Alice alone, all on this
// machine, transactions submitted to Alice and gossiped: each block's build time is its
// author's, its import time the slowest of the other three. `--runtime` starts the chain on
// another runtime's code (a wasm file; e.g. one with another block budget).
//
// It asserts nothing about speed. It fails (exit 1) only if something is wrong: a phase that
// included nothing, a transaction accepted but never finalised, a decision that is not the
// expected one. `--smoke` is a small run for the test command (scripts/test.sh).
import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { Metadata, TypeRegistry } from '@polkadot/types';
import { bnToU8a, compactStripLength, hexToU8a, u8aToHex } from '@polkadot/util';
import { decorateStorage } from '@polkadot/types/metadata/decorate';
import { blake2AsHex, blake2AsU8a, cryptoWaitReady, decodeAddress, xxhashAsHex } from '@polkadot/util-crypto';
import { nodeBinary, freePort, waitFor } from '../e2e/lib/devnode.js';

// ---- options ---------------------------------------------------------------------------------
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const SMOKE = args.includes('--smoke');
const O = {
  patients: Number(opt('patients', SMOKE ? 40 : 4000)),
  practitioners: Number(opt('practitioners', SMOKE ? 8 : 1000)),
  organisations: Number(opt('organisations', SMOKE ? 4 : 8)),
  rate: Number(opt('rate', SMOKE ? 10 : 1200)),
  seconds: Number(opt('seconds', SMOKE ? 3 : 30)),
  connections: Number(opt('connections', SMOKE ? 2 : 8)),
  phases: opt('phases', 'grant,anchor,anchor_practitioner,anchor_many,anchor_batch,report,check').split(','),
  // Records an `anchor_many` transaction (at most the runtime's MaxAnchorsPerCall).
  many: Number(opt('many', SMOKE ? 4 : 100)),
  checkRequests: Number(opt('check-requests', SMOKE ? 200 : 20000)),
  // consent_checkAccess at 1, 16 and 64 requests in flight, then consent_checkAccessBatch
  // (in flight × questions a call): "1x1,16x1,64x1,1x256,2x256,2x1024".
  checkSettings: opt('check', '1x1,16x1,64x1,1x64,1x256,2x256,2x1024').split(',').map((x) => x.split('x').map(Number)),
  json: opt('json', null),
  poolLimit: Number(opt('pool-limit', 8192)),
  // Grants written into the genesis state (a large state without an hour of transactions):
  // each patient grants practitioners in turn, its own practitioner first (see genesisGrants).
  genesisGrants: Number(opt('genesis-grants', 0)),
  follower: args.includes('--follower'),
  validators: Number(opt('validators', 1)),
  runtime: opt('runtime', null),
  // After the run: the chain's state (a raw chain spec's storage, without the runtime's code),
  // for the runtime's migration harness (runtime/src/tests/migrations.rs).
  exportState: opt('export-state', null),
  // After the run: the chain spec and the author's database moved to this directory (to replay
  // the blocks with `medchain-node import-blocks`: docs/performance.md).
  keep: opt('keep', null),
  resubmit: !args.includes('--no-resubmit'),
};
// How long a transaction refused by a full pool, or dropped by it, is offered again (runPhase).
const RESUBMIT_FOR_MS = 120_000;
const DEMO_ORGANISATIONS = 4; // ids 0–3 in every preset; the load organisations follow
const KINDS = ['Hospital', 'Lab', 'Clinic', 'Pharmacy'];
const ROLE_OF = { Hospital: 'Physician', Lab: 'LabTechnician', Clinic: 'Nurse', Pharmacy: 'Pharmacist' };
const LAB_RESULTS = 1 << 5, TREATMENT = 1 << 0, READ = 1 << 0, APPEND = 1 << 1;
const HOUR = 3_600_000;
if (![1, 4].includes(O.validators)) throw new Error('--validators: 1 (the dev preset) or 4 (the local preset)');
if (O.validators > 1 && O.follower) throw new Error('--validators 4 and --follower exclude each other');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error('load:', ...a);
const hash32 = (label) => '0x' + createHash('sha256').update(label).digest('hex');
function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// ---- the world -------------------------------------------------------------------------------
await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
log(`deriving ${O.organisations} admins, ${O.practitioners} practitioners, ${O.patients} patients`);
const admins = [...Array(O.organisations)].map((_, k) => keyring.addFromUri(`//load//admin//${k}`));
const orgOf = (k) => DEMO_ORGANISATIONS + k;
const kindOf = (k) => KINDS[k % KINDS.length];
const practitioners = [...Array(O.practitioners)].map((_, j) => ({
  pair: keyring.addFromUri(`//load//practitioner//${j}`),
  org: orgOf(j % O.organisations),
  role: ROLE_OF[kindOf(j % O.organisations)],
}));
// Patient i is enrolled by the organisation of practitioner i mod P, and grants that
// practitioner (phase `grant`).
const patients = [...Array(O.patients)].map((_, i) => ({
  pair: keyring.addFromUri(`//load//patient//${i}`),
  practitioner: i % O.practitioners,
  org: practitioners[i % O.practitioners].org,
}));

const work = mkdtempSync(join(tmpdir(), 'medchain-load-'));
const node = nodeBinary();
const preset = O.validators > 1 ? 'local' : 'dev';
const spec = JSON.parse(execFileSync(node, ['export-chain-spec', '--chain', preset], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }));
if (O.runtime) spec.genesis.runtimeGenesis.code = '0x' + readFileSync(O.runtime).toString('hex');
const patch = spec.genesis.runtimeGenesis.patch;
const firstPatient = patch.patients.patients.length; // patient ids follow the demo patients
patch.providers.organisations.push(
  ...admins.map((a, k) => [a.address, kindOf(k), hash32(`load license ${k}`)]),
);
patch.providers.practitioners.push(...practitioners.map((p) => [p.pair.address, p.org, p.role]));
patch.patients.patients.push(
  ...patients.map((p, i) => [p.pair.address, p.org, hash32(`load identity ${i}`), null]),
);
patients.forEach((p, i) => { p.id = firstPatient + i; });
const specPath = join(work, 'load-spec.json');
writeFileSync(specPath, JSON.stringify(spec));
const grants = new Map(); // patient id -> the id of its grant to its practitioner
if (O.genesisGrants > 0) genesisGrants(O.genesisGrants);

/**
 * Writes `n` consent grants into the genesis state, as the consent pallet stores them
 * (`Consent.Grants`, `Consent.GrantsByGrantee`, `Consent.NextGrantId`; keys and values encoded
 * with the runtime's metadata, client/metadata/medchain.scale): grant g is patient g mod P's
 * to practitioner (its own + ⌊g / P⌋) mod N, so a patient's first grant is to its own
 * practitioner (what the `check` phase asks about) and the others add state a decision walks
 * past. Read and Append of lab results for treatment, for a day, given at genesis (the
 * practitioners' memberships start there too). Grants put in the state this way have no audit
 * entries: this builds a state to measure, not a history. The spec becomes a raw one.
 */
function genesisGrants(n) {
  if (n > patients.length * (practitioners.length)) throw new Error(`at most ${patients.length * practitioners.length} genesis grants: one per patient and practitioner`);
  log(`writing ${n} grants into the genesis state`);
  const registry = new TypeRegistry();
  const metadata = new Metadata(registry, readFileSync(new URL('../../client/metadata/medchain.scale', import.meta.url)));
  registry.setMetadata(metadata);
  const storage = decorateStorage(registry, metadata.asLatest, metadata.version);
  const valueType = (entry) => registry.createLookupType(entry.meta.type.asMap.value);
  const [grantType, indexType] = [valueType(storage.consent.grants), valueType(storage.consent.grantsByGrantee)];
  const raw = JSON.parse(execFileSync(node, ['export-chain-spec', '--chain', specPath, '--raw'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] }));
  const top = raw.genesis.raw.top;
  raw.genesis.raw.top = '@TOP@';
  const [head, tail] = JSON.stringify(raw).split('"@TOP@"');
  const fd = openSync(specPath, 'w');
  writeSync(fd, head + '{');
  let first = true, chunk = [];
  const put = (key, value) => {
    chunk.push(`${first ? '' : ','}"${key}":"${value}"`);
    first = false;
    if (chunk.length >= 10000) { writeSync(fd, chunk.join('')); chunk = []; }
  };
  const nextKey = u8aToHex(compactStripLength(storage.consent.nextGrantId())[1]);
  for (const [k, v] of Object.entries(top)) if (k !== nextKey) put(k, v);
  // Encoded by hand (a million grants through the registry would take minutes), and checked
  // against the registry's encoding for the first thousand.
  const until = Date.now() + 24 * HOUR;
  const key = (k) => u8aToHex(compactStripLength(k)[1]);
  const hex = (u8a) => u8aToHex(u8a).slice(2);
  const u64 = (x) => hex(bnToU8a(x, { bitLength: 64 }));
  const u32 = (x) => hex(bnToU8a(x, { bitLength: 32 }));
  const grantsPrefix = u8aToHex(storage.consent.grants.keyPrefix());
  const indexPrefix = u8aToHex(storage.consent.grantsByGrantee.keyPrefix());
  const account = new Map(practitioners.map((pr) => [pr, hex(decodeAddress(pr.pair.address))]));
  const granteeKey = new Map([...account].map(([pr, a]) => [pr, hex(blake2AsU8a(hexToU8a('0x01' + a), 128)) + '01' + a]));
  // The terms' categories, purposes and actions as the registry encodes them: what lies between
  // the grantee and valid_from (the tail: valid_from, valid_until, granted_by, granted_at,
  // organisation, revoked_at).
  const template = hex(registry.createTypeUnsafe(grantType, [{
    patient: 0, terms: { grantee: { Practitioner: patients[0].pair.address }, categories: LAB_RESULTS, purposes: TREATMENT, actions: READ | APPEND, validFrom: 0, validUntil: 0 },
    grantedBy: patients[0].pair.address, grantedAt: 0, organisation: 0, revokedAt: null,
  }]).toU8a());
  const bitSets = template.slice(16 + 2 + 64, template.length - (16 + 18 + 64 + 16 + 10 + 2));
  for (let g = 0; g < n; g++) {
    const p = patients[g % patients.length];
    const practitioner = practitioners[(p.practitioner + Math.floor(g / patients.length)) % practitioners.length];
    const grant = {
      patient: p.id,
      terms: { grantee: { Practitioner: practitioner.pair.address }, categories: LAB_RESULTS, purposes: TREATMENT, actions: READ | APPEND, validFrom: 0, validUntil: until },
      grantedBy: p.pair.address, grantedAt: 0, organisation: practitioner.org, revokedAt: null,
    };
    const grantKey = grantsPrefix + xxhashAsHex(bnToU8a(g, { bitLength: 64 }), 64).slice(2) + u64(g);
    const indexKey = indexPrefix + xxhashAsHex(bnToU8a(p.id, { bitLength: 64 }), 64).slice(2) + u64(p.id) + granteeKey.get(practitioner);
    p.account ??= hex(decodeAddress(p.pair.address));
    const value = '0x' + u64(p.id) + '01' + account.get(practitioner) + bitSets + u64(0) + '01' + u64(until)
      + p.account + u64(0) + '01' + u32(practitioner.org) + '00';
    const index = '0x04' + u64(g);
    if (g < 1000) {
      const expected = [key(storage.consent.grants(g)), registry.createTypeUnsafe(grantType, [grant]).toHex(),
        key(storage.consent.grantsByGrantee(p.id, grant.terms.grantee)), registry.createTypeUnsafe(indexType, [[g]]).toHex()];
      const made = [grantKey, value, indexKey, index];
      if (made.join() !== expected.join()) throw new Error(`genesis grant ${g} encoded wrongly: ${made} != ${expected}`);
    }
    put(grantKey, value);
    put(indexKey, index);
    if (g < patients.length) grants.set(p.id, g);
    if (g % 100000 === 99999) log(`  ${g + 1} grants`);
  }
  put(nextKey, registry.createType('u64', n).toHex());
  writeSync(fd, chunk.join('') + '}' + tail);
  closeSync(fd);
}

// ---- the node --------------------------------------------------------------------------------
const [rpcPort, p2pPort, aliceMetrics] = [await freePort(), await freePort(), await freePort()];
const basePath = join(work, 'db');
const aliceBootnode = `/ip4/127.0.0.1/tcp/${p2pPort}/p2p/12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp`;
const child = spawn(node, [
  '--chain', specPath, '--alice', '--validator', '--base-path', basePath,
  '--node-key', '0000000000000000000000000000000000000000000000000000000000000001',
  '--no-telemetry', '--no-mdns', '--rpc-port', String(rpcPort), '--port', String(p2pPort),
  ...(O.validators > 1 ? ['--prometheus-port', String(aliceMetrics)] : ['--no-prometheus']),
  '--rpc-max-connections', '1000', '--rpc-max-subscriptions-per-connection', '16384',
  '--pool-limit', String(O.poolLimit), // --pool-kbytes stays at its default (20 480)
], { stdio: ['ignore', 'ignore', 'pipe'] });
let nodeLog = '';
// The time each block took to build, by block number: its author's log ("Prepared block for
// proposing at N (X ms)").
const buildMs = new Map();
function readBuilds(proc, onData = () => {}) {
  let partial = '';
  proc.stderr.on('data', (d) => {
    onData(d);
    const lines = (partial + d).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      const m = /Prepared block for proposing at (\d+) \((\d+) ms\)/.exec(line);
      if (m) buildMs.set(Number(m[1]), Number(m[2]));
    }
  });
}
readBuilds(child, (d) => { nodeLog = (nodeLog + d).slice(-20000); });
let exited = null;
const exit = new Promise((_, reject) => child.on('exit', (code, signal) => {
  exited = { code, signal };
  reject(new Error(`medchain-node exited (${JSON.stringify(exited)}):\n${nodeLog}`));
}));
exit.catch(() => {});
// The time each block took to import, by block number: the slowest of the nodes that imported
// it, each read from its Prometheus metric `substrate_block_verification_and_import_time` (its
// sum grows by each import's seconds; an import is counted when the poll sees exactly one).
// The block is the node's best block, asked over RPC as soon as the poll sees the import: the
// metric `substrate_block_height` is refreshed only every 5 s, and reading it (as this did
// until 2026-12-04) credited most imports to the block before.
const importMs = new Map();
function readImports(metricsPort, rpcPort) {
  let last = null;
  const poll = async () => {
    try {
      const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const metric = (name) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1]);
      const now = { sum: metric('substrate_block_verification_and_import_time_sum'), count: metric('substrate_block_verification_and_import_time_count') };
      if (last && now.count === last.count + 1) {
        const res = await fetch(`http://127.0.0.1:${rpcPort}`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'chain_getHeader', params: [] }),
        });
        const best = Number((await res.json()).result.number);
        importMs.set(best, Math.max(importMs.get(best) ?? 0, (now.sum - last.sum) * 1000));
      }
      if (Number.isFinite(now.count)) last = now;
    } catch { /* not up yet */ }
  };
  (async () => { while (!exited) { await poll(); await sleep(200); } })();
}
// The other nodes: `--follower` (not a validator; it imports the blocks Alice authors, as the
// other validators would), or `--validators 4`'s Bob, Charlie and Dave (each authors its slots
// and imports the others' blocks). Transactions reach them by gossip from Alice.
const others = O.follower ? ['follower'] : ['bob', 'charlie', 'dave'].slice(0, O.validators - 1);
const otherNodes = [];
for (const [k, name] of others.entries()) {
  const [oRpc, oP2p, oMetrics] = [await freePort(), await freePort(), await freePort()];
  const proc = spawn(node, [
    '--chain', specPath, '--base-path', join(work, name), '--no-telemetry', '--no-mdns',
    ...(name === 'follower' ? [] : [
      `--${name}`, '--validator', '--pool-limit', String(O.poolLimit),
      '--node-key', (k + 2).toString(16).padStart(64, '0'), // a validator's key is never generated
    ]),
    '--rpc-port', String(oRpc), '--port', String(oP2p), '--prometheus-port', String(oMetrics),
    '--bootnodes', aliceBootnode,
  ], { stdio: ['ignore', 'ignore', name === 'follower' ? 'ignore' : 'pipe'] });
  if (name !== 'follower') readBuilds(proc);
  readImports(oMetrics, oRpc);
  otherNodes.push(proc);
}
if (O.validators > 1) readImports(aliceMetrics, rpcPort);
const cleanup = () => {
  if (!exited) child.kill('SIGKILL');
  for (const proc of otherNodes) proc.kill('SIGKILL');
  if (O.keep) {
    for (const name of others) rmSync(join(work, name), { recursive: true, force: true });
    renameSync(work, O.keep);
    log(`chain spec and database kept in ${O.keep}`);
  } else {
    rmSync(work, { recursive: true, force: true });
  }
};
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

const wsUrl = `ws://127.0.0.1:${rpcPort}`;
await Promise.race([exit, waitFor('the node to answer RPC', async () => {
  const res = await fetch(`http://127.0.0.1:${rpcPort}`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'system_health', params: [] }),
  });
  return res.ok;
}, 300_000)]);
const api = await ApiPromise.create({ provider: new WsProvider(wsUrl), noInitWarn: true });
const submitters = await Promise.all([...Array(O.connections)].map(async () => {
  const p = new WsProvider(wsUrl);
  await p.isReady;
  return p;
}));
await waitFor('block 2', async () => (await api.rpc.chain.getHeader()).number.toNumber() >= 2, 120_000);
log(`node up: ${O.organisations} organisations, ${O.practitioners} practitioners, ${O.patients} patients in genesis`);

// ---- following blocks ------------------------------------------------------------------------
const submitted = new Map(); // tx hash -> { sent, included, finalised, phase }
const blocks = new Map(); // block hash -> { number, txs: [hash], extrinsics, weight }
let finalisedNumber = 0;
const maxNormal = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
await api.rpc.chain.subscribeNewHeads(async (header) => {
  const hash = header.hash.toHex();
  if (blocks.has(hash)) return;
  const at = Date.now();
  const [block, weight] = await Promise.all([
    api.rpc.chain.getBlock(hash),
    api.query.system.blockWeight.at(hash),
  ]);
  const txs = block.block.extrinsics.map((x) => x.hash.toHex());
  blocks.set(hash, {
    number: header.number.toNumber(),
    seen: at,
    txs,
    extrinsics: txs.length,
    normal: weight.normal.refTime.toBigInt(),
  });
  for (const t of txs) {
    const s = submitted.get(t);
    if (s && !s.included) s.included = at;
  }
});
await api.rpc.chain.subscribeFinalizedHeads(async (header) => {
  const at = Date.now();
  const number = header.number.toNumber();
  let hash = header.hash.toHex();
  // Walk back to the last finalised block: every block on the way is final now.
  for (let n = number; n > finalisedNumber; n--) {
    let b = blocks.get(hash);
    if (!b) {
      const block = await api.rpc.chain.getBlock(hash);
      const txs = block.block.extrinsics.map((x) => x.hash.toHex());
      b = { number: n, txs, extrinsics: txs.length, normal: 0n };
      blocks.set(hash, b);
    }
    b.final = true;
    for (const t of b.txs) {
      const s = submitted.get(t);
      if (s && !s.finalised) {
        s.finalised = at;
        if (!s.included) s.included = at;
      }
    }
    hash = (await api.rpc.chain.getHeader(hash)).parentHash.toHex();
  }
  finalisedNumber = Math.max(finalisedNumber, number);
});

// ---- one phase of transactions ---------------------------------------------------------------
const nonces = new Map();
async function nonceOf(pair) {
  if (!nonces.has(pair.address)) {
    nonces.set(pair.address, (await api.rpc.system.accountNextIndex(pair.address)).toNumber());
  }
  const n = nonces.get(pair.address);
  nonces.set(pair.address, n + 1);
  return n;
}

const results = [];

/** Build and import times of `list`'s blocks: of the one with the most weight, and the most. */
function timesOf(list) {
  const fullest = [...list].sort((a, b) => Number(b.normal - a.normal))[0];
  const most = (m) => Math.max(...list.map((b) => m.get(b.number) ?? NaN).filter(Number.isFinite));
  return {
    fullestBuildMs: fullest ? buildMs.get(fullest.number) : undefined,
    fullestImportMs: fullest ? importMs.get(fullest.number) : undefined,
    maxBuildMs: most(buildMs), maxImportMs: most(importMs),
  };
}

/**
 * Pre-signs `count` transactions (`make(k)` gives [pair, tx]), submits them open-loop at `rate`
 * a second. `records`: records a transaction (for a row's records a second).
 */
async function runPhase(name, count, make, { rate = O.rate, records = 1 } = {}) {
  log(`${name}: signing ${count} transactions`);
  const signed = [];
  const genesisHash = api.genesisHash;
  // Immortal: the benchmark measures the chain, not era bookkeeping. Signed again (the same
  // nonce, a new signature: a new hash) only if the pool has banned the first.
  const sign = (t) => {
    t.tx.sign(t.pair, {
      nonce: t.nonce, era: 0, blockHash: genesisHash, genesisHash,
      runtimeVersion: api.runtimeVersion, signedExtensions: api.registry.signedExtensions,
    });
    t.hex = t.tx.toHex();
    t.hash = t.tx.hash.toHex();
  };
  for (let k = 0; k < count; k++) {
    const [pair, tx] = make(k);
    const t = { pair, tx, nonce: await nonceOf(pair) };
    sign(t);
    signed.push(t);
  }
  log(`${name}: submitting at ${rate}/s over ${O.connections} connections`);
  const rejections = new Map();
  let accepted = 0;
  const start = Date.now();
  const firstBlock = (await api.rpc.chain.getHeader()).number.toNumber();
  const pending = [];
  let next = 0;
  // Each transaction is submitted and watched (`author_submitAndWatchExtrinsic`), as a client
  // that must know its transaction's fate does. The pool can refuse one at submission (1016
  // "Immediately Dropped": full) or drop one it had accepted (status `dropped`: a later
  // transaction took its place); either leaves a nonce gap that strands its account's later
  // transactions. Unless `--no-resubmit`, the benchmark offers it again after a pause (2 s,
  // doubling to 16 s, for at most RESUBMIT_FOR_MS after it was first sent), signed again if
  // the pool has banned it (1012). Its latencies count from the first submission.
  const fate = { resubmitted: 0, droppedAfterAccepted: 0, invalidAfterAccepted: 0, resigned: 0, alreadyThere: 0 };
  const refuse = (entry, message) => {
    entry.refused = true;
    const reason = message.replace(/^\d+:\s*/, '').slice(0, 90);
    rejections.set(reason, (rejections.get(reason) || 0) + 1);
  };
  const again = async (k, entry, attempt, message) => {
    const pause = Math.min(16_000, 2_000 * 2 ** attempt);
    if (!O.resubmit || Date.now() + pause - entry.sent > RESUBMIT_FOR_MS) return refuse(entry, message);
    await sleep(pause);
    return submit(k, entry, attempt + 1);
  };
  const submit = (k, entry, attempt) => {
    const t = signed[k];
    const provider = submitters[k % submitters.length];
    let id = null;
    const unwatch = () => id !== null && provider.unsubscribe('author_extrinsicUpdate', 'author_unwatchExtrinsic', id).catch(() => {});
    return provider.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', [t.hex], (error, status) => {
      if (error || entry.refused) return;
      const kind = typeof status === 'string' ? status : Object.keys(status ?? {})[0];
      if (kind === 'finalized' || kind === 'usurped') unwatch();
      if (kind === 'dropped' && !entry.included) {
        fate.droppedAfterAccepted++;
        unwatch();
        again(k, entry, attempt, 'dropped by the pool after it was accepted');
      }
      if (kind === 'invalid' && !entry.included) {
        fate.invalidAfterAccepted++;
        unwatch();
        refuse(entry, 'invalid after it was accepted');
      }
    }).then(
      (subscription) => {
        id = subscription;
        if (!entry.accepted) { accepted++; entry.accepted = true; }
        if (attempt > 0) fate.resubmitted++;
      },
      async (e) => {
        const message = String(e.message || e);
        if (e.code === 1012 || /temporarily banned/.test(message)) {
          // Banned (dropped before): the same nonce signed again is a new transaction.
          fate.resigned++;
          sign(t);
          submitted.set(t.hash, entry);
          return again(k, entry, attempt, message);
        }
        if (e.code === 1016 || /Immediately Dropped/.test(message)) return again(k, entry, attempt, message);
        // Offered again, a copy the pool still holds (1013) or one a block already took (the
        // nonce is spent: "outdated") is no refusal: the block follower sees it included.
        if (attempt > 0 && (e.code === 1013 || /Already Imported|outdated/.test(message))) {
          fate.alreadyThere++;
          return;
        }
        refuse(entry, message);
      },
    );
  };
  while (next < signed.length) {
    const due = Math.min(signed.length, Math.floor(((Date.now() - start) / 1000) * rate) + 1);
    for (; next < due; next++) {
      const entry = { sent: Date.now(), phase: name };
      submitted.set(signed[next].hash, entry);
      pending.push(submit(next, entry, 0));
    }
    await sleep(5);
  }
  const offeredSeconds = (Date.now() - start) / 1000;
  await Promise.all(pending);
  const acceptedSeconds = (Date.now() - start) / 1000;
  // Wait for every accepted transaction to be finalised (or for a minute of no progress).
  // (Re-read each time: a transaction dropped and offered again until its time ran out is
  // refused — told, not stranded — unless a block took a copy of it.)
  const phaseEntries = [...new Set(submitted.values())].filter((s) => s.phase === name);
  let mine = [];
  let last = -1, stalledSince = Date.now();
  while (true) {
    mine = phaseEntries.filter((s) => s.accepted && (!s.refused || s.included));
    const done = mine.filter((s) => s.finalised).length;
    if (done === mine.length) break;
    if (done !== last) { last = done; stalledSince = Date.now(); }
    if (Date.now() - stalledSince > 60_000) break;
    await sleep(250);
  }
  const end = Math.max(...mine.map((s) => s.finalised || 0), Date.now() - 1);
  const included = mine.filter((s) => s.included);
  const finalised = mine.filter((s) => s.finalised);

  const toIncluded = included.map((s) => s.included - s.sent).sort((a, b) => a - b);
  const toFinal = finalised.map((s) => s.finalised - s.sent).sort((a, b) => a - b);
  const phaseBlocks = [...blocks.values()].filter((b) => b.final && b.number > firstBlock && b.txs.some((t) => submitted.get(t)?.phase === name));
  const perBlock = phaseBlocks.map((b) => b.extrinsics - 1); // the timestamp inherent aside
  // Block interval while the phase's transactions were being included.
  const seen = phaseBlocks.map((b) => b.seen).filter(Boolean).sort((a, b) => a - b);
  const blockTime = seen.length > 1 ? (seen[seen.length - 1] - seen[0]) / (seen.length - 1) : 6000;
  // What the chain carried: the phase's transactions over the time of the blocks that hold
  // them (from the block before the first to the last).
  const carriedSeconds = ((seen.length ? seen[seen.length - 1] - seen[0] : 0) + blockTime) / 1000;
  const weightPct = phaseBlocks.map((b) => Number((b.normal * 1000n) / maxNormal) / 10);
  const row = {
    phase: name,
    transactions: count,
    offered: count / offeredSeconds,
    accepted: accepted / acceptedSeconds,
    included: included.length / carriedSeconds,
    records,
    recordsIncluded: (included.length * records) / carriedSeconds,
    includedP50: percentile(toIncluded, 50), includedP99: percentile(toIncluded, 99),
    finalisedP50: percentile(toFinal, 50), finalisedP99: percentile(toFinal, 99),
    blocks: phaseBlocks.length,
    extrinsicsPerBlock: perBlock.length ? Math.max(...perBlock) : 0,
    meanExtrinsicsPerBlock: perBlock.length ? perBlock.reduce((a, b) => a + b, 0) / perBlock.length : 0,
    maxWeightPct: weightPct.length ? Math.max(...weightPct) : 0,
    // Built (by the author) and imported (by the follower) in ms: the fullest block's, and the most.
    ...timesOf(phaseBlocks),
    blockTime,
    rejections: Object.fromEntries(rejections),
    ...fate,
    acceptedCount: accepted,
    finalisedCount: finalised.length,
    stranded: mine.length - finalised.length,
  };
  results.push(row);
  log(`${name}: ${accepted} accepted, ${finalised.length} finalised in ${((end - start) / 1000).toFixed(1)} s`);
  // Accepted but not finalised a minute after the last progress: stranded in the pool (a
  // transaction of the same account refused before it leaves a nonce gap). A finding in a
  // run past capacity; never acceptable in the smoke run, which stays far below it.
  if (SMOKE && row.stranded > 0) {
    throw new Error(`${name}: ${row.stranded} accepted transactions were never finalised`);
  }
  if (accepted === 0) throw new Error(`${name}: nothing was accepted: ${JSON.stringify(row.rejections)}`);
  // A refused transaction left its account's later nonces unused: ask the chain again.
  nonces.clear();
  return row;
}

// ---- the phases ------------------------------------------------------------------------------
const count = O.rate * O.seconds;
const now = Date.now();
const patientAt = (k) => patients[k % patients.length];
const anchoredBy = []; // [practitioner index, patient id, record id]

for (const phase of O.phases) {
  if (phase === 'grant') {
    // Each patient grants its practitioner Read and Append of lab results for treatment.
    if (O.genesisGrants > 0) throw new Error('the grant phase and --genesis-grants exclude each other');
    await runPhase('grant', Math.min(count, patients.length), (k) => {
      const p = patientAt(k);
      return [p.pair, api.tx.consent.grant(p.id, {
        grantee: { Practitioner: practitioners[p.practitioner].pair.address },
        categories: LAB_RESULTS, purposes: TREATMENT, actions: READ | APPEND,
        validFrom: now, validUntil: now + 24 * HOUR,
      }, 0)];
    });
    // Find the grants' ids from the chain's events (patient -> grant).
    const entries = await api.query.consent.grants.entries();
    for (const [key, grant] of entries) {
      const g = grant.unwrap();
      grants.set(g.patient.toNumber(), key.args[0].toNumber());
    }
  } else if (phase === 'anchor') {
    // Patients anchor their own records: no consent decision.
    await runPhase('anchor', count, (k) => {
      const p = patientAt(k);
      return [p.pair, api.tx.records.anchor(p.id, 'LabResults', 'Treatment', hash32(`own ${k}`), hash32(`loc ${k}`))];
    });
  } else if (phase === 'anchor_practitioner') {
    // Practitioners anchor for the patients that granted them (the consent decision runs).
    const granted = patients.filter((p) => grants.has(p.id));
    if (granted.length === 0) throw new Error('anchor_practitioner needs the grant phase first');
    await runPhase('anchor_practitioner', count, (k) => {
      const p = granted[k % granted.length];
      return [practitioners[p.practitioner].pair,
        api.tx.records.anchor(p.id, 'LabResults', 'Treatment', hash32(`lab ${k}`), hash32(`loc ${k}`))];
    });
  } else if (phase === 'anchor_many') {
    // Practitioners anchor their patients' lab results, `--many` a transaction (a lab's
    // results of the night), each record of another of its patients while it has any, each
    // under that patient's grant (one check under one basis a record). `--rate` counts records.
    const granted = patients.filter((p) => grants.has(p.id));
    if (granted.length === 0) throw new Error('anchor_many needs the grant phase first');
    const max = api.consts.records.maxAnchorsPerCall.toNumber();
    if (O.many > max) throw new Error(`--many ${O.many}: the runtime anchors at most ${max} records a call`);
    const byPractitioner = new Map();
    for (const p of granted) byPractitioner.set(p.practitioner, [...(byPractitioner.get(p.practitioner) ?? []), p]);
    const lists = [...byPractitioner.values()];
    await runPhase('anchor_many', Math.max(1, Math.ceil(count / O.many)), (k) => {
      const list = lists[k % lists.length];
      const from = Math.floor(k / lists.length) * O.many;
      const records = [...Array(O.many)].map((_, r) => {
        const p = list[(from + r) % list.length];
        return {
          patient: p.id, category: 'LabResults', purpose: 'Treatment',
          contentHash: hash32(`many ${k} ${r}`), locator: hash32(`loc ${k} ${r}`),
          basis: { Grant: grants.get(p.id) },
        };
      });
      return [practitioners[list[0].practitioner].pair, api.tx.records.anchorMany(records)];
    }, { rate: O.rate / O.many, records: O.many });
  } else if (phase === 'anchor_batch') {
    const size = api.consts.records.maxBatchSize.toNumber();
    await runPhase('anchor_batch', Math.max(1, Math.floor(count / 10)), (k) => {
      const pr = practitioners[k % practitioners.length];
      return [pr.pair, api.tx.records.anchorBatch(hash32(`root ${k}`), size, 'LabResults')];
    });
  } else if (phase === 'report') {
    // Practitioners report reads of their patients' lab results under their grants, 8 a batch.
    const granted = patients.filter((p) => grants.has(p.id));
    if (granted.length === 0) throw new Error('report needs the grant phase first');
    await runPhase('report_access_batch', Math.max(1, Math.floor(count / 4)), (k) => {
      const p = granted[k % granted.length];
      const reads = [...Array(8)].map(() => ({
        patient: p.id, category: 'LabResults', purpose: 'Treatment', basis: { Grant: grants.get(p.id) }, record: null,
      }));
      return [practitioners[p.practitioner].pair, api.tx.audit.reportAccessBatch(reads)];
    });
  } else if (phase === 'check') {
    // A question about a patient's lab results from its practitioner: a Permit exactly when
    // the patient granted it (phase `grant`, or `--genesis-grants`).
    const granted = patients.filter((p) => grants.has(p.id));
    const sample = (granted.length ? granted : patients);
    const question = (p) => ({
      patient: p.id, accessor: practitioners[p.practitioner].pair.address,
      category: 'LabResults', purpose: 'Treatment', action: 'Read',
    });
    for (const [inFlight, batch] of O.checkSettings) {
      // The requests are built before the clock starts: [patients asked, JSON-RPC method, params].
      const calls = [];
      for (let asked = 0; asked < O.checkRequests; asked += batch) {
        const ps = [...Array(Math.min(batch, O.checkRequests - asked))].map((_, i) => sample[(asked + i) % sample.length]);
        calls.push(batch === 1
          ? [ps, 'consent_checkAccess', Object.values(question(ps[0]))]
          : [ps, 'consent_checkAccessBatch', [ps.map(question)]]);
      }
      const times = [];
      let next = 0, wrong = 0, answered = 0;
      const start = Date.now();
      const worker = async (c) => {
        while (next < calls.length) {
          const [ps, method, params] = calls[next++];
          const t0 = performance.now();
          const answer = await c.send(method, params);
          times.push(performance.now() - t0);
          const answers = batch === 1 ? [answer] : answer;
          answered += answers.length;
          ps.forEach((p, i) => { if (grants.has(p.id) !== Boolean(answers[i]?.Permit)) wrong++; });
        }
      };
      await Promise.all([...Array(inFlight)].map((_, w) => worker(submitters[w % submitters.length])));
      const seconds = (Date.now() - start) / 1000;
      times.sort((a, b) => a - b);
      const row = {
        phase: batch === 1 ? `consent_checkAccess ×${inFlight}` : `consent_checkAccessBatch of ${batch} ×${inFlight}`,
        transactions: answered, offered: answered / seconds, accepted: answered / seconds,
        includedP50: percentile(times, 50), includedP99: percentile(times, 99),
        rpc: true, rejections: wrong ? { 'unexpected decision': wrong } : {},
      };
      results.push(row);
      log(`${row.phase}: ${answered} decisions in ${seconds.toFixed(1)} s`);
      if (wrong) throw new Error(`${row.phase} answered ${wrong} questions wrongly`);
      if (answered !== O.checkRequests) throw new Error(`${row.phase}: ${answered} answers to ${O.checkRequests} questions`);
    }
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
}

// ---- state and disk --------------------------------------------------------------------------
/** Keys and mean key + value bytes of a storage map, from its first `sample` entries. */
async function meanEntryBytes(prefix, sample = 1000) {
  const keys = await api.rpc.state.getKeysPaged(prefix, sample, null);
  let bytes = 0;
  for (const key of keys) bytes += key.length + (await api.rpc.state.getStorageSize(key)).toNumber();
  return keys.length ? bytes / keys.length : NaN;
}
const records = (await api.query.records.nextRecordId()).toNumber();
// Two entries a record: its anchor and its place in the patient's index.
const anchorBytes = await meanEntryBytes(api.query.records.anchors.keyPrefix());
const indexBytes = await meanEntryBytes(api.query.records.patientRecords.keyPrefix());
const du = Number(execFileSync('du', ['-sb', basePath]).toString().split('\t')[0]);

await api.disconnect();
await Promise.all(submitters.map((p) => p.disconnect()));

if (O.exportState) {
  // Stop the node, then have it write the state of its best block, as operators would
  // (`medchain-node export-state`).
  const stopped = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await stopped;
  const raw = JSON.parse(execFileSync(node, ['export-state', '--chain', specPath, '--base-path', basePath], {
    maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'],
  }));
  const top = raw.genesis.raw.top;
  const CODE = '0x3a636f6465'; // ':code'
  const codeHash = blake2AsHex(Buffer.from(top[CODE].slice(2), 'hex'), 256);
  delete top[CODE];
  writeFileSync(O.exportState, JSON.stringify({
    about: 'medchain state exported by tests/load/load.js --export-state (the runtime code removed)',
    codeHash,
    top,
  }));
  log(`state (${Object.keys(top).length} keys; the runtime's code hash ${codeHash}) written to ${O.exportState}`);
}

// ---- the table -------------------------------------------------------------------------------
const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const s = (ms) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : '–');
const lines = [];
lines.push(`| phase | sent | offered/s | accepted/s | included/s | finalised | → included p50 / p99 (s) | → finalised p50 / p99 (s) | blocks | block time (s) | ext/block max (mean) | weight max | built / imported: fullest, most (ms) | rejected | stranded |`);
lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const rej = [
    ...Object.entries(r.rejections).map(([k, v]) => `${v}× ${k}`),
    ...(r.droppedAfterAccepted ? [`${r.droppedAfterAccepted} dropped by the pool after it accepted them`] : []),
    ...(r.invalidAfterAccepted ? [`${r.invalidAfterAccepted} invalid after they were accepted`] : []),
    ...(r.resubmitted ? [`${r.resubmitted} accepted when offered again${r.resigned ? ` (${r.resigned} signed again: banned)` : ''}`] : []),
    ...(r.alreadyThere ? [`${r.alreadyThere} offered again found in the pool or a block`] : []),
  ].join('; ') || '0';
  if (r.rpc) {
    lines.push(`| ${r.phase} | ${r.transactions} | ${f(r.offered)} | ${f(r.accepted)} | | | ${f(r.includedP50, 2)} / ${f(r.includedP99, 2)} ms | | | | | | | ${rej} | |`);
  } else {
    const phase = r.records > 1 ? `${r.phase} (${r.records} records a transaction: ${f(r.recordsIncluded)} records/s included)` : r.phase;
    lines.push(`| ${phase} | ${r.transactions} | ${f(r.offered)} | ${f(r.accepted)} | ${f(r.included)} | ${r.finalisedCount} | ${s(r.includedP50)} / ${s(r.includedP99)} | ${s(r.finalisedP50)} / ${s(r.finalisedP99)} | ${r.blocks} | ${Number.isFinite(r.blockTime) ? (r.blockTime / 1000).toFixed(1) : '–'} | ${r.extrinsicsPerBlock} (${f(r.meanExtrinsicsPerBlock)}) | ${f(r.maxWeightPct, 1)} % | ${f(r.fullestBuildMs)} / ${f(r.fullestImportMs)}, ${f(r.maxBuildMs)} / ${f(r.maxImportMs)} | ${rej} | ${r.stranded} |`);
  }
}
const state = { records, anchorEntryBytes: anchorBytes, indexEntryBytes: indexBytes, databaseBytes: du };
lines.push('');
lines.push(`State per anchored record: ${f(anchorBytes + indexBytes)} bytes (keys + values: the anchor ${f(anchorBytes)}, the patient's index ${f(indexBytes)}; mean of up to 1000 entries of each; ${records} records). Database on disk after the run: ${(du / 1048576).toFixed(1)} MiB.`);
console.log(lines.join('\n'));
if (O.json) writeFileSync(O.json, JSON.stringify({ options: O, results, state }, null, 2));
process.exit(0);
