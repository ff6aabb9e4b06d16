import { children, contents, intUnsigned, parseOne, seq } from '../asn1/der.js';
import { CmsError } from '../errors.js';

/** WebCrypto's IEEE P1363 r‖s → DER `Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 5753 §7.2). */
export function ecdsaRawToDer(rs: Uint8Array): Uint8Array {
  if (rs.length % 2 !== 0 || rs.length === 0) throw new CmsError('CMS_BAD_SIGNATURE_VALUE', 'An ECDSA r||s signature must have an even, non-zero length.');
  const n = rs.length / 2;
  return seq(intUnsigned(rs.subarray(0, n)), intUnsigned(rs.subarray(n)));
}

/** DER `Ecdsa-Sig-Value` → r‖s with each half `size` bytes long, as WebCrypto verifies. */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  const [r, s] = children(parseOne(der));
  const out = new Uint8Array(size * 2);
  for (const [i, t] of [r, s].entries()) {
    if (!t || t.tag !== 0x02) throw new CmsError('CMS_BAD_SIGNATURE_VALUE', 'The ECDSA signature value is not a SEQUENCE of two INTEGERs.');
    let v = contents(t);
    while (v.length > 1 && v[0] === 0) v = v.subarray(1);
    if (v.length > size) throw new CmsError('CMS_BAD_SIGNATURE_VALUE', 'The ECDSA signature value does not fit the curve.');
    out.set(v, i * size + (size - v.length));
  }
  return out;
}

/** Coordinate size in bytes of each curve. */
export const CURVE_SIZE = { 'P-256': 32, 'P-384': 48, 'P-521': 66 } as const;

/** True when `sig` looks like a DER SEQUENCE rather than raw r‖s of a curve of `size`. */
export function looksLikeDerEcdsa(sig: Uint8Array, size: number): boolean {
  if (sig.length === size * 2 && sig[0] !== 0x30) return false;
  try {
    const t = parseOne(sig);
    return t.tag === 0x30 && children(t).length === 2;
  } catch {
    return false;
  }
}
