// Declarative permissions: each capability names the roles that hold it. Scoping to an
// organisation, kecamatan or owner is applied by the module's queries (see scopeFor*).
export type Role = 'admin' | 'program_officer' | 'kecamatan_officer' | 'sopd_officer' | 'owner';

export type Actor = {
  userId: string;
  username: string;
  role: Role;
  organisationId: string | null;
  // kecamatan code of a kecamatan office, e.g. '62.71.02'
  regionCode: string | null;
  personId: string | null;
};

const policy = {
  readBusinesses: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner'],
  writeBusinesses: ['admin', 'program_officer', 'kecamatan_officer', 'owner'],
  createBusinesses: ['admin', 'program_officer', 'kecamatan_officer'],
  revealPersonalData: ['admin', 'program_officer', 'kecamatan_officer'],
  readPrograms: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner'],
  writePrograms: ['admin', 'program_officer'],
  readApplications: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner'],
  apply: ['admin', 'program_officer', 'kecamatan_officer', 'owner'],
  decideApplications: ['admin', 'program_officer'],
  recordAttendance: ['admin', 'program_officer', 'kecamatan_officer'],
  issueCertificates: ['admin', 'program_officer'],
  readAid: ['admin', 'program_officer', 'sopd_officer'],
  writeAid: ['admin', 'sopd_officer'],
  writeProducts: ['admin', 'program_officer', 'owner'],
  readReports: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer'],
  readAudit: ['admin'],
  // Links a NIK registered in one kecamatan to a person of another: needs the whole registry.
  reviewIdentities: ['admin', 'program_officer'],
  manageUsers: ['admin'],
  manageSettings: ['admin'],
  // /rules/describe and /rules/preview: tools of the program editor, for those who write programs
  composeRules: ['admin', 'program_officer'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof policy;

export function can(actor: Actor | null, capability: Capability): boolean {
  return actor !== null && (policy[capability] as readonly Role[]).includes(actor.role);
}

export function capabilitiesOf(actor: Actor): Capability[] {
  return (Object.keys(policy) as Capability[]).filter((c) => can(actor, c));
}
