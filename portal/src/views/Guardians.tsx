// "Guardians": who may act for the patient and how far; appoint one (for a fixed time or not),
// remove one. Who can approve a key recovery, and how many approvals it takes.
import { useState, type FormEvent } from 'react';
import { short } from '../accounts';
import { useLoad, useName } from '../hooks';
import { guardiansOf, patientRecord, type Guardian } from '../model';
import { useSession } from '../session';
import { CATEGORIES, CATEGORY_WORDS, SENSITIVE, list, toBits, when, type Category } from '../vocabulary';

const DAY = 86_400_000;

export function GuardiansView() {
  const { chain, ward, best } = useSession();
  const guardians = useLoad(() => guardiansOf(chain, ward.patient), [ward.patient, best]);
  const record = useLoad(() => patientRecord(chain, ward.patient), [ward.patient, best]);
  return (
    <section aria-labelledby="guardians-title">
      <h3 id="guardians-title">Guardians</h3>
      <p className="small">A guardian acts for you within the scope you give: a parent, a carer, someone you trust to help recover your key.</p>
      {guardians.error && <p role="alert" className="error">Could not read your guardians: {guardians.error}</p>}
      {guardians.value && (guardians.value.length === 0 ? <p className="muted">No guardians.</p> : (
        <ul className="plain" aria-label="Guardians">
          {guardians.value.map((g) => <GuardianItem key={g.account} guardian={g} />)}
        </ul>
      ))}
      {record.value && (
        <p className="small" data-testid="recovery">
          {record.value.recoveryThreshold > 0
            ? `If you lose your key, ${record.value.recoveryThreshold} of your guardians who may help with recovery can move your identity to a new key, after a waiting period you can stop.`
            : 'Key recovery by guardians is not set up.'}
        </p>
      )}
      {ward.scope.mayAppoint && <Appoint />}
    </section>
  );
}

function GuardianItem({ guardian: g }: { guardian: Guardian }) {
  const { chain, ward, account, names, now, send } = useSession();
  const name = useName(() => names.account(g.account), short(g.account), [g.account]);
  const [message, setMessage] = useState<string | null>(null);
  const mayRemove = ward.as === 'patient' || g.account === account.address;
  const remove = async () => {
    const failure = await send('remove a guardian', () => chain.api.tx.patients.removeGuardian(ward.patient, g.account));
    setMessage(failure ?? 'Removed.');
  };
  const s = g.scope;
  return (
    <li data-guardian={g.account}>
      <div>
        <strong>{name}</strong>
        {g.validUntil !== null && <span className="small"> until {when(g.validUntil)}{g.validUntil <= now && ' (ended)'}</span>}
      </div>
      <div className="small">
        consents for {s.consentCategories.length === CATEGORIES.length ? 'all your data' : list(s.consentCategories.map((c) => CATEGORY_WORDS[c])) || 'nothing'}
        {s.mayAppoint && ' · may appoint guardians'}
        {s.maySetEmergencyPolicy && ' · may set the emergency policy'}
        {s.mayRecover && ' · may help recover your key'}
      </div>
      {mayRemove && <button type="button" className="link" onClick={remove}>{g.account === account.address ? 'Step down' : 'Remove'}</button>}
      {message && <p role="status" className="small">{message}</p>}
    </li>
  );
}

function Appoint() {
  const { chain, ward, now, send } = useSession();
  const [account, setAccount] = useState('');
  const [categories, setCategories] = useState<Category[]>(CATEGORIES.filter((c) => !SENSITIVE.includes(c) && ward.scope.consentCategories.includes(c)));
  const [mayRecover, setMayRecover] = useState(true);
  const [mayPolicy, setMayPolicy] = useState(false);
  const [days, setDays] = useState<number | ''>('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const appoint = async (e: FormEvent) => {
    e.preventDefault();
    if (account.trim() === '') return setMessage({ ok: false, text: 'Give the guardian’s account.' });
    const scope = {
      consentCategories: toBits(CATEGORIES, categories),
      mayAppoint: false,
      maySetEmergencyPolicy: mayPolicy && ward.scope.maySetEmergencyPolicy,
      mayRecover: mayRecover && ward.scope.mayRecover,
    };
    const validUntil = days === '' ? null : now + days * DAY;
    const failure = await send('appoint a guardian', () => chain.api.tx.patients.addGuardian(ward.patient, account.trim(), scope, validUntil));
    setMessage(failure ? { ok: false, text: failure } : { ok: true, text: 'Guardian appointed.' });
    return undefined;
  };
  return (
    <form className="card" onSubmit={appoint} aria-label="Appoint a guardian">
      <h4>Appoint a guardian</h4>
      <label className="block">Their account <input name="guardian" value={account} onChange={(e) => setAccount(e.target.value)} placeholder="5F…" /></label>
      <fieldset>
        <legend>May consent for</legend>
        <div className="checks">
          {CATEGORIES.filter((c) => ward.scope.consentCategories.includes(c)).map((c) => (
            <label key={c}>
              <input type="checkbox" checked={categories.includes(c)} onChange={(e) => setCategories(e.target.checked ? [...categories, c] : categories.filter((x) => x !== c))} />{' '}
              {CATEGORY_WORDS[c]}
            </label>
          ))}
        </div>
      </fieldset>
      {ward.scope.mayRecover && <label className="block"><input type="checkbox" checked={mayRecover} onChange={(e) => setMayRecover(e.target.checked)} /> may help recover my key</label>}
      {ward.scope.maySetEmergencyPolicy && <label className="block"><input type="checkbox" checked={mayPolicy} onChange={(e) => setMayPolicy(e.target.checked)} /> may set my emergency policy</label>}
      <label className="block">For (days, empty: until removed) <input type="number" min={1} value={days} onChange={(e) => setDays(e.target.value === '' ? '' : Number(e.target.value))} /></label>
      <button type="submit">Appoint</button>
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>{message.text}</p>}
    </form>
  );
}
