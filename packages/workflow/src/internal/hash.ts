import { toArrayBuffer, toHex, utf8 } from '@kyso/core';

/** Lower-case hex SHA-256 of `bytes` (WebCrypto, so it runs in browsers too). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', toArrayBuffer(bytes))));
}

/**
 * Canonical JSON: object keys sorted, `undefined` members left out, no whitespace. Two equal
 * values always give the same text, so its hash can chain audit entries.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonicalJson: non-finite number');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** SHA-256 hex of the canonical JSON of `value`. */
export async function hashJson(value: unknown): Promise<string> {
  return sha256Hex(utf8(canonicalJson(value)));
}

/** A random id (URL-safe, 128 bits) for cases and signing tokens. */
export function randomId(prefix = ''): string {
  const b = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return prefix + toHex(b);
}

/** Deep-freezes a plain value (reports are frozen). */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}
