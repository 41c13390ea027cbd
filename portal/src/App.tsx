// The portal: connect to a node, sign in, pick the patient to act for, and the patient's pages.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { demoAccounts, short, walletAccounts, type Account } from './accounts';
import { ChainError, connect, nodeUrl, submit, type Chain, type Connection } from './chain';
import { useLoad } from './hooks';
import { Names, wardsOf, type Ward } from './model';
import { SessionContext, type Session } from './session';
import { loadTrail, refreshTrail, type Trail } from './trail';
import { AccessLog } from './views/AccessLog';
import { ConsentView } from './views/Consent';
import { GuardiansView } from './views/Guardians';
import { RecordsView } from './views/Records';

type Tab = 'log' | 'consent' | 'records' | 'guardians';
const TABS: Array<[Tab, string]> = [
  ['log', 'Who saw my data'],
  ['consent', 'Who may see it'],
  ['records', 'My records'],
  ['guardians', 'Guardians'],
];

export function App() {
  const [connection, setConnection] = useState<Connection>('connecting');
  const [chain, setChain] = useState<Chain | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [account, setAccount] = useState<Account | null>(null);
  const [ward, setWard] = useState<Ward | null>(null);
  const [tick, setTick] = useState({ best: 0, now: 0 });

  useEffect(() => {
    let live = true;
    nodeUrl()
      .then((url) => connect(url, (status) => live && setConnection(status)))
      .then((c) => live && setChain(c), (e: unknown) => live && setFailure(e instanceof Error ? e.message : String(e)));
    return () => {
      live = false;
    };
  }, []);

  // The best block and the chain's clock there.
  useEffect(() => {
    if (!chain) return undefined;
    let unsubscribe: (() => void) | undefined;
    let live = true;
    chain.api.rpc.chain
      .subscribeNewHeads(async (header) => {
        const at = await chain.api.at(header.hash);
        const now = ((await at.query.timestamp.now()) as any).toNumber();
        if (live) setTick({ best: header.number.toNumber(), now });
      })
      .then((u) => {
        unsubscribe = u;
        if (!live) u();
      }, () => undefined);
    return () => {
      live = false;
      if (unsubscribe) unsubscribe();
    };
  }, [chain]);

  const demo = useLoad(() => (chain?.development ? demoAccounts() : Promise.resolve([])), [chain]);
  const names = useMemo(() => {
    if (!chain) return null;
    const known = new Map((demo.value ?? []).map((a) => [a.address, a.name]));
    return new Names(chain, known, account?.address ?? null);
  }, [chain, demo.value, account]);

  return (
    <div className="page">
      <header className="top">
        <h1>
          medchain <span className="muted">patient portal</span>
        </h1>
        {account && (
          <div className="who">
            <span>
              Signed in as <strong>{account.name}</strong> <code>{short(account.address)}</code>
            </span>
            <button type="button" className="link" onClick={() => { setAccount(null); setWard(null); }}>
              Sign out
            </button>
          </div>
        )}
      </header>
      <ConnectionBanner connection={connection} chain={chain} failure={failure} />
      <main id="main">
        {!chain ? (
          failure ? null : <p className="loading">Connecting to the medchain network…</p>
        ) : !account ? (
          <SignIn chain={chain} onSignIn={setAccount} />
        ) : !ward ? (
          <PickPatient chain={chain} account={account} now={tick.now} best={tick.best} onPick={setWard} />
        ) : (
          names && (
            <PatientPages
              chain={chain}
              connection={connection}
              account={account}
              ward={ward}
              tick={tick}
              names={names}
              onSwitch={() => setWard(null)}
            />
          )
        )}
      </main>
      <footer className="bottom muted">
        Your records stay with your care providers, encrypted; medchain holds only their fingerprints, your consents
        and the trail of every access. No names or medical content are stored on the chain.
      </footer>
    </div>
  );
}

function ConnectionBanner({ connection, chain, failure }: { connection: Connection; chain: Chain | null; failure: string | null }) {
  if (failure) {
    return (
      <div role="alert" className="banner bad">
        The portal cannot reach the medchain network: {failure}
      </div>
    );
  }
  if (connection === 'disconnected') {
    return (
      <div role="alert" className="banner bad" data-testid="offline">
        Offline: the connection to the medchain network was lost. What you see may be out of date, and changes are
        paused until it is back (reconnecting by itself).
      </div>
    );
  }
  if (!chain || connection === 'connecting') return null;
  return (
    <div className="banner ok" role="status">
      Connected to <strong>{chain.name}</strong>
      {chain.development && <span className="tag">development chain: demo accounts</span>}
    </div>
  );
}

