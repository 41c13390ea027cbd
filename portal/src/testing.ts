// What the portal's unit tests exercise without a browser: the hash-chain check and the FHIR
// export (built for Node by `npm run build:test`).
export { verify } from './trail';
export type { TrailEntry, Trail } from './trail';
export { trailToBundle, entryToAuditEvent, fhirType } from './fhir';
