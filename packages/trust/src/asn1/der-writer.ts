import { concatBytes } from '@kyso/core';
import { TrustError } from '../errors.js';

/** Minimal DER encoder for the structures kyso builds (OCSP requests). @internal */
export function tlv(tag: number, content: Uint8Array): Uint8Array {
  const n = content.length;
  let header: number[];
  if (n < 0x80) header = [tag, n];
  else {
    const lenBytes: number[] = [];
    for (let v = n; v > 0; v = Math.floor(v / 256)) lenBytes.unshift(v & 0xff);
    header = [tag, 0x80 | lenBytes.length, ...lenBytes];
  }
  return concatBytes(Uint8Array.from(header), content);
}

/** SEQUENCE of already-encoded elements. @internal */
export const derSequence = (...items: Uint8Array[]): Uint8Array => tlv(0x30, concatBytes(...items));

/** OCTET STRING. @internal */
export const derOctetString = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);

/** NULL. @internal */
export const derNull = (): Uint8Array => Uint8Array.of(0x05, 0x00);

/** Context-specific explicit or constructed tag `[n]` around encoded content. @internal */
export const derExplicit = (n: number, content: Uint8Array): Uint8Array => tlv(0xa0 | n, content);

/** INTEGER from unsigned big-endian magnitude bytes, or from a bigint/number. @internal */
export function derInteger(value: Uint8Array | bigint | number): Uint8Array {
  if (value instanceof Uint8Array) return tlv(0x02, value);
  let v = BigInt(value);
  if (v < 0n) throw new TrustError('BAD_ARGUMENT', 'Negative integers are not supported by this encoder.');
  const bytes: number[] = [];
  do {
    bytes.unshift(Number(v & 0xffn));
    v >>= 8n;
  } while (v > 0n);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

/** OBJECT IDENTIFIER from dotted form. @internal */
export function derOid(oid: string): Uint8Array {
  const arcs = oid.split('.').map((a) => BigInt(a));
  if (arcs.length < 2) throw new TrustError('BAD_ARGUMENT', `"${oid}" is not a dotted OID.`);
  const out: number[] = [];
  const push = (v: bigint) => {
    const tmp = [Number(v & 0x7fn)];
    for (v >>= 7n; v > 0n; v >>= 7n) tmp.unshift(Number(v & 0x7fn) | 0x80);
    out.push(...tmp);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(out));
}