function SignIn({ chain, onSignIn }: { chain: Chain; onSignIn: (a: Account) => void }) {
  const [wallet, setWallet] = useState<Account[] | string | null>(null);
  const demo = useLoad(() => (chain.development ? demoAccounts() : Promise.resolve([])), [chain]);
  return (
    <section aria-labelledby="sign-in">
      <h2 id="sign-in">Sign in</h2>
      <p>Sign in with the key that controls your patient identity, or that you were appointed guardian with.</p>
      <div className="card">
        <h3>With your wallet</h3>
        <button type="button" onClick={() => walletAccounts().then(setWallet, (e: Error) => setWallet(e.message))}>
          Connect a wallet extension
        </button>
        {typeof wallet === 'string' && <p role="alert" className="error">{wallet}</p>}
        {Array.isArray(wallet) && wallet.length === 0 && <p role="alert" className="error">The wallet has no accounts for this page.</p>}
        {Array.isArray(wallet) && <AccountList accounts={wallet} onPick={onSignIn} />}
      </div>
      {demo.value && demo.value.length > 0 && (
        <div className="card">
          <h3>Demo accounts</h3>
          <p className="muted">This is a development chain: these keys are public, for trying the portal only.</p>
          <AccountList accounts={demo.value} onPick={onSignIn} />
        </div>
      )}
    </section>
  );
}

function AccountList({ accounts, onPick }: { accounts: Account[]; onPick: (a: Account) => void }) {
  return (
    <ul className="choices">
      {accounts.map((a) => (
        <li key={a.address}>
          <button type="button" onClick={() => onPick(a)}>
            {a.name} <code>{short(a.address)}</code>
          </button>
        </li>
      ))}
    </ul>
  );
}

function PickPatient({ chain, account, now, best, onPick }: { chain: Chain; account: Account; now: number; best: number; onPick: (w: Ward) => void }) {
  const wards = useLoad(() => (now ? wardsOf(chain, account.address, now) : Promise.resolve(null)), [account.address, best > 0]);
  useEffect(() => {
    if (wards.value && wards.value.length === 1) onPick(wards.value[0]);
  }, [wards.value, onPick]);
  if (wards.error) return <p role="alert" className="error">Could not read who this account acts for: {wards.error}</p>;
  if (!wards.value) return <p className="loading">Reading who this account acts for…</p>;
  if (wards.value.length === 0) {
    return (
      <section className="card" aria-labelledby="nobody">
        <h2 id="nobody">No patient for this account</h2>
        <p>
          This account is not a patient's key on medchain, nor the key of a guardian in force. Your care provider
          enrols you; a patient appoints a guardian.
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="pick">
      <h2 id="pick">Act for</h2>
      <ul className="choices">
        {wards.value.map((w) => (
          <li key={w.patient}>
            <button type="button" onClick={() => onPick(w)}>
              {w.as === 'patient' ? 'Myself' : 'As guardian of'} — patient #{w.patient}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function PatientPages(props: {
  chain: Chain;
  connection: Connection;
  account: Account;
  ward: Ward;
  tick: { best: number; now: number };
  names: Names;
  onSwitch: () => void;
}) {
  const { chain, connection, account, ward, tick, names, onSwitch } = props;
  const [tab, setTab] = useState<Tab>('log');
  const [trail, setTrail] = useState<Trail | null>(null);
  const [trailError, setTrailError] = useState<string | null>(null);
  const reading = useRef(false);
  // The trail: read once, then only what each new block adds (verified again in full).
  useEffect(() => {
    if (reading.current || tick.best === 0 || connection !== 'connected') return;
    reading.current = true;
    (trail && trail.patient === ward.patient ? refreshTrail(chain, trail) : loadTrail(chain, ward.patient))
      .then((t) => {
        setTrail(t);
        setTrailError(null);
      }, (e: unknown) => setTrailError(e instanceof Error ? e.message : String(e)))
      .finally(() => {
        reading.current = false;
      });
    // `trail` is read, not watched: a new block is what triggers a read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [chain, ward.patient, tick.best, connection]);
  const send = useCallback(
    async (_what: string, make: () => any): Promise<string | null> => {
      if (connection !== 'connected') return 'Offline: the change was not sent. Try again once the connection is back.';
      try {
        await submit(chain, make(), await account.signing());
        return null;
      } catch (e) {
        return e instanceof ChainError || e instanceof Error ? e.message : String(e);
      }
    },
    [chain, connection, account],
  );
  const session: Session = { chain, connection, account, ward, now: tick.now, best: tick.best, names, trail, trailError, send };
  return (
    <SessionContext.Provider value={session}>
      <div className="patient-bar">
        <h2>
          {ward.as === 'patient' ? 'Your data' : `Patient #${ward.patient}`}{' '}
          <span className="muted">(patient #{ward.patient}{ward.as === 'guardian' ? ', you are guardian' : ''})</span>
        </h2>
        <button type="button" className="link" onClick={onSwitch}>
          Act for someone else
        </button>
      </div>
      <nav aria-label="Sections" className="tabs" role="tablist">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            className={tab === id ? 'tab selected' : 'tab'}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </nav>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`}>
        {tab === 'log' && <AccessLog />}
        {tab === 'consent' && <ConsentView />}
        {tab === 'records' && <RecordsView />}
        {tab === 'guardians' && <GuardiansView />}
      </div>
    </SessionContext.Provider>
  );
}
