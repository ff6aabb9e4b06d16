/**
 * Finding private keys and X.509 certificates on a token (PKCS#11 v2.40 §5.7 object search,
 * §4.6 certificate objects, §4.9 private key objects) and pairing them by CKA_ID, the link that
 * PKCS#11 applications and token vendors use between a key and its certificate.
 */
import { bytesEqual, toHex } from '@kyso/core';
import { parseCertificate, type CertificateInfo } from '@kyso/cms';
import { translate, type Binding, type Handle, type Library } from './binding.js';
import { curveFromEcParams, rsaModulusFromSpki, stripLeadingZeros } from './der.js';

/** A private key object as read from the token. */
export interface KeyObject {
  readonly handle: Handle;
  readonly label: string;
  readonly id: Uint8Array;
  readonly keyType: 'RSA' | 'EC' | 'other';
  /** RSA modulus without leading zeros. */
  readonly modulus?: Uint8Array;
  /** EC named curve. */
  readonly curve?: 'P-256' | 'P-384' | 'P-521';
  /** CKA_ALWAYS_AUTHENTICATE: the PIN must be given again before every signature (PKCS#11 v2.40 §4.9). */
  readonly alwaysAuthenticate: boolean;
  /** CKA_SIGN (true when the token does not say). */
  readonly canSign: boolean;
}

/** An X.509 certificate object. */
export interface CertObject {
  readonly handle: Handle;
  readonly label: string;
  readonly id: Uint8Array;
  readonly der: Uint8Array;
  readonly info: CertificateInfo;
}

/** Runs one object search (C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal). */
export function findObjects(binding: Binding, lib: Library, session: Handle, template: { type: number; value?: number | boolean | string | Buffer }[]): Handle[] {
  const out: Handle[] = [];
  try {
    lib.C_FindObjectsInit(session, template);
    try {
      for (;;) {
        const batch = lib.C_FindObjects(session, 64);
        if (batch.length === 0) break;
        out.push(...batch);
      }
    } finally {
      lib.C_FindObjectsFinal(session);
    }
  } catch (e) {
    throw translate(binding, e, 'C_FindObjects');
  }
  return out;
}

/** One attribute's value, or undefined when the object lacks it or keeps it secret. */
function attr(lib: Library, session: Handle, obj: Handle, type: number): Buffer | undefined {
  try {
    const [a] = lib.C_GetAttributeValue(session, obj, [{ type }]);
    return a?.value;
  } catch {
    return undefined;
  }
}

const text = (b: Buffer | undefined): string => (b ? new TextDecoder().decode(b) : '');
const bool = (b: Buffer | undefined, dflt: boolean): boolean => (b && b.length ? b[0] !== 0 : dflt);
const ulong = (b: Buffer | undefined): number | undefined => (b && b.length >= 4 ? (b.length >= 8 ? Number(b.readBigUInt64LE(0)) : b.readUInt32LE(0)) : undefined);

/** Private keys matching the label and/or id (all private keys when both are undefined). */
export function findPrivateKeys(binding: Binding, lib: Library, session: Handle, label?: string, id?: Uint8Array): KeyObject[] {
  const b = binding;
  const template: { type: number; value?: number | boolean | string | Buffer }[] = [{ type: b.CKA_CLASS, value: b.CKO_PRIVATE_KEY }];
  if (label !== undefined) template.push({ type: b.CKA_LABEL, value: label });
  if (id !== undefined) template.push({ type: b.CKA_ID, value: Buffer.from(id) });
  return findObjects(b, lib, session, template).map((handle) => {
    const type = ulong(attr(lib, session, handle, b.CKA_KEY_TYPE));
    const keyType = type === b.CKK_RSA ? 'RSA' : type === b.CKK_EC ? 'EC' : 'other';
    const modulus = keyType === 'RSA' ? attr(lib, session, handle, b.CKA_MODULUS) : undefined;
    const params = keyType === 'EC' ? attr(lib, session, handle, b.CKA_EC_PARAMS) : undefined;
    const curve = params ? curveFromEcParams(params) : undefined;
    return Object.freeze({
      handle,
      label: text(attr(lib, session, handle, b.CKA_LABEL)),
      id: new Uint8Array(attr(lib, session, handle, b.CKA_ID) ?? []),
      keyType,
      ...(modulus ? { modulus: stripLeadingZeros(new Uint8Array(modulus)) } : {}),
      ...(curve ? { curve } : {}),
      alwaysAuthenticate: bool(attr(lib, session, handle, b.CKA_ALWAYS_AUTHENTICATE), false),
      canSign: bool(attr(lib, session, handle, b.CKA_SIGN), true),
    });
  });
}

