import { TrustError } from '../errors.js';

/** ASN.1 tag classes (X.690 §8.1.2.2). */
export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

/** Universal tag numbers used in X.509 (X.680 §8.4). */
export const Tag = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  enumerated: 10,
  utf8String: 12,
  sequence: 16,
  set: 17,
  numericString: 18,
  printableString: 19,
  teletexString: 20,
  videotexString: 21,
  ia5String: 22,
  utcTime: 23,
  generalizedTime: 24,
  graphicString: 25,
  visibleString: 26,
  generalString: 27,
  universalString: 28,
  bmpString: 30,
} as const;

/**
 * One DER element (tag, length, value) inside a byte buffer, read lazily (X.690 §10).
 * `der` is the whole encoding (what signatures and name comparisons need), `content` the value.
 * @internal
 */
export class DerNode {
  private kids: DerNode[] | undefined;

  constructor(
    /** The buffer this element lives in. */
    readonly buffer: Uint8Array,
    /** Offset of the identifier octet. */
    readonly start: number,
    /** Offset of the first content octet. */
    readonly contentStart: number,
    /** Offset just past the last content octet. */
    readonly end: number,
    readonly tagClass: number,
    readonly constructed: boolean,
    readonly tagNumber: number,
  ) {}

  /** The complete TLV encoding. */
  get der(): Uint8Array {
    return this.buffer.subarray(this.start, this.end);
  }

  /** The value octets. */
  get content(): Uint8Array {
    return this.buffer.subarray(this.contentStart, this.end);
  }

  /** True for a universal tag with this number. */
  is(tagNumber: number): boolean {
    return this.tagClass === TagClass.universal && this.tagNumber === tagNumber;
  }

  /** True for a context-specific tag `[n]`. */
  isContext(n: number): boolean {
    return this.tagClass === TagClass.context && this.tagNumber === n;
  }

  /** The elements inside a constructed element. */
  children(): DerNode[] {
    if (this.kids) return this.kids;
    if (!this.constructed) throw malformed('a primitive element was read as constructed');
    const out: DerNode[] = [];
    let pos = this.contentStart;
    while (pos < this.end) {
      const node = readNode(this.buffer, pos, this.end);
      out.push(node);
      pos = node.end;
    }
    this.kids = out;
    return out;
  }

  /** Child `i`; throws `DER_MALFORMED` when missing. */
  child(i: number): DerNode {
    const c = this.children()[i];
    if (!c) throw malformed(`element ${i} is missing`);
    return c;
  }

  /** Asserts the universal tag and returns this node. */
  expect(tagNumber: number, what: string): this {
    if (!this.is(tagNumber)) throw malformed(`${what}: expected universal tag ${tagNumber}, found ${this.describeTag()}`);
    return this;
  }

  /** A short text such as `[0]` or `UNIVERSAL 16`, for messages. */
  describeTag(): string {
    if (this.tagClass === TagClass.context) return `[${this.tagNumber}]`;
    return `${['UNIVERSAL', 'APPLICATION', 'CONTEXT', 'PRIVATE'][this.tagClass]} ${this.tagNumber}`;
  }
}

function malformed(detail: string): TrustError {
  return new TrustError('DER_MALFORMED', `Malformed DER: ${detail}. The data is not a valid ASN.1 DER structure.`);
}

function readNode(buf: Uint8Array, pos: number, limit: number): DerNode {
  const start = pos;
  if (pos >= limit) throw malformed('unexpected end of data');
  const id = buf[pos++]!;
  const tagClass = id >> 6;
  const constructed = (id & 0x20) !== 0;
  let tagNumber = id & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (;;) {
      if (pos >= limit) throw malformed('truncated tag');
      const b = buf[pos++]!;
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if ((b & 0x80) === 0) break;
      if (tagNumber > 0x1fffff) throw malformed('tag number too large');
    }
  }
  if (pos >= limit) throw malformed('truncated length');
  let len = buf[pos++]!;
  if (len === 0x80) throw malformed('indefinite length is not DER');
  if (len > 0x80) {
    const n = len & 0x7f;
    if (n > 4) throw malformed('length too large');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (pos >= limit) throw malformed('truncated length');
      len = len * 256 + buf[pos++]!;
    }
  }
  const end = pos + len;
  if (end > limit) throw malformed(`element at offset ${start} runs past the end of its container`);
  return new DerNode(buf, start, pos, end, tagClass, constructed, tagNumber);
}

/** Parses `bytes` as exactly one DER element (trailing bytes are an error). @internal */
export function parseDer(bytes: Uint8Array): DerNode {
  const node = readNode(bytes, 0, bytes.length);
  if (node.end !== bytes.length) throw malformed(`${bytes.length - node.end} bytes after the end of the element`);
  return node;
}

