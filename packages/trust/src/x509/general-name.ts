import { type DerNode, TagClass, decodeOid, readOid } from '../asn1/der.js';
import { DistinguishedName } from './name.js';

/** A GeneralName (RFC 5280 §4.2.1.6), one variant per CHOICE alternative. */
export type GeneralName =
  | { readonly type: 'otherName'; readonly typeId: string; readonly der: Uint8Array }
  | { readonly type: 'rfc822Name'; readonly value: string }
  | { readonly type: 'dNSName'; readonly value: string }
  | { readonly type: 'x400Address'; readonly der: Uint8Array }
  | { readonly type: 'directoryName'; readonly name: DistinguishedName }
  | { readonly type: 'ediPartyName'; readonly der: Uint8Array }
  | { readonly type: 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'iPAddress'; readonly bytes: Uint8Array }
  | { readonly type: 'registeredID'; readonly oid: string };

const ascii = (b: Uint8Array) => Array.from(b, (c) => String.fromCharCode(c)).join('');

/** Reads one GeneralName. @internal */
export function readGeneralName(node: DerNode): GeneralName {
  if (node.tagClass !== TagClass.context) throw new TypeError('not a GeneralName');
  switch (node.tagNumber) {
    case 0:
      return { type: 'otherName', typeId: readOid(node.child(0)), der: node.der.slice() };
    case 1:
      return { type: 'rfc822Name', value: ascii(node.content) };
    case 2:
      return { type: 'dNSName', value: ascii(node.content) };
    case 3:
      return { type: 'x400Address', der: node.der.slice() };
    case 4:
      return { type: 'directoryName', name: DistinguishedName.fromNode(node.child(0)) };
    case 5:
      return { type: 'ediPartyName', der: node.der.slice() };
    case 6:
      return { type: 'uniformResourceIdentifier', value: ascii(node.content) };
    case 7:
      return { type: 'iPAddress', bytes: node.content.slice() };
    case 8:
      return { type: 'registeredID', oid: decodeOid(node.content) };
    default:
      throw new TypeError(`unknown GeneralName tag [${node.tagNumber}]`);
  }
}

/** Reads GeneralNames (a SEQUENCE, or the children of an implicitly tagged one). @internal */
export function readGeneralNames(node: DerNode): GeneralName[] {
  return node.children().map(readGeneralName);
}

/** True when two GeneralNames denote the same name (RFC 5280 §6.3.3(b)(2)(i) matching). @internal */
export function generalNameEquals(a: GeneralName, b: GeneralName): boolean {
  if (a.type !== b.type) return false;
  switch (a.type) {
    case 'directoryName':
      return a.name.equals((b as typeof a).name);
    case 'rfc822Name':
    case 'dNSName':
      return a.value.toLowerCase() === (b as typeof a).value.toLowerCase();
    case 'uniformResourceIdentifier':
      return a.value === (b as typeof a).value;
    case 'iPAddress': {
      const bb = (b as typeof a).bytes;
      return a.bytes.length === bb.length && a.bytes.every((x, i) => x === bb[i]);
    }
    case 'registeredID':
      return a.oid === (b as typeof a).oid;
    default: {
      const ad = a.der;
      const bd = (b as { der: Uint8Array }).der;
      return ad.length === bd.length && ad.every((x, i) => x === bd[i]);
    }
  }
}

/** Text of a GeneralName for reports, e.g. `URI:http://ca.example/crl`. */
export function formatGeneralName(n: GeneralName): string {
  switch (n.type) {
    case 'rfc822Name':
      return `email:${n.value}`;
    case 'dNSName':
      return `DNS:${n.value}`;
    case 'uniformResourceIdentifier':
      return `URI:${n.value}`;
    case 'directoryName':
      return `DirName:${n.name.toString()}`;
    case 'iPAddress':
      return `IP:${formatIp(n.bytes)}`;
    case 'registeredID':
      return `RID:${n.oid}`;
    case 'otherName':
      return `othername:${n.typeId}`;
    default:
      return n.type;
  }
}

function formatIp(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length === 16) {
    const parts: string[] = [];
    for (let i = 0; i < 16; i += 2) parts.push(((b[i]! << 8) | b[i + 1]!).toString(16));
    return parts.join(':');
  }
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

