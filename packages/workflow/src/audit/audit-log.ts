import { deepFreeze, hashJson } from '../internal/hash.js';

/** What an audit entry records. */
export type AuditAction = 'create' | 'sign' | 'reject' | 'resubmit' | 'withdraw' | 'delegate' | 'number';

/** Who acted: for signatures, read from the certificate; otherwise as the application names them. */
export interface AuditActor {
  /** The application's user id or the signer's certificate identity key. */
  readonly id: string;
  readonly name?: string;
  /** SHA-256 of the signer's certificate, for signatures. */
  readonly certificateSha256?: string;
}

/** One entry of a case's hash-chained audit log. */
export interface AuditEntry {
  readonly caseId: string;
  /** 1, 2, 3 … with no gap. */
  readonly seq: number;
  /** ISO time of the action. */
  readonly at: string;
  readonly actor: AuditActor;
  readonly action: AuditAction;
  readonly stepId: string | null;
  readonly round: number;
  /** SHA-256 of the case's document before and after the action (null when there was none). */
  readonly documentBefore: string | null;
  readonly documentAfter: string | null;
  /** Reason, delegate, document number and the like. */
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
  /** `hash` of the entry before (64 zeros for the first). */
  readonly previousHash: string;
  /** SHA-256 of the canonical JSON of every other member. */
  readonly hash: string;
}

/** The previousHash of a case's first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** Computes the hash of an entry (over every member but `hash`). */
export async function auditEntryHash(entry: Omit<AuditEntry, 'hash'>): Promise<string> {
  const { hash: _ignored, ...rest } = entry as AuditEntry;
  return hashJson(rest);
}

/** Seals an entry: adds its hash and freezes it. */
export async function sealAuditEntry(entry: Omit<AuditEntry, 'hash'>): Promise<AuditEntry> {
  return deepFreeze({ ...entry, hash: await auditEntryHash(entry) });
}

/** Result of {@link verifyAuditChain}. */
export interface AuditChainReport {
  readonly valid: boolean;
  readonly entries: number;
  /** `seq` of the first bad entry. */
  readonly brokenAt: number | null;
  readonly reason: string | null;
  /** Hash of the last entry (the chain head), to anchor elsewhere. */
  readonly head: string | null;
}

/**
 * Checks a case's audit log: sequence numbers 1…n with no gap, every entry's hash recomputes,
 * every `previousHash` is the hash of the entry before, one case id throughout, and each
 * entry's `documentBefore` is the `documentAfter` of the entry before. `expectedHead`, if given
 * (e.g. the head the case record holds), must be the last hash, so truncation is caught too.
 */
export async function verifyAuditChain(entries: readonly AuditEntry[], expectedHead?: string): Promise<AuditChainReport> {
  const fail = (e: AuditEntry | undefined, reason: string): AuditChainReport =>
    deepFreeze({ valid: false, entries: entries.length, brokenAt: e?.seq ?? null, reason, head: entries.at(-1)?.hash ?? null });
  let prev: AuditEntry | undefined;
  for (const [i, e] of entries.entries()) {
    if (e.seq !== i + 1) return fail(e, `entry ${i + 1} has seq ${e.seq}: an entry is missing or out of order`);
    if (prev && e.caseId !== prev.caseId) return fail(e, `entry ${e.seq} belongs to case ${e.caseId}, not ${prev.caseId}`);
    const expectPrev = prev ? prev.hash : GENESIS_HASH;
    if (e.previousHash !== expectPrev) return fail(e, `entry ${e.seq} does not chain to the entry before it`);
    if ((await auditEntryHash(e)) !== e.hash) return fail(e, `entry ${e.seq} was altered: its hash does not match its content`);
    if (prev && e.documentBefore !== prev.documentAfter) {
      return fail(e, `entry ${e.seq} starts from document ${String(e.documentBefore).slice(0, 12)}…, but the entry before left ${String(prev.documentAfter).slice(0, 12)}…`);
    }
    prev = e;
  }
  if (expectedHead !== undefined && (prev?.hash ?? GENESIS_HASH) !== expectedHead) {
    return fail(prev, 'the log ends before the head the case record holds: entries were removed');
  }
  return deepFreeze({ valid: true, entries: entries.length, brokenAt: null, reason: null, head: prev?.hash ?? null });
}
