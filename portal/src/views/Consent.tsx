// "Who may see it": the patient's grants (give, withdraw), deny rules (which override every
// grant) and emergency policy. A guardian sees and changes only what its scope covers; the chain
// checks that too, and its words are shown when it refuses.
import { useEffect, useState, type FormEvent } from 'react';
import { useLoad, useName } from '../hooks';
import { denyRules, grantIdsIn, grantsOf, organisations, patientRecord, type DenyRule, type Grant, type Organisation } from '../model';
import { useSession } from '../session';
import {
  ACTIONS, ACTION_WORDS, CATEGORIES, CATEGORY_WORDS, PURPOSES, PURPOSE_WORDS, SENSITIVE, list, span, toBits, when,
  type Action, type Category, type Purpose,
} from '../vocabulary';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The consents a patient gives most, one click from a filled form. */
interface Preset {
  id: string;
  label: string;
  explain: string;
  kinds: string[];
  categories: Category[];
  purposes: Purpose[];
  actions: Action[];
  duration: number;
}

export const PRESETS: Preset[] = [
  {
    id: 'specialist',
    label: 'A specialist, for 48 hours',
    explain: 'A referral: the specialist’s organisation reads your diagnoses, medications, allergies, lab results and imaging to treat you.',
    kinds: ['Hospital', 'Clinic'],
    categories: ['Diagnoses', 'Medications', 'Allergies', 'LabResults', 'Imaging'],
    purposes: ['Treatment'],
    actions: ['Read', 'Share'],
    duration: 48 * HOUR,
  },
  {
    id: 'insurer',
    label: 'My insurer, for billing (30 days)',
    explain: 'Your insurer reads your billing and the visits and procedures it pays for.',
    kinds: ['Insurer'],
    categories: ['Encounters', 'Procedures', 'Billing'],
    purposes: ['Payment'],
    actions: ['Read', 'Share'],
    duration: 30 * DAY,
  },
  {
    id: 'research',
    label: 'A research study (1 year)',
    explain: 'A research organisation reads your diagnoses and lab results for research.',
    kinds: ['Research'],
    categories: ['Diagnoses', 'LabResults'],
    purposes: ['Research'],
    actions: ['Read', 'Share'],
    duration: 365 * DAY,
  },
];

export function ConsentView() {
  const { chain, ward, trail, best, now } = useSession();
  const fromTrail = trail ? grantIdsIn(trail.entries) : [];
  const grants = useLoad(() => grantsOf(chain, ward.patient, fromTrail, now), [ward.patient, best, fromTrail.length]);
  const orgs = useLoad(() => organisations(chain), [chain]);
  const current = (grants.value ?? []).filter((g) => g.status === 'active' || g.status === 'not yet valid');
  const past = (grants.value ?? []).filter((g) => !current.includes(g));
  // What the last withdrawal came to: said here, since the consent leaves the list once the
  // chain has it.
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  return (
    <section aria-labelledby="consent-title">
      <h3 id="consent-title">Who may see your data</h3>
      {grants.error && <p role="alert" className="error">Could not read your consents: {grants.error}</p>}
      <div className="card">
        <h4>Consents in force</h4>
        {notice && <p role={notice.ok ? 'status' : 'alert'} className={notice.ok ? 'ok' : 'error'}>{notice.text}</p>}
        {grants.value === null ? <p className="loading">Reading…</p> : current.length === 0 ? <p className="muted">None.</p> : (
          <ul className="plain" aria-label="Consents in force">
            {current.map((g) => <GrantItem key={g.id} grant={g} say={setNotice} />)}
          </ul>
        )}
      </div>
      <NewGrant organisations={orgs.value ?? []} />
      <DenyRules organisations={orgs.value ?? []} />
      <EmergencyPolicyView />
      {past.length > 0 && (
        <details className="card">
          <summary>Ended and withdrawn consents ({past.length})</summary>
          <ul className="plain">{past.map((g) => <GrantItem key={g.id} grant={g} say={setNotice} />)}</ul>
        </details>
      )}
    </section>
  );
}

function Grantee({ grantee }: { grantee: Grant['grantee'] | DenyRule['grantee'] }) {
  const { names } = useSession();
  const name = useName(
    () => (grantee === null ? Promise.resolve('anyone') : 'organisation' in grantee ? names.organisation(grantee.organisation) : names.account(grantee.practitioner)),
    '…',
    [JSON.stringify(grantee)],
  );
  return <strong>{name}</strong>;
}

