// A verified trail as a FHIR R4 Bundle of AuditEvents (IHE BALP shape), written exactly as the
// Rust client writes it (`medchain_client::fhir::export_to_bundle`, docs/pallets/audit.md's
// "FHIR AuditEvent mapping"): the same ids, codes, extensions and order, so the file a patient
// downloads here is the file `medchain audit export --format fhir` writes, byte for byte once
// both are printed the same way — and the CLI verifies it as it verifies its own.
import type { ConsentRef, Trail, TrailEntry } from './trail';
import type { Purpose } from './vocabulary';

export const AUDIT_ACTION_SYSTEM = 'urn:medchain:audit-action';
export const RECORD_SYSTEM = 'urn:medchain:record';
export const GOVERNANCE_SYSTEM = 'urn:medchain:governance';
export const AUDIT_CHAIN_EXTENSION = 'urn:medchain:audit-chain';
export const AUDIT_EXPORT_EXTENSION = 'urn:medchain:audit-export';
const CATEGORY_SYSTEM = 'urn:medchain:category';
const PATIENT_SYSTEM = 'urn:medchain:patient';
const ACCOUNT_SYSTEM = 'urn:medchain:account';
const ORGANISATION_SYSTEM = 'urn:medchain:organisation';
const PURPOSE_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-event-type';
const RESTFUL = 'http://hl7.org/fhir/restful-interaction';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';

export const PURPOSE_CODES: Record<Purpose, string> = {
  Treatment: 'TREAT', Payment: 'HPAYMT', Operations: 'HOPERAT', Research: 'HRESCH',
  PublicHealth: 'PUBHLTH', Emergency: 'ETREAT',
};

interface FhirType {
  kind: [string, string, string];
  subtype: [string, string] | null;
  action: string;
}

const REST: [string, string, string] = [EVENT_TYPE, 'rest', 'RESTful Operation'];
const RECORD: [string, string, string] = [DCM, '110110', 'Patient Record'];
const AUTHENTICATION: [string, string, string] = [DCM, '110114', 'User Authentication'];

/** audit.md's table: what each of the chain's actions is in FHIR. */
export function fhirType(action: string): FhirType {
  const of = (kind: [string, string, string], subtype: [string, string] | null, a: string) => ({ kind, subtype, action: a });
  switch (action) {
    case 'ConsentGranted': case 'PatientEnrolled': case 'GuardianAppointed':
      return of(REST, [RESTFUL, 'create'], 'C');
    case 'ConsentRevoked': case 'DenyAdded': case 'DenyRemoved': case 'EmergencyAccessReviewed': case 'EmergencyPolicySet':
      return of(REST, [RESTFUL, 'update'], 'U');
    case 'GuardianRemoved': return of(REST, [RESTFUL, 'delete'], 'D');
    case 'EmergencyAccessOpened': return of([DCM, '110113', 'Security Alert'], [DCM, '110127'], 'E');
    case 'RecordAnchored': return of(RECORD, null, 'C');
    case 'RecordAmended': case 'RecordEnteredInError': return of(RECORD, null, 'U');
    case 'RecordErased': return of(RECORD, null, 'D');
    case 'AccessReported': return of(RECORD, null, 'R');
    case 'ControllerRotated': case 'ControllerRecovered': return of(AUTHENTICATION, null, 'U');
    case 'RecoveryThresholdSet': case 'RecoveryApproved': case 'RecoveryScheduled': case 'RecoveryCancelled':
      return of(AUTHENTICATION, null, 'E');
    default:
      throw new Error(`the chain has an audit action this portal does not know: ${action}`);
  }
}

function consentUri(consent: ConsentRef): string {
  if ('grant' in consent) return `urn:medchain:grant:${consent.grant}`;
  if ('emergency' in consent) return `urn:medchain:emergency:${consent.emergency}`;
  return `urn:medchain:deny:${consent.deny}`;
}

const account = (who: string) => ({ identifier: { system: ACCOUNT_SYSTEM, value: who } });

/** An instant as RFC 3339 with milliseconds, in UTC (`2026-12-06T20:15:00.000Z`). */
const rfc3339 = (ms: number) => new Date(ms).toISOString();

