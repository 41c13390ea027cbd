// Who signs in: accounts of a browser wallet extension (polkadot{.js} extension, Talisman,
// SubWallet — anything @polkadot/extension-dapp finds), and, on development chains only, the
// demo world's accounts, whose keys are public and which the page signs for itself.
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { Signing } from './chain';

export interface Account {
  address: string;
  name: string;
  /** Where it comes from: a wallet, or the demo world (keys everyone knows). */
  source: 'wallet' | 'demo';
  signing: () => Promise<Signing>;
}

/** The demo world of the `dev` and `local` presets (README): patients //One and //Two, the
 * guardian-to-be //Charlie's neighbours, the organisations' admins and staff. */
const DEMO: Array<[string, string]> = [
  ['//One', 'One — demo patient'],
  ['//Two', 'Two — demo patient'],
  ['//Eve', 'Eve — demo physician (hospital)'],
  ['//Ferdie', 'Ferdie — demo lab technician'],
  ['//Alice', "Alice — demo hospital's admin"],
];

export async function demoAccounts(): Promise<Account[]> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return DEMO.map(([uri, name]) => {
    const pair = keyring.addFromUri(uri);
    return { address: pair.address, name, source: 'demo' as const, signing: async () => ({ address: pair.address, pair }) };
  });
}

/** The accounts of the browser's wallet extensions, if any (asks the user to allow the page). */
export async function walletAccounts(): Promise<Account[] | string> {
  const { web3Enable, web3Accounts, web3FromAddress } = await import('@polkadot/extension-dapp');
  const extensions = await web3Enable('medchain patient portal');
  if (extensions.length === 0) {
    return 'No wallet extension answered: install polkadot{.js}, Talisman or SubWallet, and allow this page in it.';
  }
  const accounts = await web3Accounts({ ss58Format: 42 });
  return accounts.map((a) => ({
    address: a.address,
    name: `${a.meta.name ?? 'account'} (${a.meta.source})`,
    source: 'wallet' as const,
    signing: async () => ({ address: a.address, signer: (await web3FromAddress(a.address)).signer }),
  }));
}

export function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}
