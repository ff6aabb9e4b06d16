import type { Clock, HttpClient } from '@kyso/core';
import { TrustError } from '../errors.js';
import type { FetchCache } from './cache.js';

/** What every fetcher takes. */
export interface FetcherOptions {
  /** How to reach the network (`fetchHttpClient()` from `@kyso/core`, or a test client). */
  readonly http: HttpClient;
  /** Milliseconds before a request is abandoned; default 10 000. */
  readonly timeoutMs?: number;
  /** Keeps fetched data until it is stale; none by default. */
  readonly cache?: FetchCache;
  /** Offline: never go to the network and answer nothing (only embedded data counts). */
  readonly offline?: boolean;
  /** For cache expiry; default the system clock. */
  readonly clock?: Clock;
  /** Largest response accepted, in bytes; default 20 MB. */
  readonly maxBytes?: number;
}

/** GETs or POSTs `url` and returns the body of a 200 answer; throws `FETCH_FAILED` otherwise. @internal */
export async function fetchBytes(
  options: FetcherOptions,
  url: string,
  init: { method?: 'GET' | 'POST'; body?: Uint8Array; headers?: Record<string, string> } = {},
): Promise<Uint8Array> {
  if (!/^https?:\/\//i.test(url)) throw new TrustError('FETCH_FAILED', `Only http and https URLs are fetched, not "${url}".`);
  let res;
  try {
    res = await options.http.request({
      url,
      method: init.method ?? 'GET',
      timeoutMs: options.timeoutMs ?? 10_000,
      ...(init.body ? { body: init.body } : {}),
      ...(init.headers ? { headers: init.headers } : {}),
    });
  } catch (cause) {
    throw new TrustError('FETCH_FAILED', `Fetching ${url} failed (${(cause as Error).message}).`, { cause });
  }
  if (res.status !== 200) throw new TrustError('FETCH_FAILED', `${url} answered HTTP ${res.status}.`);
  if (res.body.length > (options.maxBytes ?? 20 * 1024 * 1024)) throw new TrustError('FETCH_FAILED', `${url} sent more data than allowed.`);
  return res.body;
}

/** The current time of `options`. @internal */
export function nowOf(options: FetcherOptions): Date {
  return options.clock?.now() ?? new Date();
}
