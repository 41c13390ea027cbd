// A patient's audit trail, read from the chain and verified in the browser.
//
// The chain keeps only the trail's head (`audit_trailHead`: the last sequence number, the
// running hash, the block of the last entry); each entry travels in an `audit.EntryRecorded`
// event with the hash after it and the block of the entry before. The walk reads only those
// blocks' events (each with that block's metadata: `api.at`), then rebuilds the hash chain
// h_n = blake2_256(h_{n-1} ‖ SCALE(entry_n)) from the entries' own bytes and compares it with
// every recorded hash and with the head: the "verified" mark is earned here, not trusted.
import { u8aConcat, u8aToHex, hexToU8a } from '@polkadot/util';
import { blake2AsU8a, encodeAddress } from '@polkadot/util-crypto';
import { trailHead, type Chain, type TrailHead } from './chain';
import { CATEGORIES, PURPOSES, fromBits, type Category, type Purpose } from './vocabulary';

export type ConsentRef = { grant: number } | { emergency: number } | { deny: number };

export interface TrailEntry {
  seq: number;
  at: number;
  /** The block whose events hold it, and the running hash the chain recorded after it. */
  block: number;
  head: string;
  action: string;
  actor: string | null; // SS58; null: governance
  organisation: number | null;
  categories: Category[];
  purposes: Purpose[];
  outcome: 'Success' | 'Permitted' | 'Denied';
  record: number | null;
  consent: ConsentRef | null;
  subject: string | null;
  /** The entry's SCALE bytes, as the chain hashed them. */
  bytes: Uint8Array;
}

export interface Trail {
  patient: number;
  /** Oldest first. */
  entries: TrailEntry[];
  /** Where it was read: the block, its hash, the trail head there. */
  block: number;
  blockHash: string;
  head: TrailHead;
  /** `true` once the rebuilt hash chain matched every recorded hash and the head; otherwise
   * why not. */
  verified: true | string;
}

const ZERO = new Uint8Array(32);
const ss58 = (account: any) => encodeAddress(account.toU8a(), 42);

function consentRef(raw: any): ConsentRef | null {
  if (raw.isNone) return null;
  const c = raw.unwrap();
  if (c.isGrant) return { grant: c.asGrant.toNumber() };
  if (c.isEmergency) return { emergency: c.asEmergency.toNumber() };
  return { deny: c.asDeny.toNumber() };
}

function entryOf(raw: any, block: number, head: string): TrailEntry {
  const e = raw.event;
  return {
    seq: raw.seq.toNumber(),
    at: raw.at.toNumber(),
    block,
    head,
    action: e.action.toString(),
    actor: e.actor.isAccount ? ss58(e.actor.asAccount) : null,
    organisation: e.organisation.isSome ? e.organisation.unwrap().toNumber() : null,
    categories: fromBits(CATEGORIES, e.categories.toNumber()),
    purposes: fromBits(PURPOSES, e.purposes.toNumber()),
    outcome: e.outcome.toString(),
    record: e.record.isSome ? e.record.unwrap().toNumber() : null,
    consent: consentRef(e.consent),
    subject: e.subject.isSome ? ss58(e.subject.unwrap()) : null,
    bytes: raw.toU8a(),
  };
}

/** `patient`'s entries among block `number`'s events, by sequence number, with the block of the
 * entry before each. */
async function entriesIn(chain: Chain, patient: number, number: number) {
  const hash = await chain.api.rpc.chain.getBlockHash(number);
  const at = await chain.api.at(hash);
  const events = (await at.query.system.events()) as any;
  const found = new Map<number, { entry: TrailEntry; previousBlock: number }>();
  for (const { event } of events) {
    if (event.section !== 'audit' || event.method !== 'EntryRecorded') continue;
    const [entry, head, previousBlock] = event.data as any;
    if (entry.event.patient.toNumber() !== patient) continue;
    found.set(entry.seq.toNumber(), { entry: entryOf(entry, number, head.toHex()), previousBlock: previousBlock.toNumber() });
  }
  return found;
}

/** The entries `from + 1 … head.lastSeq`, walking back from the head's block. */
async function walk(chain: Chain, patient: number, head: TrailHead, from: number): Promise<TrailEntry[]> {
  const out: TrailEntry[] = [];
  let seq = head.lastSeq;
  let block = head.lastBlock;
  let loaded = -1;
  let here = new Map<number, { entry: TrailEntry; previousBlock: number }>();
  while (seq > from) {
    if (block === 0) throw new Error(`entries up to ${seq} were recorded before the chain linked its blocks (runtime 103): export them with the CLI from an archive node`);
    if (block !== loaded) {
      here = await entriesIn(chain, patient, block);
      loaded = block;
    }
    const found = here.get(seq);
    if (!found) throw new Error(`entry ${seq} is not in block #${block}, where the chain says it is`);
    out.push(found.entry);
    block = found.previousBlock;
    seq -= 1;
  }
  return out.reverse();
}

/** Rebuilds the hash chain over `entries` (all of the trail, oldest first) and compares it with
 * the hashes recorded beside them and with `head`. */
export function verify(entries: TrailEntry[], head: TrailHead): true | string {
  let h: Uint8Array = ZERO;
  for (const [i, entry] of entries.entries()) {
    if (entry.seq !== i + 1) return `entry ${i + 1} is missing (entry ${entry.seq} came in its place)`;
    h = blake2AsU8a(u8aConcat(h, entry.bytes), 256);
    if (u8aToHex(h) !== entry.head) return `entry ${entry.seq} does not hash to what the chain recorded with it`;
  }
  if (entries.length !== head.lastSeq) return `the trail head counts ${head.lastSeq} entries, ${entries.length} were found`;
  if (u8aToHex(h) !== u8aToHex(hexToU8a(head.head))) return 'the rebuilt hash is not the trail head';
  return true;
}

/** The whole trail at block `blockHash` (default: the best block), verified. */
export async function loadTrail(chain: Chain, patient: number, blockHash?: string): Promise<Trail> {
  const hash = blockHash ?? (await chain.api.rpc.chain.getBlockHash()).toHex();
  const header = await chain.api.rpc.chain.getHeader(hash);
  const head = await trailHead(chain, patient, hash);
  const entries = await walk(chain, patient, head, 0);
  return { patient, entries, block: header.number.toNumber(), blockHash: hash, head, verified: verify(entries, head) };
}

/** `trail` brought up to the best block: only the entries added since are read, and the whole
 * chain is verified again against the new head. */
export async function refreshTrail(chain: Chain, trail: Trail): Promise<Trail> {
  const hash = (await chain.api.rpc.chain.getBlockHash()).toHex();
  const head = await trailHead(chain, trail.patient, hash);
  if (head.lastSeq === trail.head.lastSeq && head.head === trail.head.head) {
    const header = await chain.api.rpc.chain.getHeader(hash);
    return { ...trail, block: header.number.toNumber(), blockHash: hash };
  }
  if (head.lastSeq < trail.head.lastSeq) return loadTrail(chain, trail.patient, hash); // a re-org
  const header = await chain.api.rpc.chain.getHeader(hash);
  const added = await walk(chain, trail.patient, head, trail.head.lastSeq);
  const entries = [...trail.entries, ...added];
  return { patient: trail.patient, entries, block: header.number.toNumber(), blockHash: hash, head, verified: verify(entries, head) };
}