function GrantItem({ grant: g, say }: { grant: Grant; say: (m: { ok: boolean; text: string }) => void }) {
  const { chain, ward, send, now } = useSession();
  const [pending, setPending] = useState(false);
  const mine = ward.scope.consentCategories;
  const mayRevoke = (g.status === 'active' || g.status === 'not yet valid') && g.categories.every((c) => mine.includes(c));
  const revoke = async () => {
    setPending(true);
    const failure = await send(`withdraw consent ${g.id}`, () => chain.api.tx.consent.revoke(g.id));
    setPending(false);
    say(failure ? { ok: false, text: failure } : { ok: true, text: `Consent #${g.id} withdrawn.` });
  };
  return (
    <li className={`grant ${g.status.replace(/ /g, '-')}`} data-grant={g.id}>
      <div>
        <Grantee grantee={g.grantee} /> may {list(g.actions.map((a) => ACTION_WORDS[a]))} your{' '}
        {list(g.categories.map((c) => CATEGORY_WORDS[c]))} for {list(g.purposes.map((p) => PURPOSE_WORDS[p]))}
      </div>
      <div className="small">
        {g.status === 'revoked' && g.revokedAt !== null ? `withdrawn ${when(g.revokedAt)}`
          : g.status === 'expired' ? `ended ${when(g.validUntil!)}`
          : g.status === 'not yet valid' ? `from ${when(g.validFrom)}`
          : g.validUntil === null ? 'no end date (your enrolling provider, for treatment)'
          : `until ${when(g.validUntil)} (${span(g.validUntil - now)} left)`}
        {' '}· consent #{g.id}
      </div>
      {mayRevoke && (
        <button type="button" className="danger" disabled={pending} onClick={revoke} aria-label={`Withdraw consent ${g.id}`}>
          Withdraw
        </button>
      )}
    </li>
  );
}

