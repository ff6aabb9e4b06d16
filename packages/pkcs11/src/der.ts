/**
 * Just enough DER (ITU-T X.690 §8.1) to read a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) and the
 * EC parameters a token reports; everything else about certificates comes from `@kyso/cms`.
 */
import { Pkcs11Error } from './errors.js';

interface Tlv {
  readonly tag: number;
  /** The value octets. */
  readonly value: Uint8Array;
  /** Offset just past this element in the input. */
  readonly end: number;
}

function bad(): never {
  throw new Pkcs11Error('PKCS11_KEY_UNSUPPORTED', 'A public key on the token or in the certificate is not valid DER; check that the right certificate was written to the token.');
}

function readTlv(b: Uint8Array, at: number): Tlv {
  const tag = b[at] ?? bad();
  let len = b[at + 1] ?? bad();
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) bad();
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (b[p++] ?? bad());
  }
  if (p + len > b.length) bad();
  return { tag, value: b.subarray(p, p + len), end: p + len };
}

function childrenOf(value: Uint8Array): Tlv[] {
  const out: Tlv[] = [];
  for (let p = 0; p < value.length; ) {
    const t = readTlv(value, p);
    out.push(t);
    p = t.end;
  }
  return out;
}

/** An INTEGER's magnitude without leading zero octets. */
export function stripLeadingZeros(v: Uint8Array): Uint8Array {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.subarray(i);
}

/** The modulus `n` of an RSA SubjectPublicKeyInfo (RFC 8017 §A.1.1 RSAPublicKey), without leading zeros. */
export function rsaModulusFromSpki(spki: Uint8Array): Uint8Array {
  const [, bitString] = childrenOf(readTlv(spki, 0).value);
  if (!bitString || bitString.tag !== 0x03) bad();
  const rsaPublicKey = readTlv(bitString.value.subarray(1), 0);
  const [n] = childrenOf(rsaPublicKey.value);
  if (!n || n.tag !== 0x02) bad();
  return stripLeadingZeros(n.value);
}

const CURVE_OIDS: Record<string, 'P-256' | 'P-384' | 'P-521'> = {
  '2a8648ce3d030107': 'P-256',
  '2b81040022': 'P-384',
  '2b81040023': 'P-521',
};

/** The named curve in CKA_EC_PARAMS (ANSI X9.62 ECParameters, a namedCurve OID), if it is one kyso signs with. */
export function curveFromEcParams(params: Uint8Array): 'P-256' | 'P-384' | 'P-521' | undefined {
  try {
    const t = readTlv(params, 0);
    if (t.tag !== 0x06) return undefined;
    return CURVE_OIDS[Array.from(t.value, (x) => x.toString(16).padStart(2, '0')).join('')];
  } catch {
    return undefined;
  }
}