/** One entry as a FHIR R4 AuditEvent. */
export function entryToAuditEvent(patient: number, e: TrailEntry): Record<string, unknown> {
  const { kind: [typeSystem, typeCode, typeDisplay], subtype, action } = fhirType(e.action);
  const subtypes: object[] = [];
  if (subtype) subtypes.push({ system: subtype[0], code: subtype[1] });
  subtypes.push({ system: AUDIT_ACTION_SYSTEM, code: e.action });
  const who = e.actor === null ? { identifier: { system: GOVERNANCE_SYSTEM, value: 'council' } } : account(e.actor);
  const actor: Record<string, unknown> = {
    type: { coding: [{ system: PARTICIPATION, code: e.action === 'AccessReported' ? 'IRCP' : 'AUT' }] },
    who,
    requestor: true,
  };
  if (e.consent) actor.policy = [consentUri(e.consent)];
  const agents: object[] = [actor];
  if (e.organisation !== null) {
    agents.push({
      type: { coding: [{ system: PARTICIPATION, code: 'RESP' }] },
      who: { identifier: { system: ORGANISATION_SYSTEM, value: String(e.organisation) } },
      requestor: false,
    });
  }
  const subject: Record<string, unknown> = {
    what: { identifier: { system: PATIENT_SYSTEM, value: String(patient) } },
    type: { system: ENTITY_TYPE, code: '1' },
    role: { system: OBJECT_ROLE, code: '1' },
  };
  if (e.categories.length > 0) subject.securityLabel = e.categories.map((c) => ({ system: CATEGORY_SYSTEM, code: c }));
  const entities: object[] = [subject];
  if (e.record !== null) {
    entities.push({
      what: { identifier: { system: RECORD_SYSTEM, value: String(e.record) } },
      type: { system: ENTITY_TYPE, code: '2' },
      role: { system: OBJECT_ROLE, code: '3' },
    });
  }
  if (e.subject !== null) {
    entities.push({ what: account(e.subject), type: { system: ENTITY_TYPE, code: '1' }, role: { system: OBJECT_ROLE, code: '11' } });
  }
  const resource: Record<string, unknown> = {
    resourceType: 'AuditEvent',
    id: `patient-${patient}-entry-${e.seq}`,
    extension: [{
      url: AUDIT_CHAIN_EXTENSION,
      extension: [
        { url: 'seq', valueString: String(e.seq) },
        { url: 'outcome', valueCode: e.outcome },
        { url: 'block', valueUnsignedInt: e.block },
        { url: 'head', valueString: e.head },
      ],
    }],
    type: { system: typeSystem, code: typeCode, display: typeDisplay },
    subtype: subtypes,
    action,
    recorded: rfc3339(e.at),
    outcome: e.outcome === 'Denied' ? '8' : '0',
    agent: agents,
    source: { observer: { display: 'medchain' }, type: [{ system: SOURCE_TYPE, code: '4' }] },
    entity: entities,
  };
  if (e.purposes.length > 0) {
    resource.purposeOfEvent = e.purposes.map((p) => ({ coding: [{ system: PURPOSE_SYSTEM, code: PURPOSE_CODES[p] }] }));
  }
  return resource;
}

/** A verified trail as a FHIR R4 Bundle (`collection`); where it was read in `meta.extension`.
 * Refuses a trail that did not verify: a patient is never handed a file the chain contradicts. */
export function trailToBundle(trail: Trail): Record<string, unknown> {
  if (trail.verified !== true) throw new Error(`the trail did not verify: ${trail.verified}`);
  const entries = trail.entries.map((e) => ({ resource: entryToAuditEvent(trail.patient, e) }));
  return {
    resourceType: 'Bundle',
    type: 'collection',
    meta: {
      extension: [{
        url: AUDIT_EXPORT_EXTENSION,
        extension: [
          { url: 'patient', valueString: String(trail.patient) },
          { url: 'block', valueUnsignedInt: trail.block },
          { url: 'blockHash', valueString: trail.blockHash },
          { url: 'lastSeq', valueString: String(trail.head.lastSeq) },
          { url: 'head', valueString: trail.head.head },
          { url: 'lastBlock', valueUnsignedInt: trail.head.lastBlock },
        ],
      }],
    },
    total: entries.length,
    entry: entries,
  };
}
