import type { AuditEntry } from '../audit/audit-log.js';
import { WorkflowConflictError } from '../errors.js';
import type { CaseRecord, DocumentVersion, PendingSignature } from '../model/case.js';
import type { NumberCounterKey } from '../numbering/document-number.js';
import type { Route } from '../route/route.js';
import type { CaseCommit, CaseQuery, WorkflowStore } from './workflow-store.js';

/**
 * A {@link WorkflowStore} in memory: for tests, demos and browsers. Records are copied in and
 * out (structured clone), so callers never share objects with the store.
 */
export class MemoryWorkflowStore implements WorkflowStore {
  readonly kind = 'memory';
  readonly #cases = new Map<string, CaseRecord>();
  readonly #documents = new Map<string, Uint8Array>();
  readonly #audit = new Map<string, AuditEntry[]>();
  readonly #pending = new Map<string, PendingSignature>();
  readonly #routes = new Map<string, Route>();
  readonly #counters = new Map<string, number>();
  readonly #allocations = new Map<string, number>();

  async init(): Promise<void> {}

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const r = this.#cases.get(caseId);
    return r && structuredClone(r);
  }

  async listCases(query: CaseQuery = {}): Promise<CaseRecord[]> {
    let all = [...this.#cases.values()]
      .filter((c) => (query.status === undefined || c.status === query.status) && (query.routeId === undefined || c.route.id === query.routeId))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
    if (query.limit !== undefined) all = all.slice(0, query.limit);
    return structuredClone(all);
  }

  async createCase(record: CaseRecord, documents: readonly DocumentVersion[], audit: readonly AuditEntry[]): Promise<void> {
    if (this.#cases.has(record.id)) throw new WorkflowConflictError(`A case with id "${record.id}" exists already; choose another id.`);
    this.#cases.set(record.id, structuredClone(record));
    this.#putDocuments(documents);
    this.#audit.set(record.id, structuredClone([...audit]));
  }

  async commitCase(commit: CaseCommit): Promise<void> {
    const id = commit.record.id;
    const current = this.#cases.get(id);
    if (!current || current.version !== commit.expectedVersion) {
      throw new WorkflowConflictError(
        `Case ${id} changed since it was read (version ${current?.version ?? 'none'}, expected ${commit.expectedVersion}); read it again and retry.`,
      );
    }
    const log = this.#audit.get(id) ?? [];
    this.#cases.set(id, structuredClone(commit.record));
    this.#putDocuments(commit.documents);
    this.#audit.set(id, [...log, ...structuredClone([...commit.audit])]);
    for (const t of commit.consumedTokens ?? []) this.#pending.delete(t);
  }

  #putDocuments(documents: readonly DocumentVersion[]): void {
    for (const d of documents) if (!this.#documents.has(d.sha256)) this.#documents.set(d.sha256, d.bytes.slice());
  }

  async getDocument(sha256: string): Promise<Uint8Array | undefined> {
    return this.#documents.get(sha256)?.slice();
  }

  async getAuditLog(caseId: string): Promise<AuditEntry[]> {
    return structuredClone(this.#audit.get(caseId) ?? []);
  }

  async reserveDocumentNumber(caseId: string, key: NumberCounterKey): Promise<number> {
    const k = JSON.stringify([key.agency, key.documentType, key.year]);
    const held = this.#allocations.get(JSON.stringify([caseId, k]));
    if (held !== undefined) return held;
    const n = (this.#counters.get(k) ?? 0) + 1;
    this.#counters.set(k, n);
    this.#allocations.set(JSON.stringify([caseId, k]), n);
    return n;
  }

  async releaseDocumentNumbers(caseId: string): Promise<number[]> {
    const released: number[] = [];
    for (const [a, n] of this.#allocations) {
      const [owner, k] = JSON.parse(a) as [string, string];
      if (owner !== caseId || this.#counters.get(k) !== n) continue;
      this.#counters.set(k, n - 1);
      this.#allocations.delete(a);
      released.push(n);
    }
    return released;
  }

  async savePendingSignature(pending: PendingSignature): Promise<void> {
    this.#pending.set(pending.token, structuredClone(pending));
  }

  async getPendingSignature(token: string): Promise<PendingSignature | undefined> {
    const p = this.#pending.get(token);
    return p && structuredClone(p);
  }

  async deleteExpiredPendingSignatures(now: Date): Promise<number> {
    let n = 0;
    for (const [token, p] of this.#pending) {
      if (Date.parse(p.expiresAt) < now.getTime()) {
        this.#pending.delete(token);
        n++;
      }
    }
    return n;
  }

  async saveRoute(route: Route): Promise<void> {
    this.#routes.set(route.id, structuredClone(route));
  }

  async getRoute(routeId: string): Promise<Route | undefined> {
    const r = this.#routes.get(routeId);
    return r && structuredClone(r);
  }

  async listRoutes(): Promise<Route[]> {
    return structuredClone([...this.#routes.values()]);
  }

  async close(): Promise<void> {}
}
