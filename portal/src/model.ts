// What the portal reads of the chain for one patient: who acts for it and how, its grants, deny
// rules, emergency policy and accesses, guardians and records; and the names the chain knows
// for the accounts in them (a role and an organisation: the chain holds no personal names).
import type { Chain } from './chain';
import { CATEGORIES, fromBits, PURPOSES, ACTIONS, type Category, type Purpose, type Action } from './vocabulary';

export interface Scope {
  consentCategories: Category[];
  mayAppoint: boolean;
  maySetEmergencyPolicy: boolean;
  mayRecover: boolean;
}

/** A patient the signed-in account may act for, and as what. */
export interface Ward {
  patient: number;
  as: 'patient' | 'guardian';
  /** A guardian's scope (all of it for the patient itself). */
  scope: Scope;
  validUntil: number | null;
}

const FULL: Scope = { consentCategories: [...CATEGORIES], mayAppoint: true, maySetEmergencyPolicy: true, mayRecover: true };

function scopeOf(raw: any): Scope {
  return {
    consentCategories: fromBits(CATEGORIES, raw.consentCategories.toNumber()),
    mayAppoint: raw.mayAppoint.isTrue,
    maySetEmergencyPolicy: raw.maySetEmergencyPolicy.isTrue,
    mayRecover: raw.mayRecover.isTrue,
  };
}

/** The patients `address` controls or guards (in force at chain time `now`). */
export async function wardsOf(chain: Chain, address: string, now: number): Promise<Ward[]> {
  const { api } = chain;
  const out: Ward[] = [];
  const own = (await api.query.patients.patientOf(address)) as any;
  if (own.isSome) out.push({ patient: own.unwrap().toNumber(), as: 'patient', scope: FULL, validUntil: null });
  const keys = await api.query.patients.guardianOf.keys(address);
  for (const key of keys) {
    const patient = (key.args[1] as any).toNumber();
    const appointment = (await api.query.patients.guardians(patient, address)) as any;
    if (appointment.isNone) continue;
    const a = appointment.unwrap();
    const validUntil = a.validUntil.isSome ? a.validUntil.unwrap().toNumber() : null;
    if (validUntil !== null && validUntil <= now) continue;
    out.push({ patient, as: 'guardian', scope: scopeOf(a.scope), validUntil });
  }
  return out;
}

export type GrantStatus = 'active' | 'not yet valid' | 'expired' | 'revoked' | 'removed';

export interface Grant {
  id: number;
  grantee: { organisation: number } | { practitioner: string };
  categories: Category[];
  purposes: Purpose[];
  actions: Action[];
  validFrom: number;
  validUntil: number | null;
  grantedBy: string;
  revokedAt: number | null;
  status: GrantStatus;
}

export async function grant(chain: Chain, id: number, now: number): Promise<Grant | null> {
  const raw = (await chain.api.query.consent.grants(id)) as any;
  if (raw.isNone) return null;
  const g = raw.unwrap();
  const t = g.terms;
  const validUntil = t.validUntil.isSome ? t.validUntil.unwrap().toNumber() : null;
  const revokedAt = g.revokedAt.isSome ? g.revokedAt.unwrap().toNumber() : null;
  const validFrom = t.validFrom.toNumber();
  const status: GrantStatus =
    revokedAt !== null ? 'revoked'
    : validUntil !== null && validUntil <= now ? 'expired'
    : validFrom > now ? 'not yet valid'
    : 'active';
  return {
    id,
    grantee: t.grantee.isOrganisation
      ? { organisation: t.grantee.asOrganisation.toNumber() }
      : { practitioner: t.grantee.asPractitioner.toString() },
    categories: fromBits(CATEGORIES, t.categories.toNumber()),
    purposes: fromBits(PURPOSES, t.purposes.toNumber()),
    actions: fromBits(ACTIONS, t.actions.toNumber()),
    validFrom,
    validUntil,
    grantedBy: g.grantedBy.toString(),
    revokedAt,
    status,
  };
}

