/**
 * `@kyso/workflow/sqlite`: the embedded default store, one SQLite file, over better-sqlite3 12
 * (Node only). Several processes may share the file: writes are serialised by SQLite's lock
 * (WAL journal, busy timeout), and every case change is a compare-and-set on its version.
 */
import Database from 'better-sqlite3';
import type { AuditEntry } from '../audit/audit-log.js';
import { WorkflowConflictError } from '../errors.js';
import type { CaseRecord, DocumentVersion, PendingSignature } from '../model/case.js';
import type { NumberCounterKey } from '../numbering/document-number.js';
import type { Route } from '../route/route.js';
import { fromJson, plainBytes, toJson } from '../store/records.js';
import type { CaseCommit, CaseQuery, WorkflowStore } from '../store/workflow-store.js';

/** Options of {@link SqliteWorkflowStore}. */
export interface SqliteStoreOptions {
  /** How long a writer waits for another process's lock before failing; default 15 000 ms. */
  readonly busyTimeoutMs?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kyso_cases (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL, route_id TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kyso_documents (
  sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, bytes BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kyso_audit (
  case_id TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (case_id, seq));
CREATE TABLE IF NOT EXISTS kyso_pending (
  token TEXT PRIMARY KEY, case_id TEXT NOT NULL, expires_at TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kyso_routes (id TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kyso_number_counters (
  agency TEXT NOT NULL, document_type TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL,
  PRIMARY KEY (agency, document_type, year));
CREATE TABLE IF NOT EXISTS kyso_document_numbers (
  agency TEXT NOT NULL, document_type TEXT NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL,
  case_id TEXT NOT NULL, allocated_at TEXT NOT NULL,
  PRIMARY KEY (agency, document_type, year, number), UNIQUE (case_id, agency, document_type, year));
-- Document versions and audit entries are never rewritten.
CREATE TRIGGER IF NOT EXISTS kyso_documents_immutable BEFORE UPDATE ON kyso_documents
  BEGIN SELECT RAISE(ABORT, 'kyso: document versions are immutable'); END;
CREATE TRIGGER IF NOT EXISTS kyso_documents_kept BEFORE DELETE ON kyso_documents
  BEGIN SELECT RAISE(ABORT, 'kyso: document versions are never deleted'); END;
CREATE TRIGGER IF NOT EXISTS kyso_audit_immutable BEFORE UPDATE ON kyso_audit
  BEGIN SELECT RAISE(ABORT, 'kyso: audit entries are immutable'); END;
CREATE TRIGGER IF NOT EXISTS kyso_audit_kept BEFORE DELETE ON kyso_audit
  BEGIN SELECT RAISE(ABORT, 'kyso: audit entries are never deleted'); END;
`;

/**
 * A {@link WorkflowStore} in one SQLite file.
 *
 * @example
 * ```ts
 * import { SqliteWorkflowStore } from '@kyso/workflow/sqlite';
 * const store = new SqliteWorkflowStore('./kyso.db');
 * await store.init();
 * ```
 */
export class SqliteWorkflowStore implements WorkflowStore {
  readonly kind = 'sqlite';
  readonly db: Database.Database;

  /** Opens (creating if needed) the file `filename`, or `:memory:`. */
  constructor(filename: string, options: SqliteStoreOptions = {}) {
    this.db = new Database(filename, { timeout: options.busyTimeoutMs ?? 15_000 });
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
  }

  async init(): Promise<void> {
    this.db.transaction(() => this.db.exec(SCHEMA)).immediate();
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const row = this.db.prepare('SELECT data FROM kyso_cases WHERE id = ?').get(caseId) as { data: string } | undefined;
    return row && fromJson<CaseRecord>(row.data);
  }

  async listCases(query: CaseQuery = {}): Promise<CaseRecord[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.status !== undefined) {
      where.push('status = ?');
      args.push(query.status);
    }
    if (query.routeId !== undefined) {
      where.push('route_id = ?');
      args.push(query.routeId);
    }
    const sql = `SELECT data FROM kyso_cases ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, id ${query.limit !== undefined ? 'LIMIT ?' : ''}`;
    if (query.limit !== undefined) args.push(query.limit);
    return (this.db.prepare(sql).all(...args) as { data: string }[]).map((r) => fromJson<CaseRecord>(r.data));
  }

  #insertDocuments(documents: readonly DocumentVersion[], now: string): void {
    const ins = this.db.prepare('INSERT OR IGNORE INTO kyso_documents (sha256, size, bytes, created_at) VALUES (?, ?, ?, ?)');
    for (const d of documents) ins.run(d.sha256, d.bytes.length, d.bytes, now);
  }

  #insertAudit(audit: readonly AuditEntry[]): void {
    const ins = this.db.prepare('INSERT INTO kyso_audit (case_id, seq, hash, data) VALUES (?, ?, ?, ?)');
    for (const e of audit) ins.run(e.caseId, e.seq, e.hash, toJson(e));
  }

  async createCase(record: CaseRecord, documents: readonly DocumentVersion[], audit: readonly AuditEntry[]): Promise<void> {
    this.db
      .transaction(() => {
        const r = this.db
          .prepare('INSERT OR IGNORE INTO kyso_cases (id, version, status, route_id, created_at, updated_at, data) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(record.id, record.version, record.status, record.route.id, record.createdAt, record.updatedAt, toJson(record));
        if (r.changes === 0) throw new WorkflowConflictError(`A case with id "${record.id}" exists already; choose another id.`);
        this.#insertDocuments(documents, record.createdAt);
        this.#insertAudit(audit);
      })
      .immediate();
  }

  async commitCase(commit: CaseCommit): Promise<void> {
    const rec = commit.record;
    this.db
      .transaction(() => {
        // Compare-and-set: the row changes only if nobody committed since `expectedVersion`.
        const r = this.db
          .prepare('UPDATE kyso_cases SET version = ?, status = ?, updated_at = ?, data = ? WHERE id = ? AND version = ?')
          .run(rec.version, rec.status, rec.updatedAt, toJson(rec), rec.id, commit.expectedVersion);
        if (r.changes !== 1) {
          throw new WorkflowConflictError(`Case ${rec.id} changed since it was read (expected version ${commit.expectedVersion}); read it again and retry.`);
        }
        this.#insertDocuments(commit.documents, rec.updatedAt);
        this.#insertAudit(commit.audit);
        const del = this.db.prepare('DELETE FROM kyso_pending WHERE token = ?');
        for (const t of commit.consumedTokens ?? []) del.run(t);
      })
      .immediate();
  }

  async getDocument(sha256: string): Promise<Uint8Array | undefined> {
    const row = this.db.prepare('SELECT bytes FROM kyso_documents WHERE sha256 = ?').get(sha256) as { bytes: Uint8Array } | undefined;
    return row && plainBytes(row.bytes);
  }

  async getAuditLog(caseId: string): Promise<AuditEntry[]> {
    return (this.db.prepare('SELECT data FROM kyso_audit WHERE case_id = ? ORDER BY seq').all(caseId) as { data: string }[]).map((r) => fromJson<AuditEntry>(r.data));
  }

  async reserveDocumentNumber(caseId: string, key: NumberCounterKey): Promise<number> {
    return this.db
      .transaction(() => {
        const held = this.db
          .prepare('SELECT number FROM kyso_document_numbers WHERE case_id = ? AND agency = ? AND document_type = ? AND year = ?')
          .get(caseId, key.agency, key.documentType, key.year) as { number: number } | undefined;
        if (held) return held.number;
        const row = this.db
          .prepare(
            `INSERT INTO kyso_number_counters (agency, document_type, year, last) VALUES (?, ?, ?, 1)
             ON CONFLICT (agency, document_type, year) DO UPDATE SET last = last + 1 RETURNING last`,
          )
          .get(key.agency, key.documentType, key.year) as { last: number };
        this.db
          .prepare('INSERT INTO kyso_document_numbers (agency, document_type, year, number, case_id, allocated_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(key.agency, key.documentType, key.year, row.last, caseId, new Date().toISOString());
        return row.last;
      })
      .immediate();
  }

  async releaseDocumentNumbers(caseId: string): Promise<number[]> {
    return this.db
      .transaction(() => {
        const held = this.db.prepare('SELECT agency, document_type, year, number FROM kyso_document_numbers WHERE case_id = ?').all(caseId) as { agency: string; document_type: string; year: number; number: number }[];
        const released: number[] = [];
        for (const h of held) {
          const last = this.db
            .prepare('UPDATE kyso_number_counters SET last = last - 1 WHERE agency = ? AND document_type = ? AND year = ? AND last = ?')
            .run(h.agency, h.document_type, h.year, h.number);
          if (last.changes === 0) continue; // a later number was drawn: this one stays taken
          this.db.prepare('DELETE FROM kyso_document_numbers WHERE agency = ? AND document_type = ? AND year = ? AND number = ?').run(h.agency, h.document_type, h.year, h.number);
          released.push(h.number);
        }
        return released;
      })
      .immediate();
  }

  async savePendingSignature(p: PendingSignature): Promise<void> {
    this.db.prepare('INSERT OR REPLACE INTO kyso_pending (token, case_id, expires_at, data) VALUES (?, ?, ?, ?)').run(p.token, p.caseId, p.expiresAt, toJson(p));
  }

  async getPendingSignature(token: string): Promise<PendingSignature | undefined> {
    const row = this.db.prepare('SELECT data FROM kyso_pending WHERE token = ?').get(token) as { data: string } | undefined;
    return row && fromJson<PendingSignature>(row.data);
  }

  async deleteExpiredPendingSignatures(now: Date): Promise<number> {
    // expires_at is an ISO time in UTC ("…Z"), so text order is time order.
    return Number(this.db.prepare('DELETE FROM kyso_pending WHERE expires_at < ?').run(now.toISOString()).changes);
  }

  async saveRoute(route: Route): Promise<void> {
    this.db.prepare('INSERT INTO kyso_routes (id, data) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET data = excluded.data').run(route.id, toJson(route));
  }

  async getRoute(routeId: string): Promise<Route | undefined> {
    const row = this.db.prepare('SELECT data FROM kyso_routes WHERE id = ?').get(routeId) as { data: string } | undefined;
    return row && fromJson<Route>(row.data);
  }

  async listRoutes(): Promise<Route[]> {
    return (this.db.prepare('SELECT data FROM kyso_routes ORDER BY id').all() as { data: string }[]).map((r) => fromJson<Route>(r.data));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens a SQLite store and creates its tables. */
export async function openSqliteStore(filename: string, options?: SqliteStoreOptions): Promise<SqliteWorkflowStore> {
  const s = new SqliteWorkflowStore(filename, options);
  await s.init();
  return s;
}
