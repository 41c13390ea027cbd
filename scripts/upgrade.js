#!/usr/bin/env node
// The council's runtime upgrade, step by step (docs/operators.md, "Upgrading the runtime").
//
//   node scripts/upgrade.js hash <runtime.wasm>                 BLAKE2b-256 of the code, and its version
//   node scripts/upgrade.js status  [--url U]                  running version, authorised hash, open motions
//   node scripts/upgrade.js propose <runtime.wasm> [--url U]   a seat proposes authorizeUpgrade(hash), threshold ⌈2n/3⌉
//   node scripts/upgrade.js vote    <runtime.wasm> [--url U] [--nay]
//   node scripts/upgrade.js close   <runtime.wasm> [--url U]   ends the motion (passed: the upgrade is authorised)
//   node scripts/upgrade.js apply   <runtime.wasm> [--url U]   submits the code (unsigned); waits for the outcome
//
// The seat's key (propose, vote, close) is read from the file named by --key-file (`-`: stdin)
// or from the environment variable MEDCHAIN_SEAT_SECRET: a secret URI or phrase, never an
// argument. --url defaults to ws://127.0.0.1:9944. Exit codes: 0 done, 1 refused or failed
// (the reason is printed), 2 wrong usage.
//
// The same functions are what zombienet/upgrade.zndsl runs, so this runbook is tested.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { createRequire } = require('node:module');

// polkadot.js as the tests install it (scripts/setup.sh: tests/node_modules).
const requireFromTests = createRequire(path.join(__dirname, '..', 'tests', 'package.json'));
const { ApiPromise, WsProvider, Keyring } = requireFromTests('@polkadot/api');
const { blake2AsHex, cryptoWaitReady } = requireFromTests('@polkadot/util-crypto');
const { u8aToHex } = requireFromTests('@polkadot/util');
const { Metadata, TypeRegistry } = requireFromTests('@polkadot/types');

/** A generous bound for `council.close`: authorizeUpgrade weighs microseconds. */
const WEIGHT_BOUND = { refTime: 10_000_000_000, proofSize: 100_000 };

class Refused extends Error {}

/** The code as it is submitted, and the hash the council authorises. */
function readCode(file) {
  if (!file) throw new Refused('name the runtime: <runtime.wasm>');
  if (!fs.existsSync(file)) throw new Refused(`no runtime at ${file}`);
  const code = fs.readFileSync(file);
  return { code, hash: blake2AsHex(code, 256) };
}

async function connect(url) {
  const provider = new WsProvider(url, false);
  const ready = await Promise.race([
    provider.connect().then(() => provider.isReady).then(() => true, () => false),
    new Promise((r) => setTimeout(() => r(false), 15000)),
  ]);
  if (!ready) {
    await provider.disconnect().catch(() => {});
    throw new Refused(`no node answers at ${url}`);
  }
  return ApiPromise.create({ provider, noInitWarn: true });
}

/** The seat's key pair, from a file, stdin, or MEDCHAIN_SEAT_SECRET. */
async function seatKey(keyFile) {
  let secret;
  if (keyFile === '-') secret = fs.readFileSync(0, 'utf8');
  else if (keyFile) secret = fs.readFileSync(keyFile, 'utf8');
  else secret = process.env.MEDCHAIN_SEAT_SECRET;
  if (!secret || !secret.trim()) {
    throw new Refused('no seat key: pass --key-file <file> (or -, for stdin) or set MEDCHAIN_SEAT_SECRET');
  }
  await cryptoWaitReady();
  return new Keyring({ type: 'sr25519' }).addFromUri(secret.trim());
}

/** Signs and submits; resolves with the block's events once in a block, rejects with the named error. */
function submit(api, tx, signer) {
  return new Promise((resolve, reject) => {
    let unsub = () => {};
    const done = (f, v) => { unsub(); f(v); };
    const handle = ({ status, events, dispatchError }) => {
      if (dispatchError) {
        if (dispatchError.isModule) {
          const { section, name, docs } = api.registry.findMetaError(dispatchError.asModule);
          return done(reject, new Refused(`${section}.${name}: ${docs.join(' ')}`));
        }
        return done(reject, new Refused(dispatchError.toString()));
      }
      if (status.isInBlock) return done(resolve, { blockHash: status.asInBlock.toHex(), events: events.map((e) => e.event) });
      if (status.isDropped || status.isInvalid || status.isUsurped) return done(reject, new Refused(`transaction ${status.type}`));
    };
    const sent = signer ? tx.signAndSend(signer, { nonce: -1 }, handle) : tx.send(handle);
    sent.then((u) => { unsub = u; }, (e) => reject(new Refused(e.message)));
  });
}

/**
 * Signs (if `signer` is given, with the nonce the node expects) and submits; resolves with the
 * hash of the block that includes the transaction, from the pool's statuses alone, without
 * reading its events: read them with `eventsOf`. Around an upgrade polkadot.js reads a block's
 * events with the registry it tagged with that block when its runtime-version subscription saw
 * new code there — the new runtime's, which cannot decode what the old one wrote — and then
 * never reports the block (`submit` would wait for ever; seen in zombienet/upgrade.sh).
 */