/** Every grant of `patient` the chain still holds: those its trail names (revoked and ended
 * ones too, until their retention is over) and those in its grantee index. */
export async function grantsOf(chain: Chain, patient: number, fromTrail: number[], now: number): Promise<Grant[]> {
  const ids = new Set(fromTrail);
  for (const [, list] of await chain.api.query.consent.grantsByGrantee.entries(patient)) {
    for (const id of list as any) ids.add(id.toNumber());
  }
  const grants = await Promise.all([...ids].map((id) => grant(chain, id, now)));
  return grants.filter((g): g is Grant => g !== null).sort((a, b) => b.id - a.id);
}

export interface DenyRule {
  id: number;
  grantee: { organisation: number } | { practitioner: string } | null;
  categories: Category[];
  purposes: Purpose[];
}

export async function denyRules(chain: Chain, patient: number): Promise<DenyRule[]> {
  const raw = (await chain.api.query.consent.denies(patient)) as any;
  return raw.rules.map((r: any) => ({
    id: r.id.toNumber(),
    grantee: r.grantee.isNone
      ? null
      : r.grantee.unwrap().isOrganisation
        ? { organisation: r.grantee.unwrap().asOrganisation.toNumber() }
        : { practitioner: r.grantee.unwrap().asPractitioner.toString() },
    categories: fromBits(CATEGORIES, r.categories.toNumber()),
    purposes: fromBits(PURPOSES, r.purposes.toNumber()),
  }));
}

export interface PatientRecord {
  controller: string;
  enrolledBy: number;
  guardians: number;
  recoveryThreshold: number;
  emergency: { allowed: boolean; categories: Category[] };
}

export async function patientRecord(chain: Chain, patient: number): Promise<PatientRecord | null> {
  const raw = (await chain.api.query.patients.patients(patient)) as any;
  if (raw.isNone) return null;
  const p = raw.unwrap();
  return {
    controller: p.controller.toString(),
    enrolledBy: p.enrolledBy.toNumber(),
    guardians: p.guardians.toNumber(),
    recoveryThreshold: p.recoveryThreshold.toNumber(),
    emergency: { allowed: p.emergencyPolicy.allowed.isTrue, categories: fromBits(CATEGORIES, p.emergencyPolicy.categories.toNumber()) },
  };
}

export interface Guardian {
  account: string;
  scope: Scope;
  validUntil: number | null;
  appointedBy: string | null;
}

export async function guardiansOf(chain: Chain, patient: number): Promise<Guardian[]> {
  const entries = await chain.api.query.patients.guardians.entries(patient);
  return entries.map(([key, value]: any) => {
    const g = value.unwrap();
    return {
      account: key.args[1].toString(),
      scope: scopeOf(g.scope),
      validUntil: g.validUntil.isSome ? g.validUntil.unwrap().toNumber() : null,
      appointedBy: g.appointedBy.isSome ? g.appointedBy.unwrap().toString() : null,
    };
  });
}

export interface EmergencyAccess {
  id: number;
  practitioner: string;
  organisation: number;
  categories: Category[];
  justification: string;
  openedAt: number;
  until: number;
  review: { outcome: string; by: string } | null;
}

export async function emergencyAccess(chain: Chain, id: number): Promise<EmergencyAccess | null> {
  const raw = (await chain.api.query.consent.emergencyAccesses(id)) as any;
  if (raw.isNone) return null;
  const a = raw.unwrap();
  return {
    id,
    practitioner: a.practitioner.toString(),
    organisation: a.organisation.toNumber(),
    categories: fromBits(CATEGORIES, a.categories.toNumber()),
    justification: a.justification.toString(),
    openedAt: a.openedAt.toNumber(),
    until: a.until.toNumber(),
    review: a.review.isSome ? { outcome: a.review.unwrap().outcome.toString(), by: a.review.unwrap().by.toString() } : null,
  };
}

