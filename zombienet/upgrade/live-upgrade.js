// The live runtime upgrade (issue 12), on four validators that started on the previous release
// (zombienet/upgrade.sh). With the operators' own tool (scripts/upgrade.js):
//  1. transactions flow all along: patients //One and //Two anchor their own records (each also
//     an audit entry), one after another, from before the motions to after the upgrade;
//  2. a motion with 1 of 4 votes is disapproved: nothing is authorised, the runtime is the same;
//  3. a motion of 3 of 4 authorises the new runtime; it is applied unsigned;
//  4. all four nodes switch at the same block (the same block hash, the old version at the
//     block that carries the code, the new one at the next), and finality never stalls;
//  5. every transaction is finalised; the audit trails rebuilt from every block's events match
//     the chain's heads after the upgrade (the hash chain continues across it), their old
//     heads were rewritten (Audit.TrailsRewritten), and every record anchored before reads back
//     as it was; the Rust client's export (medchain audit export) reads both runtimes' entries.
// Returns 1 on success; throws (with what went wrong) otherwise.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const up = require(path.join(__dirname, '..', '..', 'scripts', 'upgrade.js'));
const { createRequire } = require('node:module');
const requireFromTests = createRequire(path.join(__dirname, '..', '..', 'tests', 'package.json'));
const { Keyring } = requireFromTests('@polkadot/api');
const { blake2AsHex, blake2AsU8a, cryptoWaitReady, randomAsU8a } = requireFromTests('@polkadot/util-crypto');

const NODES = ['alice', 'bob', 'charlie', 'dave'];
const log = (...a) => console.log(`    [upgrade] ${new Date().toISOString().slice(11, 19)}`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function check(condition, what) {
  if (!condition) throw new Error(`live upgrade: ${what}`);
}

async function connect(uri) {
  for (let i = 0; ; i++) {
    try {
      return await up.connect(uri);
    } catch (e) {
      if (i > 60) throw e;
      await sleep(2000);
    }
  }
}

async function finalised(api) {
  const hash = await api.rpc.chain.getFinalizedHead();
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
}

async function specAt(api, number) {
  const hash = await api.rpc.chain.getBlockHash(number);
  return { hash: hash.toHex(), spec: (await api.rpc.state.getRuntimeVersion(hash)).specVersion.toNumber() };
}

/**
 * Patients anchoring their own records one after another until stopped. A transaction signed
 * for the old runtime that reaches the pool's revalidation after the upgrade is invalid
 * (CheckSpecVersion): like any client, the loop signs it again (counted in `resigned`).
 */
function traffic(api, patients) {
  const sent = [];
  let running = true;
  const loops = patients.map(async ({ pair, id }) => {
    while (running) {
      const contentHash = blake2AsHex(randomAsU8a(32), 256);
      const locator = blake2AsHex(randomAsU8a(32), 256);
      const item = { patient: id, contentHash, resigned: 0 };
      sent.push(item);
      for (;;) {
        try {
          const blockHash = await up.inBlock(api, api.tx.records.anchor(id, 'LabResults', 'Treatment', contentHash, locator), pair);
          // Read as the runtime that executed the block wrote them (around the upgrade
          // polkadot.js's own reading uses the new metadata: up.inBlock).
          const anchored = (await up.eventsOf(api, blockHash)).find((e) => e.section === 'records' && e.method === 'RecordAnchored' && e.data[2].toHex() === contentHash);
          check(anchored, `no RecordAnchored for ${contentHash} in ${blockHash}`);
          item.recordId = anchored.data[0].toNumber();
          item.blockHash = blockHash;
          item.blockNumber = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
          break;
        } catch (e) {
          if (/Invalid|1010/.test(e.message) && item.resigned < 2) {
            item.resigned += 1;
            await sleep(3000);
            continue;
          }
          item.error = e.message;
          break;
        }
      }
      await sleep(500);
    }
  });
  return { sent, stop: async () => { running = false; await Promise.all(loops); } };
}

/** Samples every node's finalised height every 2 s; records the longest time without progress. */
function finalityWatch(apis) {
  const last = apis.map(() => ({ number: 0, since: Date.now() }));
  let longest = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      await Promise.all(apis.map(async (api, i) => {
        const n = await finalised(api).catch(() => last[i].number);
        if (n > last[i].number) last[i] = { number: n, since: Date.now() };
        longest = Math.max(longest, Date.now() - last[i].since);
      }));
      await sleep(2000);
    }
  })();
  return { longestStallMs: () => longest, stop: async () => { running = false; await loop; } };
}