async function inBlock(api, tx, signer) {
  if (signer) await tx.signAsync(signer, { nonce: -1 });
  return new Promise((resolve, reject) => {
    let unsub = null;
    let finished = false;
    const done = (f, v) => { finished = true; unsub?.(); f(v); };
    api.rpc.author.submitAndWatchExtrinsic(tx, (status) => {
      if (status.isInBlock) return done(resolve, status.asInBlock.toHex());
      if (status.isFinalized) return done(resolve, status.asFinalized.toHex());
      if (status.isDropped || status.isInvalid || status.isUsurped) return done(reject, new Refused(`transaction ${status.type}`));
    }).then((u) => { unsub = u; if (finished) u(); }, (e) => reject(new Refused(e.message)));
  });
}

async function seats(api) {
  return (await api.query.councilMembership.members()).map((m) => m.toString());
}

/** ⌈2n/3⌉ of the n seats: the governance origin. */
function threshold(n) {
  return Math.ceil((2 * n) / 3);
}

/** The open council motion that authorises `hash`, if any: { proposalHash, index, ayes, nays, threshold }. */
async function findMotion(api, hash) {
  for (const proposalHash of await api.query.council.proposals()) {
    const call = await api.query.council.proposalOf(proposalHash);
    if (call.isNone) continue;
    const { section, method, args } = call.unwrap();
    if (section === 'upgrades' && method === 'authorizeUpgrade' && args[0].toHex() === hash) {
      const voting = (await api.query.council.voting(proposalHash)).unwrap();
      return {
        proposalHash: proposalHash.toHex(),
        index: voting.index.toNumber(),
        threshold: voting.threshold.toNumber(),
        ayes: voting.ayes.map(String),
        nays: voting.nays.map(String),
        length: call.unwrap().encodedLength,
      };
    }
  }
  return null;
}

async function status(api) {
  const version = await api.rpc.state.getRuntimeVersion();
  const authorised = await api.query.system.authorizedUpgrade();
  const motions = [];
  for (const proposalHash of await api.query.council.proposals()) {
    const call = await api.query.council.proposalOf(proposalHash);
    if (call.isSome && call.unwrap().section === 'upgrades') motions.push({ proposalHash: proposalHash.toHex(), call: call.unwrap().toHuman() });
  }
  return {
    specName: version.specName.toString(),
    specVersion: version.specVersion.toNumber(),
    transactionVersion: version.transactionVersion.toNumber(),
    authorisedCodeHash: authorised.isSome ? authorised.unwrap().codeHash.toHex() : null,
    upgradeMotions: motions,
  };
}

/** A seat proposes `upgrades.authorizeUpgrade(hash)` with the governance threshold; it counts as its aye. */
async function propose(api, seat, hash, overrideThreshold) {
  if (await findMotion(api, hash)) throw new Refused(`a motion to authorise ${hash} is already open: vote on it`);
  const n = (await seats(api)).length;
  const call = api.tx.upgrades.authorizeUpgrade(hash);
  const { events } = await submit(api, api.tx.council.propose(overrideThreshold ?? threshold(n), call, call.method.encodedLength), seat);
  const proposed = events.find((e) => api.events.council.Proposed.is(e));
  if (!proposed) throw new Refused('the motion was not opened');
  const { proposalHash, proposalIndex } = proposed.data;
  await submit(api, api.tx.council.vote(proposalHash, proposalIndex, true), seat);
  return { proposalHash: proposalHash.toHex(), index: proposalIndex.toNumber(), threshold: overrideThreshold ?? threshold(n) };
}

async function vote(api, seat, hash, aye) {
  const motion = await findMotion(api, hash);
  if (!motion) throw new Refused(`no open motion authorises ${hash}`);
  await submit(api, api.tx.council.vote(motion.proposalHash, motion.index, aye), seat);
  return findMotion(api, hash);
}

/** Closes the motion: { outcome: 'authorised' | 'disapproved' | 'failed', ... }. */
async function close(api, seat, hash) {
  const motion = await findMotion(api, hash);
  if (!motion) throw new Refused(`no open motion authorises ${hash}`);
  const { events, blockHash } = await submit(api, api.tx.council.close(motion.proposalHash, motion.index, WEIGHT_BOUND, motion.length), seat);
  const executed = events.find((e) => api.events.council.Executed.is(e));
  if (events.some((e) => api.events.council.Disapproved.is(e))) return { outcome: 'disapproved', blockHash };
  if (!executed) throw new Refused('the motion was not closed');
  const result = executed.data.result;
  if (result.isErr) return { outcome: 'failed', error: result.asErr.toString(), blockHash };
  return { outcome: 'authorised', codeHash: hash, blockHash };
}

/** Type registries by runtime version: `{ registry, eventsType }` from that runtime's metadata. */
const registries = new Map();

