/**
 * PKCS#12 (RFC 7292) reading: the PFX's MAC is checked first (a wrong password fails there with
 * a clear message), then each SafeContents is decrypted (PBES2/AES via WebCrypto, legacy
 * 3DES/RC2 via node-forge) and the key and certificates are taken out byte for byte.
 */
import { bytesEqual, toArrayBuffer } from '@kyso/core';
import { children, contents, parseOne, readOctetString, readOid, readSmallInt, type Tlv } from '../asn1/der.js';
import { hashFromOid, OID } from '../algorithms.js';
import { isIssuedBy, orderChain, parseCertificate, type CertificateInfo } from '../certificate.js';
import { SignerError } from '../errors.js';
import { checkKeyMatchesCertificate, resolveAlgorithm, webCryptoSign, type SignerOptions } from './crypto-key-signer.js';
import { bmpPassword, pbeDecrypt, pkcs12Kdf, type KdfHash } from './pbe.js';
import { importPrivateKey } from './private-key.js';
import type { Signer } from './signer.js';

const ENCRYPTED_DATA = '1.2.840.113549.1.7.6';
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';
const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const CERT_BAG = '1.2.840.113549.1.12.10.1.3';
const SAFE_CONTENTS_BAG = '1.2.840.113549.1.12.10.1.6';
const X509_CERTIFICATE = '1.2.840.113549.1.9.22.1';
const LOCAL_KEY_ID = '1.2.840.113549.1.9.21';

/** What a PKCS#12 file holds: private keys (PKCS#8 DER) and certificates (DER), with their local key ids. */
export interface Pkcs12Contents {
  readonly keys: readonly { readonly pkcs8: Uint8Array; readonly localKeyId?: Uint8Array }[];
  readonly certificates: readonly { readonly der: Uint8Array; readonly localKeyId?: Uint8Array }[];
}

const unreadable = (cause?: unknown): SignerError =>
  new SignerError('P12_UNREADABLE', 'The file is not a readable PKCS#12 (.p12/.pfx) file; check that it is the right file and complete.', cause === undefined ? undefined : { cause });
const badPassword = (cause?: unknown): SignerError =>
  new SignerError('P12_BAD_PASSWORD', 'The PKCS#12 password is wrong; check the password (it is case-sensitive).', cause === undefined ? undefined : { cause });

/**
 * Opens a PKCS#12 file with `password` and returns its keys and certificates.
 * Throws `SignerError` `P12_BAD_PASSWORD`, `P12_UNREADABLE` or `P12_UNSUPPORTED`.
 */
export async function readPkcs12(bytes: Uint8Array, password: string): Promise<Pkcs12Contents> {
  let authSafeBytes: Uint8Array;
  let macData: Tlv | undefined;
  try {
    if (bytes.length === 0) throw new Error('empty');
    const pfx = children(parseOne(bytes));
    if (readSmallInt(pfx[0]!) !== 3) throw new Error('PFX version is not 3');
    const [ctOid, ctContent] = children(pfx[1]!);
    if (readOid(ctOid!) !== OID.data) throw new SignerError('P12_UNSUPPORTED', 'The PKCS#12 file uses public-key integrity mode, which kyso does not support; export it with a password.');
    authSafeBytes = readOctetString(children(ctContent!)[0]!);
    macData = pfx[2];
  } catch (e) {
    if (e instanceof SignerError) throw e;
    throw unreadable(e);
  }
  if (macData) await verifyMac(macData, authSafeBytes, password);

  const keys: { pkcs8: Uint8Array; localKeyId?: Uint8Array }[] = [];
  const certificates: { der: Uint8Array; localKeyId?: Uint8Array }[] = [];
  const walkSafeContents = async (sc: Uint8Array): Promise<void> => {
    for (const bag of children(parseOne(sc))) {
      const [idT, valueT, attrsT] = children(bag);
      const id = readOid(idT!);
      const value = children(valueT!)[0]!;
      const localKeyId = attrsT ? findLocalKeyId(attrsT) : undefined;
      const withId = localKeyId ? { localKeyId } : {};
      if (id === KEY_BAG) keys.push({ pkcs8: raw(value), ...withId });
      else if (id === SHROUDED_KEY_BAG) {
        const [algId, enc] = children(value);
        keys.push({ pkcs8: await decryptOrBadPassword(algId!, readOctetString(enc!), password), ...withId });
      } else if (id === CERT_BAG) {
        const [certType, certValue] = children(value);
        if (readOid(certType!) === X509_CERTIFICATE) certificates.push({ der: readOctetString(children(certValue!)[0]!), ...withId });
      } else if (id === SAFE_CONTENTS_BAG) {
        await walkSafeContents(raw(value));
      }
    }
  };
  try {
    for (const ci of children(parseOne(authSafeBytes))) {
      const [ctOid, ctContent] = children(ci);
      const type = readOid(ctOid!);
      if (type === OID.data) await walkSafeContents(readOctetString(children(ctContent!)[0]!));
      else if (type === ENCRYPTED_DATA) {
        const [, eci] = children(children(ctContent!)[0]!);
        const [, algId, encContent] = children(eci!);
        if (!encContent) continue;
        // [0] IMPLICIT OCTET STRING: primitive (0x80) or constructed (0xa0).
        const data = encContent.tag === 0x80 ? contents(encContent) : children(encContent).map(readOctetString).reduce((a, b) => new Uint8Array([...a, ...b]), new Uint8Array());
        await walkSafeContents(await decryptOrBadPassword(algId!, data, password));
      }
    }
  } catch (e) {
    if (e instanceof SignerError) throw e;
    throw unreadable(e);
  }
  return { keys, certificates };
}

