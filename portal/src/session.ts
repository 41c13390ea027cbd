// What every view of a signed-in patient shares: the chain, who is signed in and for whom they
// act, the chain's clock, the names of accounts, and one way to run a transaction and say how
// it ended.
import { createContext, useContext } from 'react';
import type { Account } from './accounts';
import type { Chain, Connection } from './chain';
import type { Names, Ward } from './model';
import type { Trail } from './trail';

export interface Session {
  chain: Chain;
  connection: Connection;
  account: Account;
  ward: Ward;
  /** The chain's time (ms) at the best block the page last saw. */
  now: number;
  /** The best block's number; views reload what they show when it moves. */
  best: number;
  names: Names;
  /** The patient's trail, verified, followed block by block (`null` until first read); why it
   * could not be read or brought up to date. */
  trail: Trail | null;
  trailError: string | null;
  /** Runs `make()` signed by the account; resolves with `null` once the chain says it is done,
   * or with the chain's (or the wallet's) words for why not. */
  send: (what: string, make: () => any) => Promise<string | null>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}
