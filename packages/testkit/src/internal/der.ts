import * as asn1js from 'asn1js';
import { KysoError } from '@kyso/core';

/** DER bytes of an asn1js value. */
export function der(value: asn1js.AsnType): Uint8Array {
  return new Uint8Array(value.toBER(false));
}

/** Parses DER bytes into an asn1js value; throws a KysoError when they are not one ASN.1 value. */
export function parseDer(bytes: Uint8Array, what: string): asn1js.AsnType {
  const res = asn1js.fromBER(bytes);
  if (res.offset === -1) {
    throw new KysoError('TESTKIT_BAD_DER', `Cannot parse ${what} as DER: ${res.result.error}`);
  }
  return res.result;
}

/** An asn1js value that re-emits `bytes` verbatim (already DER). */
export function raw(bytes: Uint8Array): asn1js.AsnType {
  return parseDer(bytes, 'embedded DER');
}

export const seq = (...value: asn1js.AsnType[]): asn1js.Sequence => new asn1js.Sequence({ value });
export const set = (...value: asn1js.AsnType[]): asn1js.Set => new asn1js.Set({ value });
export const oid = (value: string): asn1js.ObjectIdentifier => new asn1js.ObjectIdentifier({ value });
export const octets = (bytes: Uint8Array): asn1js.OctetString => new asn1js.OctetString({ valueHex: bytes });
export const bits = (bytes: Uint8Array, unusedBits = 0): asn1js.BitString =>
  new asn1js.BitString({ valueHex: bytes, unusedBits });
export const nul = (): asn1js.Null => new asn1js.Null();
export const bool = (value: boolean): asn1js.Boolean => new asn1js.Boolean({ value });
export const utf8String = (value: string): asn1js.Utf8String => new asn1js.Utf8String({ value });

/** EXPLICIT context-specific tag `[n]` around `value`. */
export const explicit = (n: number, ...value: asn1js.AsnType[]): asn1js.Constructed =>
  new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: n }, value });

/** IMPLICIT context-specific primitive tag `[n]` with contents `bytes`. */
export const implicitPrimitive = (n: number, bytes: Uint8Array): asn1js.Primitive =>
  new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: n }, valueHex: bytes });

/** A small non-negative INTEGER. */
export const int = (value: number): asn1js.Integer => new asn1js.Integer({ value });

/** Minimal unsigned big-endian bytes of a non-negative bigint (at least one byte). */
export function bigintToBytes(n: bigint, length?: number): Uint8Array {
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  if (length !== undefined) hex = hex.padStart(length * 2, '0');
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The unsigned big-endian integer in `bytes`. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  let hex = '0x0';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return BigInt(hex);
}

/** A non-negative INTEGER from unsigned big-endian bytes (adds the 0x00 that DER needs). */
export function uint(bytes: Uint8Array): asn1js.Integer {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  let body = bytes.subarray(i);
  if (body.length === 0) body = new Uint8Array(1);
  if (body[0]! & 0x80) {
    const padded = new Uint8Array(body.length + 1);
    padded.set(body, 1);
    body = padded;
  }
  return new asn1js.Integer({ valueHex: body });
}

/** A non-negative INTEGER from a bigint. */
export const bigInt = (n: bigint): asn1js.Integer => uint(bigintToBytes(n));

/**
 * X.509 Time (RFC 5280 §4.1.2.5): UTCTime through 2049, GeneralizedTime from 2050,
 * both to the second with "Z".
 */
export function x509Time(date: Date): asn1js.UTCTime | asn1js.GeneralizedTime {
  const d = new Date(Math.floor(date.getTime() / 1000) * 1000);
  return d.getUTCFullYear() < 2050 ? new asn1js.UTCTime({ valueDate: d }) : new asn1js.GeneralizedTime({ valueDate: d });
}

/** GeneralizedTime to the second, for OCSP and TSTInfo. */
export function generalizedTime(date: Date): asn1js.GeneralizedTime {
  return new asn1js.GeneralizedTime({ valueDate: new Date(Math.floor(date.getTime() / 1000) * 1000) });
}
