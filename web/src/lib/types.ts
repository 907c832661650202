// Types of what the API answers. They come from the server's zod schema files (type-only
// imports: nothing of the server ends up in the bundle). JSON turns dates into strings,
// which Wire<T> expresses.
import type { Me as MeSchema } from '../../../src/modules/auth/auth.schema';
import type {
  BusinessDetail as BusinessDetailSchema,
  BusinessItem as BusinessItemSchema,
  CreateBusinessBody,
} from '../../../src/modules/businesses/businesses.schema';
import type {
  Application as ApplicationSchema,
  EligibilityResult as EligibilityResultSchema,
  Program as ProgramSchema,
} from '../../../src/modules/programs/programs.schema';
import type {
  CertificateVerification as CertificateVerificationSchema,
  CheckInResult as CheckInResultSchema,
  Completion as CompletionSchema,
  SessionDetail as SessionDetailSchema,
  SessionSummary as SessionSummarySchema,
} from '../../../src/modules/training/training.schema';

export type Wire<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

export type Me = Wire<MeSchema>;
export type BusinessItem = Wire<BusinessItemSchema>;
export type BusinessDetail = Wire<BusinessDetailSchema>;
export type BusinessCreated = BusinessItem & { warnings: Issue[] };
export type { CreateBusinessBody };
export type Issue = { code: string; message: string; field?: string };
export type Program = Wire<ProgramSchema>;
export type Application = Wire<ApplicationSchema>;
export type ApplicationStatus = Application['status'];
export type EligibilityResult = Wire<EligibilityResultSchema>;
export type ClauseDescription = Program['eligibilityDescription'][number];
export type SessionSummary = Wire<SessionSummarySchema>;
export type SessionDetail = Wire<SessionDetailSchema>;
export type SessionParticipant = SessionDetail['participants'][number];
export type CheckInResult = Wire<CheckInResultSchema>;
export type Completion = Wire<CompletionSchema>;
export type CertificateVerification = Wire<CertificateVerificationSchema>;

import type {
  AidAllocation as AidAllocationSchema,
  AidHandover as AidHandoverSchema,
  AidStockItem as AidStockItemSchema,
  CreateAidStockBody,
  CreateAllocationBody,
  CreateHandoverBody,
} from '../../../src/modules/aid/aid.schema';
import type {
  CreateProductBody,
  ProductItem as ProductItemSchema,
  UpdateProductBody,
} from '../../../src/modules/catalog/catalog.schema';
import type { Summary as SummarySchema } from '../../../src/modules/reports/reports.schema';

export type AidStockItem = Wire<AidStockItemSchema>;
export type AidAllocation = Wire<AidAllocationSchema>;
export type AidHandover = Wire<AidHandoverSchema>;
export type {
  CreateAidStockBody,
  CreateAllocationBody,
  CreateHandoverBody,
  CreateProductBody,
  UpdateProductBody,
};
export type ProductItem = Wire<ProductItemSchema>;
export type Summary = Wire<SummarySchema>;

// The audit entries are declared in audit.routes.ts (not a schema file), so they are restated here.
export type AuditEntry = {
  id: number;
  at: string;
  actorId: string | null;
  actor: string | null;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  recordName: string | null;
  before: unknown;
  after: unknown;
};

export type PersonalDataAccess = {
  id: number;
  at: string;
  actor: string | null;
  kind: 'view' | 'export';
  subject: string;
  filter: unknown;
  rows: number;
};