/** Every X.509 certificate object on the token that parses. */
export function findCertificates(binding: Binding, lib: Library, session: Handle): CertObject[] {
  const b = binding;
  const out: CertObject[] = [];
  for (const handle of findObjects(b, lib, session, [
    { type: b.CKA_CLASS, value: b.CKO_CERTIFICATE },
    { type: b.CKA_CERTIFICATE_TYPE, value: b.CKC_X_509 },
  ])) {
    const value = attr(lib, session, handle, b.CKA_VALUE);
    if (!value) continue;
    const der = new Uint8Array(value);
    let info: CertificateInfo;
    try {
      info = parseCertificate(der);
    } catch {
      continue; // A damaged object must not hide the good ones.
    }
    out.push(Object.freeze({ handle, label: text(attr(lib, session, handle, b.CKA_LABEL)), id: new Uint8Array(attr(lib, session, handle, b.CKA_ID) ?? []), der, info }));
  }
  return out;
}

const RSA_OIDS = new Set(['1.2.840.113549.1.1.1', '1.2.840.113549.1.1.10']);
const EC_OID = '1.2.840.10045.2.1';

/**
 * Whether a certificate can belong to the key: same key type, and the same RSA modulus or EC
 * curve as far as the token shows them.
 */
export function certificateFitsKey(cert: CertificateInfo, key: KeyObject): boolean {
  if (key.keyType === 'RSA') {
    if (!RSA_OIDS.has(cert.keyAlgorithm)) return false;
    if (!key.modulus) return true;
    try {
      return bytesEqual(rsaModulusFromSpki(cert.spki), key.modulus);
    } catch {
      return false;
    }
  }
  if (key.keyType === 'EC') return cert.keyAlgorithm === EC_OID && (key.curve === undefined || cert.namedCurve === key.curve);
  return false;
}

/**
 * The certificate of `key` among the token's certificates: first by CKA_ID, then by label, then
 * (RSA) by modulus, always checking that the public key fits.
 */
export function certificateForKey(key: KeyObject, certs: readonly CertObject[]): CertObject | undefined {
  const fits = certs.filter((c) => certificateFitsKey(c.info, key));
  return (
    (key.id.length ? fits.find((c) => bytesEqual(c.id, key.id)) : undefined) ??
    (key.label ? fits.find((c) => c.label === key.label) : undefined) ??
    (key.keyType === 'RSA' && key.modulus ? fits[0] : undefined)
  );
}

/** The certificates on the token that lie on the issuer path of `leaf` (issuer first), for the CMS certificate set. */
export function issuerPath(leaf: CertificateInfo, certs: readonly CertObject[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let cur = leaf;
  const used = new Set<CertObject>();
  while (!bytesEqual(cur.subject, cur.issuer)) {
    const next = certs.find((c) => !used.has(c) && bytesEqual(c.info.subject, cur.issuer) && !bytesEqual(c.der, cur.der));
    if (!next) break;
    used.add(next);
    out.push(next.der);
    cur = next.info;
  }
  return out;
}

/** `label (id 01ab)` for messages. */
export const describeKey = (k: { label: string; id: Uint8Array }): string => `"${k.label || '(no label)'}" (id ${k.id.length ? toHex(k.id) : 'none'})`;