/**
 * The events of block `hash`, decoded as the runtime that executed it wrote them: with the
 * metadata of the runtime in its parent's state. (The block that applies an upgrade already
 * holds the new code in its own state, but was executed by the old one; a client decoding
 * it with the newest metadata misreads any event whose shape changed.) A registry of its own
 * per runtime version, built from `state_getMetadata`.
 */
async function eventsOf(api, hash) {
  const send = (method, params) => api._rpcCore.provider.send(method, params);
  const { parentHash } = await send('chain_getHeader', [hash]);
  const version = await send('state_getRuntimeVersion', [parentHash]);
  const id = `${version.specName}-${version.specVersion}`;
  if (!registries.has(id)) {
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, await send('state_getMetadata', [parentHash]));
    registry.setMetadata(metadata);
    const system = metadata.asLatest.pallets.find((p) => p.name.eq('System'));
    const events = system.storage.unwrap().items.find((i) => i.name.eq('Events'));
    registries.set(id, { registry, eventsType: registry.createLookupType(events.type.asPlain), key: api.query.system.events.key() });
  }
  const { registry, eventsType, key } = registries.get(id);
  const raw = await send('state_getStorage', [key, hash]);
  if (!raw) return [];
  return registry.createType(eventsType, raw).map((record) => record.event);
}

/** Submits the authorised code unsigned; resolves once its block is in: { outcome: 'updated' | 'rejected', ... }. */
async function apply(api, code, hash) {
  const authorised = await api.query.system.authorizedUpgrade();
  if (authorised.isNone) throw new Refused('no upgrade is authorised');
  if (authorised.unwrap().codeHash.toHex() !== hash) {
    throw new Refused(`the authorised upgrade is ${authorised.unwrap().codeHash.toHex()}, not this code (${hash})`);
  }
  const blockHash = await inBlock(api, api.tx.system.applyAuthorizedUpgrade(u8aToHex(code)));
  const number = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  const events = await eventsOf(api, blockHash);
  const is = (method) => (e) => e.section === 'system' && e.method === method;
  if (events.some(is('CodeUpdated'))) {
    const version = await api.rpc.state.getRuntimeVersion(blockHash);
    return { outcome: 'updated', blockHash, blockNumber: number, specVersion: version.specVersion.toNumber() };
  }
  const rejected = events.find(is('RejectedInvalidAuthorizedUpgrade'));
  if (rejected) {
    const error = rejected.registry.findMetaError(rejected.data[1].asModule);
    return { outcome: 'rejected', error: `${error.section}.${error.name}`, blockHash, blockNumber: number };
  }
  throw new Refused(`the code was included in #${number} without an outcome`);
}

function parseArgs(argv) {
  const opts = { url: 'ws://127.0.0.1:9944', positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--url') opts.url = argv[++i];
    else if (a === '--key-file') opts.keyFile = argv[++i];
    else if (a === '--nay') opts.nay = true;
    else if (a === '--threshold') opts.threshold = Number(argv[++i]);
    else if (a.startsWith('--')) throw Object.assign(new Error(`unknown option ${a}`), { usage: true });
    else opts.positional.push(a);
  }
  return opts;
}

async function main() {
  const [command, ...rest] = process.argv.slice(2);
  let opts;
  try {
    opts = parseArgs(rest);
  } catch (e) {
    console.error(`upgrade: ${e.message}`);
    return 2;
  }
  const commands = ['hash', 'status', 'propose', 'vote', 'close', 'apply'];
  if (!commands.includes(command)) {
    console.error(`upgrade: usage: node scripts/upgrade.js <${commands.join('|')}> … (see the header of scripts/upgrade.js)`);
    return 2;
  }
  let api;
  try {
    if (command === 'hash') {
      const { code, hash } = readCode(opts.positional[0]);
      console.log(JSON.stringify({ file: opts.positional[0], bytes: code.length, codeHash: hash }));
      return 0;
    }
    const code = command === 'status' ? null : readCode(opts.positional[0]);
    const seat = ['propose', 'vote', 'close'].includes(command) ? await seatKey(opts.keyFile) : null;
    api = await connect(opts.url);
    let out;
    if (command === 'status') out = await status(api);
    else if (command === 'propose') out = await propose(api, seat, code.hash, opts.threshold);
    else if (command === 'vote') out = await vote(api, seat, code.hash, !opts.nay);
    else if (command === 'close') out = await close(api, seat, code.hash);
    else if (command === 'apply') out = await apply(api, code.code, code.hash);
    console.log(JSON.stringify(out, null, 1));
    return out && (out.outcome === 'failed' || out.outcome === 'rejected' || out.outcome === 'disapproved') ? 1 : 0;
  } catch (e) {
    console.error(`upgrade: ${e instanceof Refused ? e.message : e.stack}`);
    return 1;
  } finally {
    if (api) await api.disconnect().catch(() => {});
  }
}

module.exports = { readCode, connect, seatKey, submit, inBlock, seats, threshold, findMotion, status, propose, vote, close, apply, eventsOf, Refused };

if (require.main === module) main().then((code) => process.exit(code));
