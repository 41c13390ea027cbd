// "Who saw my data": the patient's audit trail, newest first, verified in this browser against
// the chain and followed live; emergency accesses to review; the trail as a FHIR file.
import { useEffect, useState } from 'react';
import { trailToBundle } from '../fhir';
import { useName } from '../hooks';
import { emergencyAccess, type EmergencyAccess } from '../model';
import { useSession } from '../session';
import type { Trail, TrailEntry } from '../trail';
import { AUDIT_ACTIONS, CATEGORY_WORDS, PURPOSE_WORDS, list, span, when } from '../vocabulary';

type Filter = 'all' | 'reads' | 'emergency' | 'denied';

export function AccessLog() {
  const { trail, trailError: error } = useSession();
  const [filter, setFilter] = useState<Filter>('all');

  if (!trail) {
    return error ? <p role="alert" className="error">The trail could not be read: {error}</p> : <p className="loading">Reading your audit trail from the chain…</p>;
  }
  const shown = [...trail.entries].reverse().filter((e) => matches(e, filter));
  const emergencies = trail.entries.filter((e) => e.action === 'EmergencyAccessOpened' && e.consent && 'emergency' in e.consent);
  return (
    <section aria-labelledby="log-title">
      <h3 id="log-title">Who saw or changed your data</h3>
      <Verified trail={trail} />
      {error && <p role="alert" className="error">Could not bring the trail up to date: {error}</p>}
      {emergencies.length > 0 && <EmergencyAccesses ids={emergencies.map((e) => (e.consent as { emergency: number }).emergency)} />}
      <div className="toolbar">
        <label>
          Show{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="all">everything ({trail.entries.length})</option>
            <option value="reads">reads of your data</option>
            <option value="emergency">emergency accesses</option>
            <option value="denied">refused requests</option>
          </select>
        </label>
        <button type="button" onClick={() => download(trail)} disabled={trail.verified !== true}>
          Download as FHIR (AuditEvent Bundle)
        </button>
      </div>
      {shown.length === 0 ? (
        <p className="muted">Nothing to show.</p>
      ) : (
        <ol className="trail" aria-label="Audit trail, newest first">
          {shown.map((e) => (
            <Entry key={e.seq} entry={e} />
          ))}
        </ol>
      )}
    </section>
  );
}

function matches(e: TrailEntry, filter: Filter): boolean {
  switch (filter) {
    case 'reads': return e.action === 'AccessReported';
    case 'emergency': return e.action.startsWith('Emergency') || e.purposes.includes('Emergency');
    case 'denied': return e.outcome === 'Denied';
    default: return true;
  }
}

function Verified({ trail }: { trail: Trail }) {
  if (trail.verified === true) {
    return (
      <p className="verified" data-testid="verified">
        <span aria-hidden="true">✔</span> Verified in this browser: all {trail.head.lastSeq} entries hash to the chain's trail head at block #
        {trail.block}.
      </p>
    );
  }
  return (
    <p role="alert" className="error" data-testid="not-verified">
      <span aria-hidden="true">✘</span> This trail does NOT verify against the chain: {trail.verified}. Do not rely on it; tell your care
      provider.
    </p>
  );
}

function Entry({ entry: e }: { entry: TrailEntry }) {
  const { names } = useSession();
  const actor = useName(() => (e.actor ? names.account(e.actor) : Promise.resolve('the consortium council')), e.actor ?? 'council', [e.actor]);
  const org = useName(() => (e.organisation !== null ? names.organisation(e.organisation) : Promise.resolve('')), '', [e.organisation]);
  const kind = e.outcome === 'Denied' ? 'denied' : e.action === 'EmergencyAccessOpened' ? 'glass' : e.action === 'RecordEnteredInError' ? 'flagged' : e.action === 'AccessReported' ? 'read' : '';
  return (
    <li className={`entry ${kind}`} data-seq={e.seq}>
      <div className="entry-head">
        <strong>{AUDIT_ACTIONS[e.action] ?? e.action}</strong>
        {e.outcome === 'Denied' && <span className="tag bad">refused</span>}
        {kind === 'glass' && <span className="tag bad">break-glass</span>}
        {kind === 'flagged' && <span className="tag warn">flagged</span>}
        <time dateTime={new Date(e.at).toISOString()}>{when(e.at)}</time>
      </div>
      <div>
        by {actor}
        {org && ` for ${org}`}
        {e.categories.length > 0 && <> · {list(e.categories.map((c) => CATEGORY_WORDS[c]))}</>}
        {e.purposes.length > 0 && <> · for {list(e.purposes.map((p) => PURPOSE_WORDS[p]))}</>}
        {e.record !== null && <> · record #{e.record}</>}
      </div>
      <div className="muted small">
        entry {e.seq} · block #{e.block}
      </div>
    </li>
  );
}

function download(trail: Trail) {
  const bundle = trailToBundle(trail);
  const blob = new Blob([JSON.stringify(bundle, null, 2)], { type: 'application/fhir+json' });
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `medchain-patient-${trail.patient}-audit-${trail.block}.json`;
  a.click();
  URL.revokeObjectURL(a.href);
}

function EmergencyAccesses({ ids }: { ids: number[] }) {
  const { chain, best } = useSession();
  const [accesses, setAccesses] = useState<EmergencyAccess[]>([]);
  useEffect(() => {
    Promise.all(ids.map((id) => emergencyAccess(chain, id))).then(
      (all) => setAccesses(all.filter((a): a is EmergencyAccess => a !== null).reverse()),
      () => undefined,
    );
  }, [chain, ids.join(','), best]);
  if (accesses.length === 0) return null;
  return (
    <div className="card glass" aria-labelledby="glass-title">
      <h4 id="glass-title">Emergency accesses</h4>
      <p className="small">
        A clinician may open your data in an emergency without your consent, for a short time. Each one is reviewed: say whether it was
        justified. An unjustified one ends at once and bars that clinician from doing it again for a while.
      </p>
      <ul className="plain">
        {accesses.map((a) => (
          <EmergencyItem key={a.id} access={a} />
        ))}
      </ul>
    </div>
  );
}

const JUSTIFICATIONS: Record<string, string> = {
  PatientUnconscious: 'you were unconscious',
  LifeThreatening: 'your life was at risk',
  PatientCannotConsent: 'you could not consent and no guardian was reachable',
  PublicHealthEmergency: 'a declared public-health emergency',
};

function EmergencyItem({ access: a }: { access: EmergencyAccess }) {
  const { chain, names, now, ward, send } = useSession();
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const who = useName(() => names.account(a.practitioner), a.practitioner, [a.practitioner]);
  const org = useName(() => names.organisation(a.organisation), `#${a.organisation}`, [a.organisation]);
  const open = now < a.until;
  const final = a.review !== null && a.review.by !== 'Guardian';
  const mayReview = !final && !(a.review && ward.as === 'guardian');
  const review = async (outcome: 'Justified' | 'Unjustified') => {
    setPending(true);
    const failure = await send(`review emergency access ${a.id}`, () => chain.api.tx.consent.reviewEmergency(a.id, outcome));
    setPending(false);
    setMessage(failure ?? `Recorded: ${outcome === 'Justified' ? 'justified' : 'not justified'}.`);
  };
  return (
    <li className="emergency" data-access={a.id}>
      <div>
        <strong>{who}</strong> at {org}, because {JUSTIFICATIONS[a.justification] ?? a.justification}:{' '}
        {list(a.categories.map((c) => CATEGORY_WORDS[c]))}
      </div>
      <div className="small">
        opened {when(a.openedAt)} · {open ? `open for ${span(a.until - now)} more` : `ended ${when(a.until)}`}
        {a.review && <> · reviewed by {a.review.by.toLowerCase()}: <strong>{a.review.outcome === 'Justified' ? 'justified' : 'not justified'}</strong></>}
      </div>
      {mayReview && (
        <div className="actions">
          <button type="button" disabled={pending} onClick={() => review('Justified')}>It was justified</button>
          <button type="button" className="danger" disabled={pending} onClick={() => review('Unjustified')}>It was not justified</button>
        </div>
      )}
      {message && <p role="status" className="small">{message}</p>}
    </li>
  );
}
