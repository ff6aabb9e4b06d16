/**
 * `@kyso/workflow/postgres`: a store in PostgreSQL over `pg`, so several application servers
 * share cases. Every case change is a compare-and-set on its version inside a transaction;
 * document numbers come from a per-(agency, type, year) counter row updated atomically.
 */
import pg from 'pg';
import type { AuditEntry } from '../audit/audit-log.js';
import { WorkflowConflictError } from '../errors.js';
import type { CaseRecord, DocumentVersion, PendingSignature } from '../model/case.js';
import type { NumberCounterKey } from '../numbering/document-number.js';
import type { Route } from '../route/route.js';
import { fromJson, plainBytes, toJson } from '../store/records.js';
import type { CaseCommit, CaseQuery, WorkflowStore } from '../store/workflow-store.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS kyso_cases (
  id TEXT PRIMARY KEY, version INTEGER NOT NULL, status TEXT NOT NULL, route_id TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL, data JSONB NOT NULL);
CREATE TABLE IF NOT EXISTS kyso_documents (
  sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, bytes BYTEA NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS kyso_audit (
  case_id TEXT NOT NULL, seq INTEGER NOT NULL, hash TEXT NOT NULL, data JSONB NOT NULL, PRIMARY KEY (case_id, seq));
CREATE TABLE IF NOT EXISTS kyso_pending (
  token TEXT PRIMARY KEY, case_id TEXT NOT NULL, expires_at TEXT NOT NULL, data JSONB NOT NULL);
CREATE TABLE IF NOT EXISTS kyso_routes (id TEXT PRIMARY KEY, data JSONB NOT NULL);
CREATE TABLE IF NOT EXISTS kyso_number_counters (
  agency TEXT NOT NULL, document_type TEXT NOT NULL, year INTEGER NOT NULL, last INTEGER NOT NULL,
  PRIMARY KEY (agency, document_type, year));
CREATE TABLE IF NOT EXISTS kyso_document_numbers (
  agency TEXT NOT NULL, document_type TEXT NOT NULL, year INTEGER NOT NULL, number INTEGER NOT NULL,
  case_id TEXT NOT NULL, allocated_at TEXT NOT NULL,
  PRIMARY KEY (agency, document_type, year, number), UNIQUE (case_id, agency, document_type, year));
CREATE OR REPLACE FUNCTION kyso_immutable() RETURNS trigger LANGUAGE plpgsql AS
  $$ BEGIN RAISE EXCEPTION 'kyso: % rows are never rewritten or deleted', TG_TABLE_NAME; END $$;
DROP TRIGGER IF EXISTS kyso_documents_immutable ON kyso_documents;
CREATE TRIGGER kyso_documents_immutable BEFORE UPDATE OR DELETE ON kyso_documents FOR EACH ROW EXECUTE FUNCTION kyso_immutable();
DROP TRIGGER IF EXISTS kyso_audit_immutable ON kyso_audit;
CREATE TRIGGER kyso_audit_immutable BEFORE UPDATE OR DELETE ON kyso_audit FOR EACH ROW EXECUTE FUNCTION kyso_immutable();
`;

/** Options of {@link PostgresWorkflowStore}: a connection string, a `pg.PoolConfig`, or a pool to share. */
export type PostgresStoreInput = string | pg.PoolConfig | pg.Pool;

/**
 * A {@link WorkflowStore} in PostgreSQL.
 *
 * @example
 * ```ts
 * import { PostgresWorkflowStore } from '@kyso/workflow/postgres';
 * const store = new PostgresWorkflowStore('postgres://kyso@db.internal/kyso');
 * await store.init();
 * ```
 */
export class PostgresWorkflowStore implements WorkflowStore {
  readonly kind = 'postgres';
  readonly pool: pg.Pool;
  readonly #ownsPool: boolean;

  constructor(input: PostgresStoreInput) {
    if (input instanceof pg.Pool) {
      this.pool = input;
      this.#ownsPool = false;
    } else {
      this.pool = new pg.Pool(typeof input === 'string' ? { connectionString: input, max: 4 } : input);
      this.#ownsPool = true;
      // An idle connection dropped by the server (restart, failover) must not crash the
      // process; the pool replaces it on the next query (node-postgres' documented advice).
      this.pool.on('error', () => undefined);
    }
  }

  async #tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      await c.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      c.release();
    }
  }

  async init(): Promise<void> {
    // The advisory lock keeps servers starting together from racing on CREATE.
    await this.#tx(async (c) => {
      await c.query("SELECT pg_advisory_xact_lock(hashtext('kyso_workflow_schema'))");
      await c.query(SCHEMA);
    });
  }

  async getCase(caseId: string): Promise<CaseRecord | undefined> {
    const r = await this.pool.query('SELECT data FROM kyso_cases WHERE id = $1', [caseId]);
    return r.rows[0] ? fromJson<CaseRecord>(r.rows[0].data) : undefined;
  }

  async listCases(query: CaseQuery = {}): Promise<CaseRecord[]> {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (query.status !== undefined) where.push(`status = $${args.push(query.status)}`);
    if (query.routeId !== undefined) where.push(`route_id = $${args.push(query.routeId)}`);
    let sql = `SELECT data FROM kyso_cases ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY created_at, id`;
    if (query.limit !== undefined) sql += ` LIMIT $${args.push(query.limit)}`;
    return (await this.pool.query(sql, args)).rows.map((r) => fromJson<CaseRecord>(r.data));
  }

  async #insertDocuments(c: pg.PoolClient, documents: readonly DocumentVersion[], now: string): Promise<void> {
    for (const d of documents) {
      await c.query('INSERT INTO kyso_documents (sha256, size, bytes, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING', [
        d.sha256,
        d.bytes.length,
        Buffer.from(d.bytes.buffer, d.bytes.byteOffset, d.bytes.byteLength),
        now,
      ]);
    }
  }

  async #insertAudit(c: pg.PoolClient, audit: readonly AuditEntry[]): Promise<void> {
    for (const e of audit) await c.query('INSERT INTO kyso_audit (case_id, seq, hash, data) VALUES ($1, $2, $3, $4)', [e.caseId, e.seq, e.hash, toJson(e)]);
  }

  async createCase(record: CaseRecord, documents: readonly DocumentVersion[], audit: readonly AuditEntry[]): Promise<void> {
    await this.#tx(async (c) => {
      const r = await c.query(
        'INSERT INTO kyso_cases (id, version, status, route_id, created_at, updated_at, data) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING',
        [record.id, record.version, record.status, record.route.id, record.createdAt, record.updatedAt, toJson(record)],
      );
      if (r.rowCount !== 1) throw new WorkflowConflictError(`A case with id "${record.id}" exists already; choose another id.`);
      await this.#insertDocuments(c, documents, record.createdAt);
      await this.#insertAudit(c, audit);
    });
  }

  async commitCase(commit: CaseCommit): Promise<void> {
    const rec = commit.record;
    await this.#tx(async (c) => {
      // Compare-and-set under the row lock: a concurrent commit that got there first makes
      // this WHERE match nothing (READ COMMITTED re-checks it against the new row version).
      const r = await c.query('UPDATE kyso_cases SET version = $1, status = $2, updated_at = $3, data = $4 WHERE id = $5 AND version = $6', [
        rec.version,
        rec.status,
        rec.updatedAt,
        toJson(rec),
        rec.id,
        commit.expectedVersion,
      ]);
      if (r.rowCount !== 1) {
        throw new WorkflowConflictError(`Case ${rec.id} changed since it was read (expected version ${commit.expectedVersion}); read it again and retry.`);
      }
      await this.#insertDocuments(c, commit.documents, rec.updatedAt);
      await this.#insertAudit(c, commit.audit);
      if (commit.consumedTokens?.length) await c.query('DELETE FROM kyso_pending WHERE token = ANY($1)', [commit.consumedTokens]);
    });
  }

  async getDocument(sha256: string): Promise<Uint8Array | undefined> {
    const r = await this.pool.query('SELECT bytes FROM kyso_documents WHERE sha256 = $1', [sha256]);
    return r.rows[0] ? plainBytes(r.rows[0].bytes as Uint8Array) : undefined;
  }

  async getAuditLog(caseId: string): Promise<AuditEntry[]> {
    return (await this.pool.query('SELECT data FROM kyso_audit WHERE case_id = $1 ORDER BY seq', [caseId])).rows.map((r) => fromJson<AuditEntry>(r.data));
  }

  async reserveDocumentNumber(caseId: string, key: NumberCounterKey): Promise<number> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#tx(async (c) => {
          const held = await c.query('SELECT number FROM kyso_document_numbers WHERE case_id = $1 AND agency = $2 AND document_type = $3 AND year = $4', [
            caseId,
            key.agency,
            key.documentType,
            key.year,
          ]);
          if (held.rows[0]) return Number(held.rows[0].number);
          // The counter row's lock serialises concurrent issuers of the same agency, type and year.
          const r = await c.query(
            `INSERT INTO kyso_number_counters (agency, document_type, year, last) VALUES ($1, $2, $3, 1)
             ON CONFLICT (agency, document_type, year) DO UPDATE SET last = kyso_number_counters.last + 1 RETURNING last`,
            [key.agency, key.documentType, key.year],
          );
          const n = Number(r.rows[0].last);
          await c.query('INSERT INTO kyso_document_numbers (agency, document_type, year, number, case_id, allocated_at) VALUES ($1, $2, $3, $4, $5, $6)', [
            key.agency,
            key.documentType,
            key.year,
            n,
            caseId,
            new Date().toISOString(),
          ]);
          return n;
        });
      } catch (e) {
        // Two reservations for the same case at once: the loser rolls back (and so does its
        // counter increment) and reads the winner's number.
        if ((e as { code?: string }).code === '23505' && attempt < 3) continue;
        throw e;
      }
    }
  }

  async releaseDocumentNumbers(caseId: string): Promise<number[]> {
    return await this.#tx(async (c) => {
      const held = await c.query('SELECT agency, document_type, year, number FROM kyso_document_numbers WHERE case_id = $1', [caseId]);
      const released: number[] = [];
      for (const h of held.rows as { agency: string; document_type: string; year: number; number: number }[]) {
        // The counter row's lock serialises this with issuers drawing from the same counter.
        const r = await c.query('UPDATE kyso_number_counters SET last = last - 1 WHERE agency = $1 AND document_type = $2 AND year = $3 AND last = $4', [h.agency, h.document_type, h.year, h.number]);
        if (r.rowCount === 0) continue; // a later number was drawn: this one stays taken
        await c.query('DELETE FROM kyso_document_numbers WHERE agency = $1 AND document_type = $2 AND year = $3 AND number = $4', [h.agency, h.document_type, h.year, h.number]);
        released.push(Number(h.number));
      }
      return released;
    });
  }

  async savePendingSignature(p: PendingSignature): Promise<void> {
    await this.pool.query(
      'INSERT INTO kyso_pending (token, case_id, expires_at, data) VALUES ($1, $2, $3, $4) ON CONFLICT (token) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at',
      [p.token, p.caseId, p.expiresAt, toJson(p)],
    );
  }

  async getPendingSignature(token: string): Promise<PendingSignature | undefined> {
    const r = await this.pool.query('SELECT data FROM kyso_pending WHERE token = $1', [token]);
    return r.rows[0] ? fromJson<PendingSignature>(r.rows[0].data) : undefined;
  }

  async deleteExpiredPendingSignatures(now: Date): Promise<number> {
    // expires_at is an ISO time in UTC ("…Z"), so text order is time order.
    const r = await this.pool.query('DELETE FROM kyso_pending WHERE expires_at < $1', [now.toISOString()]);
    return r.rowCount ?? 0;
  }

  async saveRoute(route: Route): Promise<void> {
    await this.pool.query('INSERT INTO kyso_routes (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = excluded.data', [route.id, toJson(route)]);
  }

  async getRoute(routeId: string): Promise<Route | undefined> {
    const r = await this.pool.query('SELECT data FROM kyso_routes WHERE id = $1', [routeId]);
    return r.rows[0] ? fromJson<Route>(r.rows[0].data) : undefined;
  }

  async listRoutes(): Promise<Route[]> {
    return (await this.pool.query('SELECT data FROM kyso_routes ORDER BY id')).rows.map((r) => fromJson<Route>(r.data));
  }

  async close(): Promise<void> {
    if (this.#ownsPool) await this.pool.end();
  }
}

/** Connects to PostgreSQL and creates the tables. */
export async function openPostgresStore(input: PostgresStoreInput): Promise<PostgresWorkflowStore> {
  const s = new PostgresWorkflowStore(input);
  await s.init();
  return s;
}