function Checkboxes<T extends string>(props: { legend: string; all: readonly T[]; words: Record<T, string>; value: T[]; allowed?: readonly T[]; onChange: (v: T[]) => void; name: string }) {
  const { legend, all, words, value, allowed, onChange, name } = props;
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="checks">
        {all.map((v) => (
          <label key={v} className={allowed && !allowed.includes(v) ? 'muted' : ''}>
            <input
              type="checkbox"
              name={name}
              value={v}
              checked={value.includes(v)}
              disabled={allowed !== undefined && !allowed.includes(v)}
              onChange={(e) => onChange(e.target.checked ? [...value, v] : value.filter((x) => x !== v))}
            />{' '}
            {words[v]}
            {(SENSITIVE as readonly string[]).includes(v) && <span className="tag warn">sensitive</span>}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function NewGrant({ organisations: orgs }: { organisations: Organisation[] }) {
  const { chain, ward, send, now } = useSession();
  const [open, setOpen] = useState(false);
  const [to, setTo] = useState<'organisation' | 'practitioner'>('organisation');
  const [organisation, setOrganisation] = useState<number | ''>('');
  const [practitioner, setPractitioner] = useState('');
  const [categories, setCategories] = useState<Category[]>([]);
  const [purposes, setPurposes] = useState<Purpose[]>([]);
  const [actions, setActions] = useState<Action[]>(['Read']);
  const [hours, setHours] = useState(48);
  const [confirmSensitive, setConfirmSensitive] = useState(false);
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [kinds, setKinds] = useState<string[]>([]);
  const allowed = ward.scope.consentCategories;
  const sensitive = categories.filter((c) => SENSITIVE.includes(c));

  // A preset names the kind of organisation; the first active one of that kind is chosen, as
  // soon as the consortium's organisations are read.
  useEffect(() => {
    if (organisation !== '' || kinds.length === 0) return;
    const candidate = orgs.find((o) => o.active && kinds.includes(o.kind));
    if (candidate) setOrganisation(candidate.id);
  }, [orgs, kinds, organisation]);

  const preset = (p: Preset) => {
    setOpen(true);
    setTo('organisation');
    setKinds(p.kinds);
    const candidate = orgs.find((o) => o.active && p.kinds.includes(o.kind));
    setOrganisation(candidate ? candidate.id : '');
    setCategories(p.categories.filter((c) => allowed.includes(c)));
    setPurposes(p.purposes);
    setActions(p.actions);
    setHours(p.duration / HOUR);
    setConfirmSensitive(false);
    setMessage(null);
  };

  const problem =
    to === 'organisation' && organisation === '' ? 'Choose who receives the consent.'
    : to === 'practitioner' && practitioner.trim() === '' ? 'Give the clinician’s account.'
    : categories.length === 0 ? 'Choose at least one kind of data.'
    : purposes.length === 0 ? 'Choose at least one purpose.'
    : actions.length === 0 ? 'Choose what they may do.'
    : !(hours > 0) ? 'The consent must last some time.'
    : sensitive.length > 0 && !confirmSensitive ? `Confirm that you share ${list(sensitive.map((c) => CATEGORY_WORDS[c]))}.`
    : null;

  const submitGrant = async (e: FormEvent) => {
    e.preventDefault();
    if (problem) {
      setMessage({ ok: false, text: problem });
      return;
    }
    setPending(true);
    const validFrom = now;
    const terms = {
      grantee: to === 'organisation' ? { Organisation: organisation } : { Practitioner: practitioner.trim() },
      categories: toBits(CATEGORIES, categories),
      purposes: toBits(PURPOSES, purposes),
      actions: toBits(ACTIONS, actions),
      validFrom,
      validUntil: validFrom + Math.round(hours * HOUR),
    };
    const failure = await send('give consent', () => chain.api.tx.consent.grant(ward.patient, terms, toBits(CATEGORIES, sensitive)));
    setPending(false);
    if (failure) {
      setMessage({ ok: false, text: failure });
    } else {
      setMessage({ ok: true, text: 'Consent given: it is in force now.' });
      setOpen(false);
    }
  };

  return (
    <div className="card">
      <h4>Give a consent</h4>
      <div className="presets">
        {PRESETS.map((p) => (
          <button key={p.id} type="button" onClick={() => preset(p)} title={p.explain} data-preset={p.id}>
            {p.label}
          </button>
        ))}
        <button type="button" className="link" onClick={() => { setOpen(!open); setMessage(null); }}>
          {open ? 'Close' : 'Something else…'}
        </button>
      </div>
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>{message.text}</p>}
      {open && (
        <form onSubmit={submitGrant} aria-label="New consent">
          <fieldset>
            <legend>To</legend>
            <label><input type="radio" name="to" checked={to === 'organisation'} onChange={() => setTo('organisation')} /> an organisation</label>{' '}
            <label><input type="radio" name="to" checked={to === 'practitioner'} onChange={() => setTo('practitioner')} /> one clinician</label>
            {to === 'organisation' ? (
              <label className="block">
                Organisation{' '}
                <select value={organisation} onChange={(e) => setOrganisation(e.target.value === '' ? '' : Number(e.target.value))} name="organisation">
                  <option value="">choose…</option>
                  {orgs.filter((o) => o.active).map((o) => <option key={o.id} value={o.id}>{o.kind} #{o.id}</option>)}
                </select>
              </label>
            ) : (
              <label className="block">
                Clinician’s account <input name="practitioner" value={practitioner} onChange={(e) => setPractitioner(e.target.value)} placeholder="5F…" />
              </label>
            )}
          </fieldset>
          <Checkboxes name="category" legend="Which data" all={CATEGORIES} words={CATEGORY_WORDS} value={categories} allowed={allowed} onChange={setCategories} />
          <Checkboxes name="purpose" legend="For what" all={PURPOSES.filter((p) => p !== 'Emergency')} words={PURPOSE_WORDS} value={purposes} onChange={setPurposes} />
          <Checkboxes name="action" legend="To do what" all={ACTIONS} words={ACTION_WORDS} value={actions} onChange={setActions} />
          <label className="block">
            For how long (hours){' '}
            <input type="number" name="hours" min={1} step={1} value={hours} onChange={(e) => setHours(Number(e.target.value))} />
            <span className="muted"> = {span(hours * HOUR)}</span>
          </label>
          {sensitive.length > 0 && (
            <label className="block warn">
              <input type="checkbox" name="confirm-sensitive" checked={confirmSensitive} onChange={(e) => setConfirmSensitive(e.target.checked)} /> I mean to
              share my {list(sensitive.map((c) => CATEGORY_WORDS[c]))}: these are sensitive.
            </label>
          )}
          <button type="submit" disabled={pending}>{pending ? 'Waiting for the chain…' : 'Give consent'}</button>
        </form>
      )}
    </div>
  );
}

function DenyRules({ organisations: orgs }: { organisations: Organisation[] }) {
  const { chain, ward, best, send } = useSession();
  const rules = useLoad(() => denyRules(chain, ward.patient), [ward.patient, best]);
  const [organisation, setOrganisation] = useState<number | ''>('');
  const [categories, setCategories] = useState<Category[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const allowed = ward.scope.consentCategories;
  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (categories.length === 0) return setMessage({ ok: false, text: 'Choose at least one kind of data to keep from them.' });
    setPending(true);
    const grantee = organisation === '' ? null : { Organisation: organisation };
    const failure = await send('add a deny rule', () => chain.api.tx.consent.addDeny(ward.patient, grantee, toBits(CATEGORIES, categories), toBits(PURPOSES, [...PURPOSES])));
    setPending(false);
    setMessage(failure ? { ok: false, text: failure } : { ok: true, text: 'Rule added: it overrides every consent, emergencies aside.' });
    if (!failure) setCategories([]);
    return undefined;
  };
  const remove = async (id: number) => {
    const failure = await send('remove a deny rule', () => chain.api.tx.consent.removeDeny(ward.patient, id));
    setMessage(failure ? { ok: false, text: failure } : { ok: true, text: 'Rule removed.' });
  };
  return (
    <div className="card">
      <h4>Never share</h4>
      <p className="small">A rule here overrides every consent: no one it names may read what it names, whatever else you have agreed.</p>
      {rules.value && rules.value.length > 0 && (
        <ul className="plain" aria-label="Deny rules">
          {rules.value.map((r) => (
            <li key={r.id} data-deny={r.id}>
              <Grantee grantee={r.grantee} />: never your {list(r.categories.map((c) => CATEGORY_WORDS[c]))}{' '}
              {r.categories.every((c) => allowed.includes(c)) && (
                <button type="button" className="link" onClick={() => remove(r.id)}>remove</button>
              )}
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} aria-label="New deny rule">
        <label className="block">
          Keep from{' '}
          <select value={organisation} onChange={(e) => setOrganisation(e.target.value === '' ? '' : Number(e.target.value))}>
            <option value="">everyone</option>
            {orgs.map((o) => <option key={o.id} value={o.id}>{o.kind} #{o.id}</option>)}
          </select>
        </label>
        <Checkboxes name="deny-category" legend="Which data" all={CATEGORIES} words={CATEGORY_WORDS} value={categories} allowed={allowed} onChange={setCategories} />
        <button type="submit" disabled={pending}>Add rule</button>
      </form>
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>{message.text}</p>}
    </div>
  );
}

function EmergencyPolicyView() {
  const { chain, ward, best, send } = useSession();
  const record = useLoad(() => patientRecord(chain, ward.patient), [ward.patient, best]);
  const [editing, setEditing] = useState<{ allowed: boolean; categories: Category[] } | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  if (!record.value) return null;
  const policy = record.value.emergency;
  const may = ward.scope.maySetEmergencyPolicy;
  const save = async () => {
    if (!editing) return;
    const sensitive = editing.categories.filter((c) => SENSITIVE.includes(c));
    const failure = await send('set the emergency policy', () =>
      chain.api.tx.patients.setEmergencyPolicy(ward.patient, { allowed: editing.allowed, categories: toBits(CATEGORIES, editing.categories) }, toBits(CATEGORIES, sensitive)),
    );
    setMessage(failure ? { ok: false, text: failure } : { ok: true, text: 'Emergency policy saved.' });
    if (!failure) setEditing(null);
  };
  return (
    <div className="card">
      <h4>In an emergency</h4>
      <p data-testid="emergency-policy">
        {policy.allowed
          ? `A hospital or clinic clinician may open your ${list(policy.categories.map((c) => CATEGORY_WORDS[c]))} in an emergency, for a few hours, and you review it afterwards.`
          : 'No one may open your data in an emergency without your consent.'}
      </p>
      {may && !editing && <button type="button" onClick={() => setEditing({ ...policy })}>Change</button>}
      {editing && (
        <div>
          <label className="block">
            <input type="checkbox" checked={editing.allowed} onChange={(e) => setEditing({ ...editing, allowed: e.target.checked })} /> Allow emergency access
          </label>
          {editing.allowed && (
            <Checkboxes name="emergency-category" legend="To which data" all={CATEGORIES} words={CATEGORY_WORDS} value={editing.categories} onChange={(c) => setEditing({ ...editing, categories: c })} />
          )}
          <button type="button" onClick={save}>Save</button> <button type="button" className="link" onClick={() => setEditing(null)}>Cancel</button>
        </div>
      )}
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? 'ok' : 'error'}>{message.text}</p>}
    </div>
  );
}
