// "My records": the fingerprints the chain holds of the patient's records: which kind, who
// wrote them, when, their versions and status. The records themselves stay with the provider.
import { useLoad, useName } from '../hooks';
import { recordsOf, type Anchor } from '../model';
import { useSession } from '../session';
import { CATEGORY_WORDS, when } from '../vocabulary';

const STATUS_WORDS: Record<string, string> = {
  Active: 'current',
  Superseded: 'replaced by a newer version',
  EnteredInError: 'marked as entered in error',
  Erased: 'erased',
};

export function RecordsView() {
  const { chain, ward, best } = useSession();
  const records = useLoad(() => recordsOf(chain, ward.patient), [ward.patient, best]);
  return (
    <section aria-labelledby="records-title">
      <h3 id="records-title">Your records</h3>
      <p className="small">
        Each record stays with the provider that wrote it, encrypted. The chain holds its fingerprint, so that anyone can check a copy is
        unchanged; reading one is decided by your consents and written in your trail.
      </p>
      {records.error && <p role="alert" className="error">Could not read your records: {records.error}</p>}
      {records.value === null ? <p className="loading">Reading…</p> : records.value.length === 0 ? <p className="muted">No records yet.</p> : (
        <table className="records">
          <caption className="sr-only">Your records, newest first</caption>
          <thead>
            <tr><th scope="col">Record</th><th scope="col">Kind</th><th scope="col">Written by</th><th scope="col">When</th><th scope="col">Status</th></tr>
          </thead>
          <tbody>
            {records.value.map((r) => <Row key={r.id} anchor={r} />)}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Row({ anchor: r }: { anchor: Anchor }) {
  const { names } = useSession();
  const author = useName(() => (r.organisation !== null ? names.organisation(r.organisation) : names.account(r.author)), '…', [r.author, r.organisation]);
  return (
    <tr className={r.status === 'EnteredInError' ? 'flagged' : ''} data-record={r.id}>
      <td>#{r.id}{r.version > 1 && <span className="small"> (version {r.version})</span>}</td>
      <td>{CATEGORY_WORDS[r.category] ?? r.category}</td>
      <td>{author}</td>
      <td><time dateTime={new Date(r.createdAt).toISOString()}>{when(r.createdAt)}</time></td>
      <td>{STATUS_WORDS[r.status] ?? r.status}</td>
    </tr>
  );
}
