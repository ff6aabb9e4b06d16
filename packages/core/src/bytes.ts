import { KysoError } from './errors.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lower-case hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += HEX[b];
  return out;
}

/** Bytes of a hex string; whitespace is ignored, an odd final digit is padded with 0 (as PDF does). */
export function fromHex(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  if (/[^0-9a-fA-F]/.test(clean)) throw new KysoError('BAD_HEX', 'Not a hex string: it contains characters other than 0-9 and a-f.');
  const padded = clean.length % 2 === 1 ? clean + '0' : clean;
  const out = new Uint8Array(padded.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(padded.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Standard base64 of `bytes` (works in Node and browsers). */
export function toBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Bytes of a base64 (or base64url) string; whitespace is ignored. */
export function fromBase64(b64: string): Uint8Array {
  const clean = b64.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  let bin: string;
  try {
    bin = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  } catch (cause) {
    throw new KysoError('BAD_BASE64', 'Not a base64 string.', { cause });
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Concatenates byte arrays into one new array. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Constant-shape byte equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i]! ^ b[i]!;
  return d === 0;
}

/** UTF-8 bytes of a string. */
export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Latin-1 (one byte a char) bytes of a string whose chars are all below U+0100, as PDF syntax is. */
export function latin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

/** The string whose chars are the bytes of `bytes` (Latin-1 decoding). */
export function fromLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

/** An `ArrayBuffer` holding exactly the bytes of `bytes` (WebCrypto and pkijs want one). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) {
    return bytes.buffer;
  }
  // A copy: Node's Buffer.slice() returns a view of its shared pool, not a copy.
  return new Uint8Array(bytes).buffer as ArrayBuffer;
}

/**
 * The first DER value of `bytes` without what follows it: a signature's /Contents is the CMS
 * DER padded with zeros to its placeholder's size (ISO 32000-2 §12.8.1). Returns `bytes` as it
 * is when it does not start with a readable DER SEQUENCE header.
 */
export function trimDer(bytes: Uint8Array): Uint8Array {
  if (bytes.length < 2 || bytes[0] !== 0x30) return bytes;
  const l = bytes[1]!;
  let len = l;
  let header = 2;
  if (l >= 0x80) {
    const n = l & 0x7f;
    if (n === 0 || n > 4 || bytes.length < 2 + n) return bytes;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[2 + i]!;
    header += n;
  }
  return header + len <= bytes.length ? bytes.subarray(0, header + len) : bytes;
}
