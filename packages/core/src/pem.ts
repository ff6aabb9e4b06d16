import { fromBase64, toBase64 } from './bytes.js';
import { KysoError } from './errors.js';

/** One block of a PEM file: its label (`CERTIFICATE`, `PRIVATE KEY`, ...) and DER bytes. */
export interface PemBlock {
  readonly label: string;
  readonly der: Uint8Array;
}

const PEM_RE = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Every PEM block in `text`, in order (RFC 7468). Text outside the blocks is ignored. */
export function decodePem(text: string): PemBlock[] {
  const out: PemBlock[] = [];
  for (const m of text.matchAll(PEM_RE)) {
    const body = (m[2] ?? '').replace(/^[A-Za-z-]+:.*$/gm, '');
    out.push({ label: m[1]!, der: fromBase64(body) });
  }
  return out;
}

/** The DER of every PEM block labelled `label`; throws if there is none. */
export function pemToDer(text: string, label: string): Uint8Array[] {
  const blocks = decodePem(text).filter((b) => b.label === label);
  if (blocks.length === 0) {
    throw new KysoError('PEM_NOT_FOUND', `No "-----BEGIN ${label}-----" block found; check that this is the right PEM file.`);
  }
  return blocks.map((b) => b.der);
}

/** PEM text of `der` with lines of 64 characters. */
export function encodePem(der: Uint8Array, label: string): string {
  const b64 = toBase64(der).replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

/** True when `bytes` look like PEM text rather than DER. */
export function looksLikePem(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 4096)));
  return head.includes('-----BEGIN ');
}
