// @kyso/workflow: multi-step approval of a work record by cadres (Decree 30/2020/ND-CP practice).
// Stores: MemoryWorkflowStore here; SQLite in `@kyso/workflow/sqlite`, PostgreSQL in `@kyso/workflow/postgres`.
export {
  WorkflowError,
  WrongSignerError,
  OutOfOrderError,
  AlreadySignedError,
  WorkflowConflictError,
  DisallowedChangeError,
  CertificateInvalidError,
  BadSignatureError,
  CaseClosedError,
  NotAllowedError,
  WorkflowNotFoundError,
  InvalidRouteError,
  WorkflowInputError,
  StoreCorruptError,
  RULE_ERROR_CODES,
} from './errors.js';
export type { WorkflowErrorCode } from './errors.js';

export { parseRoute, parseAssigneeInput, sameAssignee, stepAssignees, describeAssignee } from './route/route.js';
export type { Route, RouteStep, StepKind, Assignee, StepSignatureOptions, NumberingOptions } from './route/route.js';

export { readCertificateIdentity, identityMatches, describeIdentity } from './identity/certificate-identity.js';
export type { CertificateIdentity } from './identity/certificate-identity.js';

export { formatDocumentNumber, documentNumber, vietnamYear } from './numbering/document-number.js';
export type { DocumentNumber, NumberCounterKey } from './numbering/document-number.js';

export { verifyAuditChain, sealAuditEntry, auditEntryHash, GENESIS_HASH } from './audit/audit-log.js';
export type { AuditEntry, AuditAction, AuditActor, AuditChainReport } from './audit/audit-log.js';

export type { CaseRecord, CaseStatus, StepState, SignatureRecord, Delegation, RoundRecord, PendingSignature, DocumentVersion } from './model/case.js';
export { effectiveAssignees } from './model/assignment.js';

export type { WorkflowStore, CaseCommit, CaseQuery } from './store/workflow-store.js';
export { MemoryWorkflowStore } from './store/memory-store.js';

export type {
  DocumentSigning,
  PrepareSignatureRequest,
  PreparedDocumentSignature,
  DocumentCheck,
  DocumentSignatureCheck,
  InspectOptions,
  CertificateValidator,
} from './signing/document-signing.js';
export { padesDocumentSigning } from './signing/pades-signing.js';
export { trustValidator } from './signing/trust-validator.js';
export type { TrustValidatorOptions } from './signing/trust-validator.js';
export type { PadesDocumentSigningOptions, AppearanceContext } from './signing/pades-signing.js';

export { Workflow } from './engine/workflow.js';
export type { WorkflowOptions, WorkflowHooks, RoleResolver, Actor, StartCaseInput, BeginSignResult, BeginSignOptions, CaseExport } from './engine/workflow.js';

export { verifyCase, caseVerificationContext } from './verify/verify-case.js';
export type { VerifyCaseOptions, CaseVerification, CaseStepVerification, CaseSignatureVerification } from './verify/verify-case.js';
