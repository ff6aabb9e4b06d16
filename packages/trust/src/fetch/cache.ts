import type { Clock } from '@kyso/core';

/**
 * Where fetchers keep what they fetched (CRLs, OCSP responses, issuer certificates), keyed by a
 * string; `expiresAt` tells when an entry is stale. Implement it over a database or a file to
 * share between processes.
 */
export interface FetchCache {
  get(key: string): Promise<Uint8Array | undefined>;
  set(key: string, value: Uint8Array, expiresAt: Date): Promise<void>;
}

/** An in-memory {@link FetchCache} with a size bound (oldest entries go first). */
export class MemoryFetchCache implements FetchCache {
  private readonly entries = new Map<string, { value: Uint8Array; expiresAt: number }>();

  constructor(
    private readonly options: { readonly maxEntries?: number; readonly clock?: Clock } = {},
  ) {}

  async get(key: string): Promise<Uint8Array | undefined> {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const now = (this.options.clock?.now() ?? new Date()).getTime();
    if (now >= e.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  async set(key: string, value: Uint8Array, expiresAt: Date): Promise<void> {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: expiresAt.getTime() });
    const max = this.options.maxEntries ?? 1000;
    while (this.entries.size > max) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Number of live and stale entries held. */
  get size(): number {
    return this.entries.size;
  }
}