const raw = (t: Tlv): Uint8Array => t.bytes.subarray(t.start, t.end);

function findLocalKeyId(attrs: Tlv): Uint8Array | undefined {
  for (const a of children(attrs)) {
    const [o, values] = children(a);
    if (readOid(o!) === LOCAL_KEY_ID) {
      const v = children(values!)[0];
      if (v) return contents(v);
    }
  }
  return undefined;
}

async function decryptOrBadPassword(algId: Tlv, data: Uint8Array, password: string): Promise<Uint8Array> {
  try {
    const out = await pbeDecrypt(algId, data, password);
    parseOne(out);
    return out;
  } catch (e) {
    if (e instanceof SignerError) throw e;
    throw badPassword(e);
  }
}

/** MacData (RFC 7292 §4): HMAC over the authSafe contents with a key from the PKCS#12 KDF (id 3). */
async function verifyMac(macData: Tlv, authSafe: Uint8Array, password: string): Promise<void> {
  let hash: KdfHash;
  let expected: Uint8Array;
  let salt: Uint8Array;
  let iterations = 1;
  try {
    const [digestInfo, saltT, iterT] = children(macData);
    const [algId, digestT] = children(digestInfo!);
    const h = hashFromOid(readOid(children(algId!)[0]!));
    if (!h) throw new SignerError('P12_UNSUPPORTED', 'The PKCS#12 MAC uses an unsupported hash; re-export the file with SHA-256 or SHA-1 MAC.');
    hash = h;
    expected = contents(digestT!);
    salt = contents(saltT!);
    if (iterT) iterations = readSmallInt(iterT);
  } catch (e) {
    if (e instanceof SignerError) throw e;
    throw unreadable(e);
  }
  // OpenSSL encodes an empty password as the BMP NUL; some producers use no bytes at all.
  const candidates = password === '' ? [bmpPassword(''), new Uint8Array(0)] : [bmpPassword(password)];
  for (const pw of candidates) {
    const key = pkcs12Kdf(hash, pw, salt, 3, iterations, expected.length);
    const k = await globalThis.crypto.subtle.importKey('raw', toArrayBuffer(key), { name: 'HMAC', hash }, false, ['sign']);
    const mac = new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', k, toArrayBuffer(authSafe)));
    if (bytesEqual(mac, expected)) return;
  }
  throw badPassword();
}

/** Options of {@link signerFromPkcs12}. */
export type Pkcs12SignerOptions = SignerOptions;

/**
 * A {@link Signer} from a PKCS#12 (.p12/.pfx) file: modern files (PBES2, AES-256, PBKDF2 with
 * HMAC-SHA-256, SHA-256 MAC — OpenSSL 3's default) and the legacy 3DES / RC2-40 encryption that
 * Windows and `openssl pkcs12 -legacy` exports still use. The certificate that goes with the key
 * (by localKeyId, else the first end-entity certificate) is the signer's; the others form the chain.
 *
 * Errors (`SignerError`): `P12_BAD_PASSWORD`, `P12_UNREADABLE`, `P12_UNSUPPORTED`, `P12_NO_KEY`,
 * `P12_NO_CERTIFICATE`, `KEY_CERT_MISMATCH`.
 *
 * @example
 * ```ts
 * const signer = await signerFromPkcs12(readFileSync('an.p12'), process.env.P12_PASSWORD ?? '');
 * ```
 */
export async function signerFromPkcs12(bytes: Uint8Array, password: string, options: Pkcs12SignerOptions = {}): Promise<Signer> {
  const p12 = await readPkcs12(bytes, password);
  const key = p12.keys[0];
  if (!key) throw new SignerError('P12_NO_KEY', 'The PKCS#12 file holds no private key; export it with the private key included.');
  if (p12.certificates.length === 0) throw new SignerError('P12_NO_CERTIFICATE', 'The PKCS#12 file holds no certificate; export it with the certificate included.');
  const infos = p12.certificates.map((c) => ({ ...c, info: parseCertificate(c.der) }));
  const byId = key.localKeyId && infos.find((c) => c.localKeyId && bytesEqual(c.localKeyId, key.localKeyId!));
  const leaf = byId || pickLeaf(infos.map((c) => c.info));
  const cert = 'info' in leaf ? leaf.info : leaf;
  const alg = resolveAlgorithm(cert, options.signatureAlgorithm);
  const cryptoKey = await importPrivateKey(key.pkcs8, cert, alg);
  const sign = webCryptoSign(cryptoKey, alg);
  if (!options.skipKeyCheck) await checkKeyMatchesCertificate(cert, alg, sign);
  return Object.freeze({
    certificate: cert.der,
    chain: Object.freeze(orderChain(cert.der, infos.map((c) => c.der))),
    signatureAlgorithm: alg,
    sign,
  });
}

/** The certificate that issued no other certificate in the set, preferring non-CA ones. */
function pickLeaf(certs: CertificateInfo[]): CertificateInfo {
  const leaves = certs.filter((c) => !certs.some((o) => o !== c && isIssuedBy(o, c)));
  return leaves.find((c) => !c.isCa) ?? leaves[0] ?? certs[0]!;
}
