import { toArrayBuffer } from './bytes.js';
import { KysoError } from './errors.js';

/** A request that kyso makes to the world (OCSP, CRL, AIA, TSA). */
export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** Milliseconds before the request is abandoned; default 10 000. */
  readonly timeoutMs?: number;
}

/** What came back. */
export interface HttpResponse {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: Uint8Array;
}

/** Injected wherever kyso goes online, so tests point it at loopback servers and apps add proxies. */
export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>;
}

/** An `HttpClient` over the platform's `fetch` (Node 20+ and browsers). */
export function fetchHttpClient(fetchImpl: typeof fetch = globalThis.fetch): HttpClient {
  return {
    async request(req) {
      const ctrl = new AbortController();
      const timer = setTimeout(() => ctrl.abort(), req.timeoutMs ?? 10_000);
      try {
        const init: RequestInit = { method: req.method ?? (req.body ? 'POST' : 'GET'), signal: ctrl.signal };
        if (req.headers) init.headers = req.headers;
        if (req.body) init.body = toArrayBuffer(req.body);
        const res = await fetchImpl(req.url, init);
        const body = new Uint8Array(await res.arrayBuffer());
        return { status: res.status, contentType: res.headers.get('content-type'), body };
      } catch (cause) {
        const what = ctrl.signal.aborted ? 'timed out' : 'failed';
        throw new KysoError('HTTP_FAILED', `The request to ${req.url} ${what}; check the address and the network.`, { cause });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
