import { bytesEqual, toHex } from '@kyso/core';
import { type DerNode, Tag, parseDer, readOid } from '../asn1/der.js';
import { Oid } from '../asn1/oids.js';

/** One AttributeTypeAndValue of a distinguished name (RFC 5280 §4.1.2.4). */
export interface NameAttribute {
  /** The attribute type OID, e.g. `2.5.4.3` for commonName. */
  readonly type: string;
  /** The short name used in strings (`CN`, `O`, `C`, ...), or the dotted OID. */
  readonly shortName: string;
  /** The decoded text for string types (UTF-8 intact); null for other value types. */
  readonly value: string | null;
  /** The universal tag of the value (12 UTF8String, 19 PrintableString, ...). */
  readonly valueTag: number;
  /** DER of the value. */
  readonly valueDer: Uint8Array;
}

/** Short names: RFC 4514 §3 table, then the names OpenSSL prints for other common types. */
const SHORT_NAMES: Record<string, string> = {
  [Oid.commonName]: 'CN',
  [Oid.localityName]: 'L',
  [Oid.stateOrProvinceName]: 'ST',
  [Oid.organizationName]: 'O',
  [Oid.organizationalUnitName]: 'OU',
  [Oid.countryName]: 'C',
  [Oid.streetAddress]: 'STREET',
  [Oid.domainComponent]: 'DC',
  [Oid.userId]: 'UID',
  [Oid.surname]: 'SN',
  [Oid.givenName]: 'GN',
  [Oid.serialNumber]: 'serialNumber',
  [Oid.title]: 'title',
  [Oid.initials]: 'initials',
  [Oid.generationQualifier]: 'generationQualifier',
  [Oid.dnQualifier]: 'dnQualifier',
  [Oid.pseudonym]: 'pseudonym',
  [Oid.organizationIdentifier]: 'organizationIdentifier',
  [Oid.emailAddress]: 'emailAddress',
};

const STRING_TAGS = new Set<number>([
  Tag.utf8String,
  Tag.printableString,
  Tag.teletexString,
  Tag.ia5String,
  Tag.bmpString,
  Tag.universalString,
  Tag.visibleString,
  Tag.numericString,
  Tag.generalString,
  Tag.graphicString,
  Tag.videotexString,
]);

/** Decodes an ASN.1 string value to text; null when the node is not a string type. @internal */
export function decodeAsn1String(node: DerNode): string | null {
  if (node.tagClass !== 0 || !STRING_TAGS.has(node.tagNumber)) return null;
  const c = node.content;
  switch (node.tagNumber) {
    case Tag.utf8String:
      return new TextDecoder('utf-8').decode(c);
    case Tag.bmpString: {
      let s = '';
      for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode((c[i]! << 8) | c[i + 1]!);
      return s;
    }
    case Tag.universalString: {
      let s = '';
      for (let i = 0; i + 3 < c.length; i += 4) s += String.fromCodePoint(((c[i]! << 24) | (c[i + 1]! << 16) | (c[i + 2]! << 8) | c[i + 3]!) >>> 0);
      return s;
    }
    default:
      // PrintableString, IA5String, ... are ASCII; TeletexString is read as Latin-1 (common practice).
      return Array.from(c, (b) => String.fromCharCode(b)).join('');
  }
}

/**
 * RFC 4518 string preparation, simplified: Unicode NFKC, case folding, and insignificant
 * space handling (leading/trailing spaces dropped, inner runs collapsed). RFC 5280 §7.1.
 */
function prepare(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g, ' ')
    .trim();
}

function attributeEquals(a: NameAttribute, b: NameAttribute): boolean {
  if (a.type !== b.type) return false;
  if (a.value !== null && b.value !== null) return prepare(a.value) === prepare(b.value);
  return bytesEqual(a.valueDer, b.valueDer);
}

function rdnEquals(a: readonly NameAttribute[], b: readonly NameAttribute[]): boolean {
  if (a.length !== b.length) return false;
  const used = new Set<number>();
  for (const x of a) {
    const j = b.findIndex((y, k) => !used.has(k) && attributeEquals(x, y));
    if (j < 0) return false;
    used.add(j);
  }
  return true;
}

