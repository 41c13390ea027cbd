// medchain's vocabulary as the chain encodes it (medchain-primitives' `sets.rs` and `audit.rs`):
// bit sets of categories, purposes and actions, and the audit trail's actions — with the words a
// patient reads.

export const CATEGORIES = [
  'Demographics', 'Encounters', 'Diagnoses', 'Medications', 'Allergies', 'LabResults', 'Imaging',
  'Procedures', 'Immunizations', 'ClinicalNotes', 'MentalHealth', 'SexualHealth', 'Genomics', 'Billing',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Sensitive categories: never implied by a shortcut; a grant names each a second time. */
export const SENSITIVE: readonly Category[] = ['MentalHealth', 'SexualHealth', 'Genomics', 'Billing'];

export const PURPOSES = ['Treatment', 'Payment', 'Operations', 'Research', 'PublicHealth', 'Emergency'] as const;
export type Purpose = (typeof PURPOSES)[number];

export const ACTIONS = ['Read', 'Append', 'Share'] as const;
export type Action = (typeof ACTIONS)[number];

export const CATEGORY_WORDS: Record<Category, string> = {
  Demographics: 'demographics', Encounters: 'visits', Diagnoses: 'diagnoses', Medications: 'medications',
  Allergies: 'allergies', LabResults: 'lab results', Imaging: 'imaging', Procedures: 'procedures',
  Immunizations: 'immunisations', ClinicalNotes: 'clinical notes', MentalHealth: 'mental health',
  SexualHealth: 'sexual health', Genomics: 'genomics', Billing: 'billing',
};

export const PURPOSE_WORDS: Record<Purpose, string> = {
  Treatment: 'treatment', Payment: 'payment', Operations: 'operations', Research: 'research',
  PublicHealth: 'public health', Emergency: 'emergency',
};

export const ACTION_WORDS: Record<Action, string> = { Read: 'read', Append: 'add records', Share: 'share with its staff' };

/** The bits of `values` in the order of `all` (bit i = all[i]). */
export function toBits<T extends string>(all: readonly T[], values: readonly T[]): number {
  return values.reduce((bits, v) => bits | (1 << all.indexOf(v)), 0);
}

/** The values whose bits are set in `bits`. */
export function fromBits<T extends string>(all: readonly T[], bits: number): T[] {
  return all.filter((_, i) => (bits & (1 << i)) !== 0);
}

export function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** The audit trail's actions (`AuditAction`), in the chain's order, with what a patient reads. */
export const AUDIT_ACTIONS: Record<string, string> = {
  ConsentGranted: 'consent given',
  ConsentRevoked: 'consent withdrawn',
  DenyAdded: 'deny rule added',
  DenyRemoved: 'deny rule removed',
  EmergencyAccessOpened: 'EMERGENCY ACCESS (break the glass)',
  EmergencyAccessReviewed: 'emergency access reviewed',
  RecordAnchored: 'record added',
  RecordAmended: 'record amended',
  RecordEnteredInError: 'record marked as entered in error',
  RecordErased: 'record erased',
  AccessReported: 'your data was read',
  PatientEnrolled: 'enrolled',
  ControllerRotated: 'key changed',
  GuardianAppointed: 'guardian appointed',
  GuardianRemoved: 'guardian removed',
  EmergencyPolicySet: 'emergency policy changed',
  RecoveryThresholdSet: 'recovery threshold set',
  RecoveryApproved: 'a guardian approved a key recovery',
  RecoveryScheduled: 'key recovery scheduled',
  RecoveryCancelled: 'key recovery cancelled',
  ControllerRecovered: 'key recovered',
};

/** Milliseconds as a span a person reads ("2 days 3 hours"). */
export function span(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} day${days === 1 ? '' : 's'}${hours ? ` ${hours} h` : ''}`;
  if (hours > 0) return `${hours} h${mins ? ` ${mins} min` : ''}`;
  return `${mins} min`;
}

export function when(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}
