/**
 * A minimal DER writer and BER/DER reader over plain bytes (ITU-T X.690).
 *
 * kyso builds CMS structures by hand rather than through an object model so that every byte is
 * under control: embedded certificates are copied verbatim, SET OF is sorted as X.690 §11.6
 * requires (OpenSSL re-encodes signed attributes before verifying them), and the reader hands
 * back exact byte slices for hashing.
 */
import { concatBytes, utf8 } from '@kyso/core';
import { CmsError } from '../errors.js';

// ---------------------------------------------------------------- writer

/** DER length octets (X.690 §8.1.3, definite form). */
function lengthOctets(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** One TLV with a single-byte `tag` and the concatenation of `parts` as contents. */
export function tlv(tag: number, ...parts: readonly Uint8Array[]): Uint8Array {
  const body = parts.length === 1 ? parts[0]! : concatBytes(...parts);
  return concatBytes(Uint8Array.of(tag), lengthOctets(body.length), body);
}

/** SEQUENCE of already-encoded elements. */
export const seq = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...items);

/** SET OF already-encoded elements, sorted by their encodings as DER demands (X.690 §11.6). */
export function setOf(items: readonly Uint8Array[], tag = 0x31): Uint8Array {
  return tlv(tag, ...[...items].sort(compareBytes));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((s) => BigInt(s));
  const first = arcs[0]! * 40n + arcs[1]!;
  const out: number[] = [];
  for (const arc of [first, ...arcs.slice(2)]) {
    const chunk: number[] = [];
    let v = arc;
    do {
      chunk.unshift(Number(v & 0x7fn));
      v >>= 7n;
    } while (v > 0n);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i]! |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** INTEGER from a small non-negative number. */
export function intNum(n: number): Uint8Array {
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

/** INTEGER from unsigned big-endian magnitude bytes (leading zeros trimmed, sign byte added). */
export function intUnsigned(magnitude: Uint8Array): Uint8Array {
  let i = 0;
  while (i < magnitude.length - 1 && magnitude[i] === 0) i++;
  const m = magnitude.subarray(i);
  return m.length > 0 && m[0]! & 0x80 ? tlv(0x02, Uint8Array.of(0), m) : tlv(0x02, m.length ? m : Uint8Array.of(0));
}

/** OCTET STRING. */
export const octets = (b: Uint8Array): Uint8Array => tlv(0x04, b);
/** NULL. */
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);
/** UTF8String. */
export const utf8String = (s: string): Uint8Array => tlv(0x0c, utf8(s));
/** Context-specific constructed [n] wrapping `parts` (EXPLICIT, or IMPLICIT of a constructed type). */
export const ctx = (n: number, ...parts: readonly Uint8Array[]): Uint8Array => tlv(0xa0 | n, ...parts);

/** Time as RFC 5280 §4.1.2.5 encodes it: UTCTime through 2049, GeneralizedTime after. */
export function time(d: Date): Uint8Array {
  const iso = d.toISOString(); // 2024-01-02T03:04:05.678Z
  const y = d.getUTCFullYear();
  const body = iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  if (y >= 1950 && y < 2050) return tlv(0x17, utf8(String(y).slice(2) + body));
  return tlv(0x18, utf8(String(y).padStart(4, '0') + body));
}

/** GeneralizedTime without fractions (RFC 5280 style). */
export function generalizedTime(d: Date): Uint8Array {
  const iso = d.toISOString();
  return tlv(0x18, utf8(iso.slice(0, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z'));
}

// ---------------------------------------------------------------- reader

/** One decoded TLV: its tag byte, where it starts and ends in `bytes`, and where its contents are. */
export interface Tlv {
  /** The whole buffer this element was read from. */
  readonly bytes: Uint8Array;
  /** The identifier octet (low-tag-number form only, X.690 §8.1.2.2). */
  readonly tag: number;
  /** Offset of the identifier octet. */
  readonly start: number;
  /** Offset of the first contents octet. */
  readonly contentStart: number;
  /** Offset just past the contents (before the end-of-contents octets for indefinite lengths). */
  readonly contentEnd: number;
  /** Offset just past the whole element. */
  readonly end: number;
  /** True when the length was indefinite (BER only, X.690 §8.1.3.6). */
  readonly indefinite: boolean;
}

/** Thrown by the reader; callers turn it into a user-facing error. */
function malformed(what: string): never {
  throw new CmsError('CMS_MALFORMED', `The data is not valid DER/BER: ${what}. Check that the file is a CMS/PKCS#7 signature and is complete.`);
}

/** Reads the TLV that starts at `offset` in `bytes`; never reads past `limit`. */
export function readTlv(bytes: Uint8Array, offset = 0, limit = bytes.length): Tlv {
  let p = offset;
  if (p >= limit) malformed('unexpected end of data');
  const tag = bytes[p++]!;
  if ((tag & 0x1f) === 0x1f) malformed('high tag numbers are not used in CMS');
  if (p >= limit) malformed('missing length');
  const first = bytes[p++]!;
  if (first === 0x80) {
    if ((tag & 0x20) === 0) malformed('indefinite length on a primitive element');
    // Walk children until the end-of-contents octets 00 00.
    const contentStart = p;
    for (;;) {
      if (p + 1 >= limit) malformed('unterminated indefinite length');
      if (bytes[p] === 0 && bytes[p + 1] === 0) {
        return { bytes, tag, start: offset, contentStart, contentEnd: p, end: p + 2, indefinite: true };
      }
      p = readTlv(bytes, p, limit).end;
    }
  }
  let len = 0;
  if (first & 0x80) {
    const n = first & 0x7f;
    if (n > 6) malformed('length too large');
    if (p + n > limit) malformed('truncated length');
    for (let i = 0; i < n; i++) len = len * 256 + bytes[p++]!;
  } else {
    len = first;
  }
  if (p + len > limit) malformed('element runs past the end of the data (truncated?)');
  return { bytes, tag, start: offset, contentStart: p, contentEnd: p + len, end: p + len, indefinite: false };
}

/** The full encoding of `t` (header, contents, trailer). */
export const raw = (t: Tlv): Uint8Array => t.bytes.subarray(t.start, t.end);
/** The contents octets of `t`. */
export const contents = (t: Tlv): Uint8Array => t.bytes.subarray(t.contentStart, t.contentEnd);

/** The elements inside a constructed `t`. */
export function children(t: Tlv): Tlv[] {
  if ((t.tag & 0x20) === 0) malformed(`expected a constructed element, found tag 0x${t.tag.toString(16)}`);
  const out: Tlv[] = [];
  for (let p = t.contentStart; p < t.contentEnd; ) {
    const c = readTlv(t.bytes, p, t.contentEnd);
    out.push(c);
    p = c.end;
  }
  return out;
}

/** Parses `bytes` as exactly one element (trailing bytes are an error unless `allowTrailing`). */
export function parseOne(bytes: Uint8Array, allowTrailing = false): Tlv {
  const t = readTlv(bytes, 0, bytes.length);
  if (!allowTrailing && t.end !== bytes.length) malformed('trailing bytes after the outer element');
  return t;
}

/** Checks the tag of `t`; `what` names the field in the error. */
export function expectTag(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t) malformed(`${what} is missing`);
  if (t.tag !== tag) malformed(`${what} has tag 0x${t.tag.toString(16)}, expected 0x${tag.toString(16)}`);
  return t;
}

/** Dotted text of an OBJECT IDENTIFIER element. */
export function readOid(t: Tlv): string {
  if (t.tag !== 0x06) malformed('expected an OBJECT IDENTIFIER');
  const b = contents(t);
  if (b.length === 0) malformed('empty OBJECT IDENTIFIER');
  const arcs: bigint[] = [];
  let v = 0n;
  for (const byte of b) {
    v = (v << 7n) | BigInt(byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const a0 = first < 80n ? first / 40n : 2n;
  const a1 = first - a0 * 40n;
  return [a0, a1, ...arcs].join('.');
}

/** A small INTEGER's value (throws on values beyond 2^48). */
export function readSmallInt(t: Tlv): number {
  if (t.tag !== 0x02) malformed('expected an INTEGER');
  const b = contents(t);
  if (b.length === 0 || b.length > 6) malformed('INTEGER out of range');
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return b[0]! & 0x80 ? v - 2 ** (8 * b.length) : v;
}

/**
 * The octets of an OCTET STRING, also in the BER constructed form (X.690 §8.7.3) that
 * streaming encoders such as OpenSSL's `-stream` produce.
 */
export function readOctetString(t: Tlv): Uint8Array {
  if (t.tag === 0x04) return contents(t);
  if (t.tag === 0x24) return concatBytes(...children(t).map(readOctetString));
  malformed('expected an OCTET STRING');
}

/** Parses UTCTime (0x17) or GeneralizedTime (0x18) into a Date. */
export function readTime(t: Tlv): Date {
  const s = new TextDecoder().decode(contents(t));
  let m: RegExpMatchArray | null;
  if (t.tag === 0x17 && (m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?Z$/))) {
    const yy = Number(m[1]);
    return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)));
  }
  if (t.tag === 0x18 && (m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?Z$/))) {
    const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5] ?? 0), Number(m[6] ?? 0), ms));
  }
  malformed(`unsupported time "${s}"`);
}