/** Every EntryRecorded of blocks 1..to, per patient, in order (each block's events decoded as
 * the runtime that executed it wrote them). */
async function entriesByPatient(api, to) {
  const byPatient = new Map();
  for (let n = 1; n <= to; n++) {
    for (const event of await up.eventsOf(api, await api.rpc.chain.getBlockHash(n))) {
      if (event.section === 'audit' && event.method === 'EntryRecorded') {
        const entry = event.data[0];
        const patient = entry.event.patient.toNumber();
        if (!byPatient.has(patient)) byPatient.set(patient, []);
        byPatient.get(patient).push({ entry, block: n, previousBlock: event.data.length > 2 ? event.data[2].toNumber() : null });
      }
    }
  }
  return byPatient;
}

function rebuild(entries) {
  let head = new Uint8Array(32);
  let lastSeq = 0;
  for (const { entry } of entries) {
    check(entry.seq.toNumber() === lastSeq + 1, `entry ${entry.seq} where ${lastSeq + 1} was due`);
    head = blake2AsU8a(new Uint8Array([...head, ...entry.toU8a()]), 256);
    lastSeq += 1;
  }
  return { lastSeq, head: '0x' + Buffer.from(head).toString('hex') };
}

async function run(_nodeName, networkInfo) {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const [alice, bob, charlie, dave] = ['//Alice', '//Bob', '//Charlie', '//Dave'].map((s) => keyring.addFromUri(s));
  const patients = [{ pair: keyring.addFromUri('//One'), id: 0 }, { pair: keyring.addFromUri('//Two'), id: 1 }];
  const apis = await Promise.all(NODES.map((n) => connect(networkInfo.nodesByName[n].wsUri)));
  const [api] = apis;
  const from = Number(process.env.MEDCHAIN_UPGRADE_FROM);
  const { code, hash } = up.readCode(process.env.MEDCHAIN_UPGRADE_WASM);
  for (const a of apis) check((await a.rpc.state.getRuntimeVersion()).specVersion.toNumber() === from, `a node does not run ${from}`);
  log(`all four run ${from}; upgrading to ${hash} (${code.length} bytes)`);

  const watch = finalityWatch(apis);
  const flow = traffic(api, patients);
  await sleep(15000);

  // 2. One of four: disapproved, nothing changes.
  await up.propose(api, alice, hash);
  await up.vote(api, bob, hash, false);
  await up.vote(api, charlie, hash, false);
  const lone = await up.close(api, dave, hash);
  check(lone.outcome === 'disapproved', `a 1-of-4 motion ended ${JSON.stringify(lone)}`);
  check((await api.query.system.authorizedUpgrade()).isNone, 'a 1-of-4 motion authorised an upgrade');
  check((await api.rpc.state.getRuntimeVersion()).specVersion.toNumber() === from, 'the runtime changed');
  log('a 1-of-4 motion was disapproved; nothing is authorised');

  // 3. Three of four: authorised, then applied (unsigned) through another node.
  await up.propose(api, alice, hash);
  await up.vote(api, bob, hash, true);
  await up.vote(api, charlie, hash, true);
  const passed = await up.close(api, alice, hash);
  check(passed.outcome === 'authorised', `the 3-of-4 motion ended ${JSON.stringify(passed)}`);
  log('the council authorised the upgrade');
  const applied = await up.apply(apis[1], code, hash);
  check(applied.outcome === 'updated', `the code was not applied: ${JSON.stringify(applied)}`);
  const U = applied.blockNumber;
  log(`code set in block #${U}`);

  // 4. Every node: block U (executed by the old runtime) stores the new code, so the state
  // after U-1 is the old version's and after U the new one's; U+1 is the first block the new
  // runtime executes. The same blocks on every node; finality goes on.
  for (const a of apis) {
    const deadline = Date.now() + 300000;
    while ((await finalised(a)) < U + 3) {
      check(Date.now() < deadline, 'finality did not pass the upgrade within 5 minutes');
      await sleep(2000);
    }
  }
  const seen = await Promise.all(apis.map(async (a) => [await specAt(a, U - 1), await specAt(a, U), await specAt(a, U + 1)]));
  const to = (await api.rpc.state.getRuntimeVersion()).specVersion.toNumber();
  check(to > from, `the runtime is still ${to}`);
  for (const [i, [before, at, next]] of seen.entries()) {
    check(before.spec === from && at.spec === to && next.spec === to, `${NODES[i]}: after #${U - 1} ${before.spec}, after #${U} ${at.spec}`);
    check([0, 1, 2].every((k) => seen[i][k].hash === seen[0][k].hash), `${NODES[i]} has other blocks at #${U - 1}..#${U + 1}`);
  }
  log(`all four switched from ${from} to ${to}: #${U} stored the code, #${U + 1} ran ${to}`);

  // Transactions go on after the upgrade.
  await sleep(20000);
  await flow.stop();
  // Every node finalises the block of the last transaction.
  const end = Math.max(...flow.sent.filter((t) => t.blockNumber).map((t) => t.blockNumber));
  for (const a of apis) {
    const deadline = Date.now() + 120000;
    while ((await finalised(a)) < end) {
      check(Date.now() < deadline, `#${end} was not finalised within 2 minutes`);
      await sleep(2000);
    }
  }
  await watch.stop();

  // 5. Every transaction finalised.
  const failed = flow.sent.filter((t) => t.error);
  check(failed.length === 0, `transactions failed: ${JSON.stringify(failed.slice(0, 3))}`);
  const finalHash = (await api.rpc.chain.getFinalizedHead()).toHex();
  const finalNumber = (await api.rpc.chain.getHeader(finalHash)).number.toNumber();
  for (const t of flow.sent) {
    const canonical = (await api.rpc.chain.getBlockHash(t.blockNumber)).toHex();
    check(t.blockNumber <= finalNumber, `the transaction in #${t.blockNumber} is beyond the finalised #${finalNumber}`);
    check(canonical === t.blockHash, `the block #${t.blockNumber} of a transaction was replaced: ${t.blockHash} → ${canonical}`);
  }
  const before = flow.sent.filter((t) => t.blockNumber <= U).length;
  const after = flow.sent.filter((t) => t.blockNumber > U + 1).length;
  check(before > 0 && after > 0, `transactions before (${before}) and after (${after}) the upgrade`);
  const resigned = flow.sent.reduce((n, t) => n + t.resigned, 0);
  log(`${flow.sent.length} transactions finalised (${before} before the upgrade, ${after} after; ${resigned} signed again for the new runtime); longest finality stall ${(watch.longestStallMs() / 1000).toFixed(0)} s`);
  check(watch.longestStallMs() < 60000, `finality stalled for ${watch.longestStallMs()} ms`);

  // The audit trails: rebuilt from all events, they match the heads after the upgrade, and
  // each entry recorded by the new runtime names the block of the entry before it (0 for the
  // first: its predecessor was recorded by the old runtime, which kept no blocks).
  const byPatient = await entriesByPatient(api, finalNumber);
  for (const { id } of patients) {
    const entries = byPatient.get(id) || [];
    const head = await api._rpcCore.provider.send('audit_trailHead', [id, finalHash]);
    const rebuilt = rebuild(entries);
    check(rebuilt.lastSeq === head.lastSeq && rebuilt.head === head.head, `patient ${id}'s trail does not rebuild to its head ${JSON.stringify(head)}`);
    check(head.lastBlock === entries[entries.length - 1].block, `patient ${id}'s head names block ${head.lastBlock}, its last entry is in ${entries[entries.length - 1].block}`);
    const linked = entries.filter((e) => e.block > U);
    check(linked.length > 1 && linked[0].previousBlock === 0, `patient ${id}'s first entry after the upgrade names block ${linked[0] && linked[0].previousBlock}`);
    for (let k = 1; k < linked.length; k++) {
      check(linked[k].previousBlock === linked[k - 1].block, `patient ${id}: entry ${linked[k].entry.seq} names block ${linked[k].previousBlock}, not ${linked[k - 1].block}`);
    }
  }
  let rewritten = false;
  for (let n = U + 1; n <= finalNumber && !rewritten; n++) {
    rewritten = (await up.eventsOf(api, await api.rpc.chain.getBlockHash(n))).some((e) => e.section === 'audit' && e.method === 'TrailsRewritten');
  }
  check(rewritten, 'the old trail heads were not rewritten');

  // The Rust client exports the same trails across the upgrade (\`medchain audit export\`, the
  // CLI built with this runtime): blocks the old runtime executed are read with its own
  // metadata, and the entries it recorded, which no block links to, are found by a scan.
  const cli = process.env.MEDCHAIN_CLI;
  const medchain = (args) => execFileSync(cli, ['--url', networkInfo.nodesByName.alice.wsUri, '--json', 'audit', 'export', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  for (const { id } of patients) {
    const entries = byPatient.get(id);
    const args = ['--patient', String(id), '--at', finalHash];
    let stopped = null;
    try {
      medchain(args);
    } catch (e) {
      stopped = e;
    }
    check(stopped && stopped.status === 4 && /--scan-unlinked/.test(stopped.stderr), `patient ${id}: an export without --scan-unlinked did not stop at the unlinked entries: ${stopped && stopped.stderr}`);
    const file = path.join(os.tmpdir(), `medchain-upgrade-export-${process.pid}-${id}.ndjson`);
    const summary = JSON.parse(medchain([...args, '--scan-unlinked', '--out', file]));
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    fs.rmSync(file);
    const exported = lines.slice(1);
    check(summary.entries === entries.length && exported.length === entries.length, `patient ${id}: exported ${summary.entries} entries, the blocks hold ${entries.length}`);
    check(exported.every((e, k) => e.seq === k + 1 && e.block === entries[k].block), `patient ${id}: the export's blocks are not the events' blocks`);
    const head = await api._rpcCore.provider.send('audit_trailHead', [id, finalHash]);
    check(lines[0].trail.head === head.head && exported[exported.length - 1].head === head.head, `patient ${id}: the export does not end at the head ${head.head}`);
    check(summary.olderRuntimes === 1 && summary.blocksScanned > 0, `patient ${id}: ${JSON.stringify(summary)}`);
    log(`patient ${id}: medchain audit export read ${summary.entries} entries from ${summary.blocksRead} blocks (${summary.blocksScanned} scanned), runtime ${from}'s with its metadata`);
  }

  // Records anchored before the upgrade read back as they were: the same stored bytes before
  // and after, and `records_verify` matches their fingerprints.
  const send = (method, params) => api._rpcCore.provider.send(method, params);
  for (const t of flow.sent.filter((x) => x.blockNumber <= U)) {
    const key = api.query.records.anchors.key(t.recordId);
    const was = await send('state_getStorage', [key, seen[0][1].hash]);
    const is = await send('state_getStorage', [key, finalHash]);
    check(was && was === is, `record ${t.recordId} reads differently after the upgrade`);
    const verified = await send('records_verify', [t.recordId, t.contentHash, finalHash]);
    check(JSON.stringify(verified) === JSON.stringify({ Matches: { status: 'Current' } }), `record ${t.recordId}: records_verify says ${JSON.stringify(verified)}`);
  }
  log('the audit trails and the records read back as before the upgrade');

  await Promise.all(apis.map((a) => a.disconnect()));
  return 1;
}

module.exports = { run };
