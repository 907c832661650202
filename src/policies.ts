// Declarative permissions: each capability names the roles that hold it. This is the role half
// of the access layer; the record half (which kecamatan, organisation or owner's businesses an
// actor reaches) is src/access/access.service.ts, and every route declares its capability in
// its config (src/access/access.route.ts). Nothing else compares roles.
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

export const policy = {
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
  // Entering a check-in after the session's day (a late entry, with a reason, audited).
  recordLateAttendance: ['admin', 'program_officer'],
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
  // Participant lists (names, masked NIK, attendance) are for the staff who run or follow a
  // program; owners read programs, not their fellow participants.
  readParticipants: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer'],
  // Screening the registry against a program's rule and inviting those found: program officers
  // for the whole registry, a kecamatan office for its own kecamatan (the scope says which).
  screenRegistry: ['admin', 'program_officer', 'kecamatan_officer'],
  // Products of the catalog behind login; owners reach their own businesses' only.
  readProducts: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner'],
  readAllProducts: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer'],
  // Approving a product for the public catalogue, or returning it with a note (the Dinas's
  // promotion officers). A product they add themselves is approved as they add it.
  curateProducts: ['admin', 'program_officer'],
  // Applying for a business one does not own is done by an officer (the application says so).
  applyOnBehalf: ['admin', 'program_officer', 'kecamatan_officer'],
  // Act for an organisation other than one's own: create a program or aid stock for any SOPD.
  actForAnyOrganisation: ['admin'],
  // A business's region and reference number are the registry's keys, set by the office.
  editRegistryKeys: ['admin', 'program_officer', 'kecamatan_officer'],
  // Confirming that aid was received: the SOPD that holds it, or the owner it went to.
  confirmReceipt: ['admin', 'sopd_officer', 'owner'],
  // Background jobs: everyone sees and retries their own; these see, or retry, everyone's.
  readAllJobs: ['admin', 'program_officer'],
  retryAnyJob: ['admin'],
  // The texts of the WhatsApp, SMS and e-mail notifications.
  manageNotificationTemplates: ['admin'],
  // Complaints (pengaduan): the offices that answer them; a kecamatan office within its scope
  // (complaintScope in src/access).
  handleComplaints: ['admin', 'program_officer', 'kecamatan_officer'],
  // Market access (issue 11). A storefront's links, slug and the owner's consent to show their
  // trainings: the owner, and the offices that register businesses, within their scope.
  editStorefronts: ['admin', 'program_officer', 'kecamatan_officer', 'owner'],
  // Sales of a business: recorded by its owner or an office within its scope.
  readSales: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer', 'owner'],
  recordSales: ['admin', 'program_officer', 'kecamatan_officer', 'owner'],
  // Promotion events (bazaar, pameran, temu bisnis): the dinas organises them, the offices follow.
  readEvents: ['admin', 'program_officer', 'kecamatan_officer', 'sopd_officer'],
  manageEvents: ['admin', 'program_officer'],
  // Follow-ups of graduates: see who answered, send the personal links, record answers taken
  // by phone or on a visit; a kecamatan office within its kecamatan (kecamatanScope).
  followUpGraduates: ['admin', 'program_officer', 'kecamatan_officer'],
  // Self-registrations: the queue, the verification visit and the registry page of a kecamatan
  // office within its kecamatan (kecamatanScope), the kabupaten-wide offices everywhere.
  verifyRegistrations: ['admin', 'program_officer', 'kecamatan_officer'],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof policy;

export function can(actor: Actor | null, capability: Capability): boolean {
  return actor !== null && (policy[capability] as readonly Role[]).includes(actor.role);
}

export function capabilitiesOf(actor: Actor): Capability[] {
  return (Object.keys(policy) as Capability[]).filter((c) => can(actor, c));
}
