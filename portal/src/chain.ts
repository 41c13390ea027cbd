// The connection to a medchain node (polkadot.js over WebSocket), and the two things every view
// needs of it: transactions submitted and followed until the chain says how they ended (a
// failure by the pallet's own error name and words), and medchain's RPC methods.
import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { Signer } from '@polkadot/types/types';

/** Where the node is: `?node=ws://…` in the page's address, else `config.json` beside the page
 * (scripts/portal.sh writes it), else a local node. */
export async function nodeUrl(): Promise<string> {
  const fromQuery = new URLSearchParams(window.location.search).get('node');
  if (fromQuery) return fromQuery;
  try {
    const response = await fetch('./config.json', { cache: 'no-store' });
    if (response.ok) {
      const config = (await response.json()) as { node?: string };
      if (config.node) return config.node;
    }
  } catch {
    // No config beside the page: the default.
  }
  return 'ws://127.0.0.1:9944';
}

export type Connection = 'connecting' | 'connected' | 'disconnected';

export interface Chain {
  api: ApiPromise;
  /** The socket, for medchain's own RPC methods (polkadot.js does not decorate them). */
  provider: WsProvider;
  url: string;
  /** What the chain calls itself, and whether it is a development chain (demo accounts). */
  name: string;
  development: boolean;
}

/** Connects to `url`, reconnecting by itself when the node comes back; `onStatus` hears every
 * change of the connection. Resolves once the first connection is ready. */
export async function connect(url: string, onStatus: (status: Connection) => void): Promise<Chain> {
  onStatus('connecting');
  const provider = new WsProvider(url, 2_000);
  provider.on('connected', () => onStatus('connected'));
  provider.on('disconnected', () => onStatus('disconnected'));
  provider.on('error', () => onStatus('disconnected'));
  const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: false });
  await api.isReady;
  onStatus('connected');
  const [name, chainType] = await Promise.all([api.rpc.system.chain(), api.rpc.system.chainType()]);
  return {
    api,
    provider,
    url,
    name: name.toString(),
    development: chainType.isDevelopment || chainType.isLocal,
  };
}

/** medchain's own RPC methods (`audit_trailHead`, `consent_checkAccess` …), by name. */
export async function rpc<T>(chain: Chain, method: string, ...params: unknown[]): Promise<T> {
  return (await chain.provider.send(method, params)) as T;
}

export interface TrailHead {
  lastSeq: number;
  head: string;
  lastBlock: number;
}

export async function trailHead(chain: Chain, patient: number, at?: string): Promise<TrailHead> {
  return rpc<TrailHead>(chain, 'audit_trailHead', patient, at ?? null);
}

/** A failure the chain (or the pool) reported, in words a person reads. */
export class ChainError extends Error {}

/** What a signer is: an extension's (it signs in the wallet) or a demo key's (the page signs). */
export interface Signing {
  address: string;
  signer?: Signer;
  pair?: import('@polkadot/keyring/types').KeyringPair;
}

/** Signs and submits `tx`, and follows it until a block includes it: resolves with the block's
 * hash once the chain says the call succeeded; rejects with the pallet's named error and its
 * documentation (`consent.NotPatientOrGuardian: The signer is neither the patient nor …`) if
 * the call failed, or with the pool's words if the transaction was refused. Nothing is shown
 * as done before the chain says so. */
export function submit(chain: Chain, tx: SubmittableExtrinsic<'promise'>, who: Signing): Promise<string> {
  return new Promise((resolve, reject) => {
    let unsubscribe: (() => void) | undefined;
    const done = (f: () => void) => {
      if (unsubscribe) unsubscribe();
      f();
    };
    const onResult = ({ status, dispatchError }: { status: any; dispatchError?: any }) => {
      if (dispatchError) {
        return done(() => reject(new ChainError(describe(chain, dispatchError))));
      }
      if (status.isInBlock) return done(() => resolve(status.asInBlock.toHex()));
      if (status.isInvalid || status.isDropped || status.isUsurped) {
        return done(() => reject(new ChainError(`The node did not take the transaction: ${status.type}.`)));
      }
      return undefined;
    };
    const sent = who.pair
      ? tx.signAndSend(who.pair, { nonce: -1 }, onResult)
      : tx.signAndSend(who.address, { signer: who.signer, nonce: -1 }, onResult);
    sent.then(
      (u) => {
        unsubscribe = u;
      },
      (e: unknown) => reject(new ChainError(poolWords(e))),
    );
  });
}

/** A dispatch error as the pallet names and documents it. */
export function describe(chain: Chain, dispatchError: any): string {
  if (dispatchError.isModule) {
    const { section, name, docs } = chain.api.registry.findMetaError(dispatchError.asModule);
    return `${section}.${name}: ${docs.join(' ')}`;
  }
  return dispatchError.toString();
}

/** The pool's refusal (JSON-RPC 1010 …) in words. */
function poolWords(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  if (/Invalid signing address/.test(text)) return `The chain does not know this account: ${text}`;
  if (/Custom error: 1\b/.test(text)) return `Too many transactions waiting: wait for a block and try again (${text}).`;
  if (/Custom error: 2\b/.test(text)) return `This account may not make this call (${text}).`;
  if (/Cancelled|Rejected/i.test(text)) return `Not signed: ${text}`;
  return text;
}
