import type { AuditEntry } from '../audit/audit-log.js';
import type { CaseRecord, PendingSignature } from '../model/case.js';
import type { Route } from '../route/route.js';

/** How SQL stores serialise records: JSON text, parsed back on read. */
export const toJson = (v: CaseRecord | AuditEntry | PendingSignature | Route): string => JSON.stringify(v);

/** Parses a JSON column. */
export function fromJson<T>(text: string | object): T {
  return (typeof text === 'string' ? JSON.parse(text) : text) as T;
}

/** Copies driver bytes (a Node Buffer) into a plain Uint8Array. */
export function plainBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}