function escapeValue(v: string): string {
  let out = v.replace(/[\\"+,;<>]/g, (c) => `\\${c}`).replace(/\0/g, '\\00');
  if (out.startsWith(' ') || out.startsWith('#')) out = `\\${out}`;
  if (out.endsWith(' ') && out.length > 1) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/**
 * An X.501 distinguished name as found in certificates and CRLs (RFC 5280 §4.1.2.4).
 * `der` keeps the exact encoding; `equals` compares as RFC 5280 §7.1 asks (RFC 4518
 * preparation for string values, byte equality otherwise); `toString` gives RFC 4514 text.
 *
 * @example
 * ```ts
 * cert.subject.toString();           // "CN=Nguyễn Văn A,O=Bộ Nội vụ,C=VN"
 * cert.issuer.equals(ca.subject);    // name chaining
 * ```
 */
export class DistinguishedName {
  private constructor(
    /** DER of the Name SEQUENCE. */
    readonly der: Uint8Array,
    /** The relative distinguished names, most general first (as encoded). */
    readonly rdns: readonly (readonly NameAttribute[])[],
  ) {}

  /** Parses a DER Name. */
  static fromDer(der: Uint8Array): DistinguishedName {
    return DistinguishedName.fromNode(parseDer(der));
  }

  /** @internal */
  static fromNode(node: DerNode): DistinguishedName {
    node.expect(Tag.sequence, 'Name');
    const rdns = node.children().map((set) => {
      set.expect(Tag.set, 'RelativeDistinguishedName');
      return Object.freeze(set.children().map(readAttribute));
    });
    return new DistinguishedName(node.der.slice(), Object.freeze(rdns));
  }

  /** @internal builds a name from RDNs (for nameRelativeToCRLIssuer, RFC 5280 §4.2.1.13). */
  static fromRdns(rdns: readonly (readonly NameAttribute[])[]): DistinguishedName {
    return new DistinguishedName(new Uint8Array(0), Object.freeze(rdns.slice()));
  }

  /** True when the name has no RDNs. */
  get isEmpty(): boolean {
    return this.rdns.length === 0;
  }

  /** Values of every attribute of `type` (a dotted OID or a short name such as `CN`), in order. */
  get(type: string): string[] {
    const out: string[] = [];
    for (const rdn of this.rdns)
      for (const a of rdn) if ((a.type === type || a.shortName === type) && a.value !== null) out.push(a.value);
    return out;
  }

  /** The last commonName, or null. */
  get commonName(): string | null {
    const all = this.get(Oid.commonName);
    return all.length ? all[all.length - 1]! : null;
  }

  /** RFC 5280 §7.1 name equality. */
  equals(other: DistinguishedName): boolean {
    if (this.rdns.length !== other.rdns.length) return false;
    if (this.der.length > 0 && bytesEqual(this.der, other.der)) return true;
    return this.rdns.every((rdn, i) => rdnEquals(rdn, other.rdns[i]!));
  }

  /** True when this name lies in the subtree rooted at `base` (RFC 5280 §4.2.1.10, directoryName). */
  isWithin(base: DistinguishedName): boolean {
    if (base.rdns.length > this.rdns.length) return false;
    return base.rdns.every((rdn, i) => rdnEquals(rdn, this.rdns[i]!));
  }

  /** This name with one more RDN appended (RFC 5280 §5.2.5 nameRelativeToCRLIssuer). @internal */
  withRdn(rdn: readonly NameAttribute[]): DistinguishedName {
    return DistinguishedName.fromRdns([...this.rdns, rdn]);
  }

  /** RFC 4514 string: most specific RDN first, UTF-8 kept as characters. */
  toString(): string {
    return this.rdns
      .slice()
      .reverse()
      .map((rdn) =>
        rdn.map((a) => `${a.shortName}=${a.value !== null ? escapeValue(a.value) : `#${toHex(a.valueDer)}`}`).join('+'),
      )
      .join(',');
  }
}

/** @internal */
export function readAttribute(atv: DerNode): NameAttribute {
  atv.expect(Tag.sequence, 'AttributeTypeAndValue');
  const type = readOid(atv.child(0));
  const v = atv.child(1);
  return Object.freeze({
    type,
    shortName: SHORT_NAMES[type] ?? type,
    value: decodeAsn1String(v),
    valueTag: v.tagNumber,
    valueDer: v.der.slice(),
  });
}