export interface Anchor {
  id: number;
  category: Category;
  purpose: Purpose;
  author: string;
  organisation: number | null;
  createdAt: number;
  status: string;
  supersedes: number | null;
  version: number;
}

/** The patient's records, each version with its number in its record's history. */
export async function recordsOf(chain: Chain, patient: number): Promise<Anchor[]> {
  const keys = await chain.api.query.records.patientRecords.keys(patient);
  const ids = keys.map((k: any) => k.args[1].toNumber()).sort((a: number, b: number) => a - b);
  const anchors: Anchor[] = [];
  const byId = new Map<number, Anchor>();
  for (const id of ids) {
    const raw = (await chain.api.query.records.anchors(id)) as any;
    if (raw.isNone) continue;
    const a = raw.unwrap();
    const supersedes = a.supersedes.isSome ? a.supersedes.unwrap().toNumber() : null;
    const anchor: Anchor = {
      id,
      category: a.category.toString() as Category,
      purpose: a.purpose.toString() as Purpose,
      author: a.author.toString(),
      organisation: a.authorOrg.isSome ? a.authorOrg.unwrap().toNumber() : null,
      createdAt: a.createdAt.toNumber(),
      status: a.status.toString(),
      supersedes,
      version: supersedes !== null ? (byId.get(supersedes)?.version ?? 1) + 1 : 1,
    };
    byId.set(id, anchor);
    anchors.push(anchor);
  }
  return anchors.reverse();
}

/** What the chain knows of accounts and organisations, as words: a role and an organisation's
 * kind. The chain holds no names; on development chains the demo world's are added. */
export class Names {
  private organisations = new Map<number, string>();
  private accounts = new Map<string, string>();

  constructor(private chain: Chain, private demo: Map<string, string>, private me: string | null = null) {}

  async organisation(id: number): Promise<string> {
    if (!this.organisations.has(id)) {
      const raw = (await this.chain.api.query.providers.organisations(id)) as any;
      const kind = raw.isSome ? raw.unwrap().kind.toString() : 'organisation';
      this.organisations.set(id, `${kind} #${id}`);
    }
    return this.organisations.get(id)!;
  }

  async account(address: string): Promise<string> {
    if (address === this.me) return 'you';
    if (!this.accounts.has(address)) {
      const demo = this.demo.get(address);
      const raw = (await this.chain.api.query.providers.practitioners(address)) as any;
      let words: string;
      if (raw.isSome) {
        const m = raw.unwrap();
        words = `${m.role.toString()} of ${await this.organisation(m.organisation.toNumber())}`;
      } else {
        const admin = (await this.chain.api.query.providers.adminOf(address)) as any;
        words = admin.isSome ? `admin of ${await this.organisation(admin.unwrap().toNumber())}` : 'account';
      }
      this.accounts.set(address, demo ? `${demo.split(' — ')[0]} (${words})` : `${words} ${address.slice(0, 6)}…`);
    }
    return this.accounts.get(address)!;
  }
}

export interface Organisation {
  id: number;
  kind: string;
  active: boolean;
}

/** The consortium's organisations (a few hundred at most: the providers pallet bounds them). */
export async function organisations(chain: Chain): Promise<Organisation[]> {
  const entries = await chain.api.query.providers.organisations.entries();
  return entries
    .map(([key, value]: any) => {
      const o = value.unwrap();
      return { id: key.args[0].toNumber(), kind: o.kind.toString(), active: o.status.isActive };
    })
    .sort((a: Organisation, b: Organisation) => a.id - b.id);
}

/** The ids of the grants `patient`'s trail names, oldest first. */
export function grantIdsIn(entries: Array<{ action: string; consent: unknown }>): number[] {
  const ids: number[] = [];
  for (const e of entries) {
    const c = e.consent as { grant?: number } | null;
    if (e.action === 'ConsentGranted' && c && typeof c.grant === 'number') ids.push(c.grant);
  }
  return ids;
}
