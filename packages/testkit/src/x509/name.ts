import { KysoError } from '@kyso/core';
import * as asn1js from 'asn1js';
import { der, oid, seq, set, utf8String } from '../internal/der.js';
import { OID } from '../internal/oids.js';

/**
 * The attributes of a distinguished name, written in this order (most general first):
 * C, ST, L, street, O, OU, title, surname, givenName, CN, UID, serialNumber,
 * organizationIdentifier, emailAddress. Text goes in UTF8String (RFC 5280 §4.1.2.4) except
 * countryName and serialNumber (PrintableString, X.520) and emailAddress (IA5String, PKCS#9).
 */
export interface NameSpec {
  /** countryName, two letters (e.g. "VN"). */
  readonly C?: string;
  /** stateOrProvinceName (e.g. "Bắc Ninh"). */
  readonly ST?: string;
  /** localityName (e.g. "Thành phố Bắc Ninh"). */
  readonly L?: string;
  /** streetAddress. */
  readonly street?: string;
  /** organizationName (e.g. "UBND tỉnh Bắc Ninh"). */
  readonly O?: string;
  /** organizationalUnitName(s) (e.g. "Văn phòng"). */
  readonly OU?: string | readonly string[];
  /** title (e.g. "Chủ tịch"). */
  readonly title?: string;
  /** surname. */
  readonly SN?: string;
  /** givenName. */
  readonly GN?: string;
  /** commonName (e.g. "Nguyễn Văn An"). */
  readonly CN?: string;
  /** userId (RFC 4519), where Vietnamese CAs put "CCCD:…", "CMND:…" or "MST:…". */
  readonly UID?: string;
  /** serialNumber (X.520), a PrintableString: ASCII letters, digits and " '()+,-./:=?". */
  readonly serialNumber?: string;
  /** organizationIdentifier (X.520, ETSI EN 319 412-1 §5.1.4), e.g. "NTRVN-2300000000". */
  readonly organizationIdentifier?: string;
  /** emailAddress (PKCS#9; deprecated in favour of subjectAltName but still common). */
  readonly emailAddress?: string;
}

type Kind = 'utf8' | 'printable' | 'ia5';
const ORDER: ReadonlyArray<[keyof NameSpec, string, Kind]> = [
  ['C', OID.countryName, 'printable'],
  ['ST', OID.stateOrProvinceName, 'utf8'],
  ['L', OID.localityName, 'utf8'],
  ['street', OID.streetAddress, 'utf8'],
  ['O', OID.organizationName, 'utf8'],
  ['OU', OID.organizationalUnitName, 'utf8'],
  ['title', OID.title, 'utf8'],
  ['SN', OID.surname, 'utf8'],
  ['GN', OID.givenName, 'utf8'],
  ['CN', OID.commonName, 'utf8'],
  ['UID', OID.uid, 'utf8'],
  ['serialNumber', OID.serialNumber, 'printable'],
  ['organizationIdentifier', OID.organizationIdentifier, 'utf8'],
  ['emailAddress', OID.emailAddress, 'ia5'],
];

function value(kind: Kind, text: string): asn1js.AsnType {
  if (kind === 'printable') {
    if (!/^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text)) {
      throw new KysoError('TESTKIT_BAD_NAME', `"${text}" is not a PrintableString; use only ASCII letters, digits and '()+,-./:=? here.`);
    }
    return new asn1js.PrintableString({ value: text });
  }
  if (kind === 'ia5') return new asn1js.IA5String({ value: text });
  return utf8String(text.normalize('NFC'));
}

/** DER of the X.501 Name for `spec`: one attribute per RDN, in the order of {@link NameSpec}. */
export function encodeName(spec: NameSpec): Uint8Array {
  const rdns: asn1js.AsnType[] = [];
  for (const [key, type, kind] of ORDER) {
    const v = spec[key];
    if (v === undefined) continue;
    for (const text of typeof v === 'string' ? [v] : v) rdns.push(set(seq(oid(type), value(kind, text))));
  }
  return der(seq(...rdns));
}

/** A one-line rendering like OpenSSL's `-nameopt RFC2253,utf8` but most general first. */
export function formatName(spec: NameSpec): string {
  const parts: string[] = [];
  for (const [key] of ORDER) {
    const v = spec[key];
    if (v === undefined) continue;
    for (const text of typeof v === 'string' ? [v] : v) parts.push(`${key}=${text.replace(/([,+"\\<>;])/g, '\\$1')}`);
  }
  return parts.join(', ');
}
