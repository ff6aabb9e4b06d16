import type { AuditEntry } from '../audit/audit-log.js';
import type { CaseRecord, CaseStatus, DocumentVersion, PendingSignature } from '../model/case.js';
import type { NumberCounterKey } from '../numbering/document-number.js';
import type { Route } from '../route/route.js';

/** A change to one case, applied atomically by {@link WorkflowStore.commitCase}. */
export interface CaseCommit {
  /** The new record; its `version` is `expectedVersion + 1`. */
  readonly record: CaseRecord;
  /** The version the change was computed from (compare-and-set). */
  readonly expectedVersion: number;
  /** New document versions (content-addressed: inserting an existing one is a no-op, never an overwrite). */
  readonly documents: readonly DocumentVersion[];
  /** Audit entries to append, continuing the record's chain. */
  readonly audit: readonly AuditEntry[];
  /** Pending signature tokens consumed by this change. */
  readonly consumedTokens?: readonly string[];
}

/** Filter for {@link WorkflowStore.listCases}. */
export interface CaseQuery {
  readonly status?: CaseStatus;
  readonly routeId?: string;
  readonly limit?: number;
}

/**
 * Where cases, document versions, audit logs, pending signatures, routes and number counters
 * live. Three implementations ship: `MemoryWorkflowStore` (here), `SqliteWorkflowStore`
 * (`@kyso/workflow/sqlite`) and `PostgresWorkflowStore` (`@kyso/workflow/postgres`).
 *
 * Contract every store keeps (the shared behavioural suite checks it):
 * - `createCase` and `commitCase` are atomic: the record, its documents and its audit entries
 *   are all written or none is.
 * - `commitCase` is a compare-and-set on `version`: if the stored version is not
 *   `expectedVersion`, nothing is written and it throws `WorkflowConflictError`.
 * - Documents are keyed by their SHA-256 and never overwritten.
 * - `reserveDocumentNumber` is atomic across processes and machines sharing the store, and
 *   idempotent per case: asking again for the same case and key returns the same number.
 */
export interface WorkflowStore {
  /** `memory`, `sqlite` or `postgres`. */
  readonly kind: string;
  /** Creates tables if needed. Safe to call more than once. */
  init(): Promise<void>;
  getCase(caseId: string): Promise<CaseRecord | undefined>;
  listCases(query?: CaseQuery): Promise<CaseRecord[]>;
  /** Stores a new case; throws `WorkflowConflictError` if the id exists. */
  createCase(record: CaseRecord, documents: readonly DocumentVersion[], audit: readonly AuditEntry[]): Promise<void>;
  /** Applies a change with compare-and-set on the case version (see the interface's contract). */
  commitCase(commit: CaseCommit): Promise<void>;
  getDocument(sha256: string): Promise<Uint8Array | undefined>;
  getAuditLog(caseId: string): Promise<AuditEntry[]>;
  /** Draws the next number of the counter for `key`, or returns the one `caseId` already holds. */
  reserveDocumentNumber(caseId: string, key: NumberCounterKey): Promise<number>;
  /**
   * Gives back the numbers `caseId` holds that are still the last drawn from their counters, so
   * that the next document takes them and the year's numbers stay consecutive; returns them.
   * A number drawn before another is kept (it cannot be given back without a gap elsewhere).
   */
  releaseDocumentNumbers(caseId: string): Promise<number[]>;
  savePendingSignature(pending: PendingSignature): Promise<void>;
  getPendingSignature(token: string): Promise<PendingSignature | undefined>;
  /** Deletes the pending signatures that expired before `now`; returns how many. */
  deleteExpiredPendingSignatures(now: Date): Promise<number>;
  saveRoute(route: Route): Promise<void>;
  getRoute(routeId: string): Promise<Route | undefined>;
  listRoutes(): Promise<Route[]>;
  /** Releases connections. */
  close(): Promise<void>;
}