/** Decodes an OBJECT IDENTIFIER's content to dotted form (X.690 §8.19). @internal */
export function decodeOid(content: Uint8Array): string {
  if (content.length === 0) throw malformed('empty OBJECT IDENTIFIER');
  const arcs: (number | bigint)[] = [];
  let v = 0n;
  for (let i = 0; i < content.length; i++) {
    const b = content[i]!;
    v = (v << 7n) | BigInt(b & 0x7f);
    if ((b & 0x80) === 0) {
      if (arcs.length === 0) {
        const first = v < 40n ? 0n : v < 80n ? 1n : 2n;
        arcs.push(first, v - first * 40n);
      } else arcs.push(v);
      v = 0n;
    } else if (i === content.length - 1) throw malformed('truncated OBJECT IDENTIFIER');
  }
  return arcs.map(String).join('.');
}

/** Reads an OBJECT IDENTIFIER node. @internal */
export function readOid(node: DerNode): string {
  return decodeOid(node.expect(Tag.oid, 'OBJECT IDENTIFIER').content);
}

/** Reads an INTEGER as a bigint (two's complement). @internal */
export function readBigInt(node: DerNode): bigint {
  return bytesToBigIntSigned(node.expect(Tag.integer, 'INTEGER').content);
}

/** Reads a small INTEGER or ENUMERATED as a number. @internal */
export function readSmallInt(node: DerNode): number {
  if (!node.is(Tag.integer) && !node.is(Tag.enumerated)) throw malformed(`expected INTEGER, found ${node.describeTag()}`);
  const v = bytesToBigIntSigned(node.content);
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) throw malformed('integer too large');
  return Number(v);
}

/** Reads a BOOLEAN. @internal */
export function readBoolean(node: DerNode): boolean {
  const c = node.expect(Tag.boolean, 'BOOLEAN').content;
  if (c.length !== 1) throw malformed('BOOLEAN of wrong length');
  return c[0] !== 0;
}

/** A BIT STRING's bytes and its count of unused bits in the last byte. @internal */
export interface BitString {
  readonly bytes: Uint8Array;
  readonly unusedBits: number;
}

/** Reads a BIT STRING (primitive form only, as DER requires). @internal */
export function readBitString(node: DerNode): BitString {
  const c = node.content;
  if (node.constructed || c.length === 0 || c[0]! > 7) throw malformed('bad BIT STRING');
  return { bytes: c.subarray(1), unusedBits: c[0]! };
}

/** Bit `i` of a named-bit BIT STRING (bit 0 is the most significant bit of the first byte). @internal */
export function bitAt(bits: BitString, i: number): boolean {
  const byte = bits.bytes[i >> 3];
  if (byte === undefined) return false;
  return (byte & (0x80 >> (i & 7))) !== 0;
}

/** Unsigned big-endian bytes to bigint. @internal */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

/** Two's complement big-endian bytes to bigint. @internal */
export function bytesToBigIntSigned(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw malformed('empty INTEGER');
  const v = bytesToBigInt(bytes);
  return (bytes[0]! & 0x80) !== 0 ? v - (1n << BigInt(bytes.length * 8)) : v;
}

/** Reads UTCTime or GeneralizedTime (RFC 5280 §4.1.2.5: UTCTime years 50–99 are 19xx). @internal */
export function readTime(node: DerNode): Date {
  const s = new TextDecoder('latin1').decode(node.content);
  let m: RegExpMatchArray | null;
  if (node.is(Tag.utcTime)) {
    m = s.match(/^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(Z|[+-]\d{4})$/);
    if (!m) throw malformed(`bad UTCTime "${s}"`);
    const yy = Number(m[1]);
    return buildDate(yy >= 50 ? 1900 + yy : 2000 + yy, m[2]!, m[3]!, m[4]!, m[5]!, m[6] ?? '0', '', m[7]!);
  }
  if (node.is(Tag.generalizedTime)) {
    m = s.match(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})?(\d{2})?(?:[.,](\d+))?(Z|[+-]\d{4})?$/);
    if (!m) throw malformed(`bad GeneralizedTime "${s}"`);
    return buildDate(Number(m[1]), m[2]!, m[3]!, m[4]!, m[5] ?? '0', m[6] ?? '0', m[7] ?? '', m[8] ?? 'Z');
  }
  throw malformed(`expected a time, found ${node.describeTag()}`);
}

function buildDate(y: number, mo: string, d: string, h: string, mi: string, s: string, frac: string, zone: string): Date {
  const ms = frac ? Math.floor(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(y, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    t -= sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3, 5))) * 60_000;
  }
  if (Number.isNaN(t)) throw malformed('invalid date');
  // Date.UTC maps years 0–99 to 1900–1999; set the full year explicitly.
  const date = new Date(t);
  if (y < 100) date.setUTCFullYear(y);
  return date;
}
