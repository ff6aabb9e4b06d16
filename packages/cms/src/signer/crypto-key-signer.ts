import { toArrayBuffer, utf8 } from '@kyso/core';
import { assertSigningAlgorithm, webCryptoSignParams, type SignatureAlgorithm } from '../algorithms.js';
import { algorithmFitsKey, defaultSignatureAlgorithm, orderChain, parseCertificate, verifyWithCertificate, type CertificateInfo } from '../certificate.js';
import { SignerError } from '../errors.js';
import { ecdsaRawToDer } from './ecdsa.js';
import type { Signer } from './signer.js';

/** Options shared by the soft signers. */
export interface SignerOptions {
  /**
   * Signature algorithm; by default RSASSA-PKCS1-v1_5 with SHA-256 for RSA keys, ECDSA with
   * SHA-256/384/512 for P-256/P-384/P-521. Give `{ name: 'RSA-PSS', hash: 'SHA-256' }` for PSS.
   */
  readonly signatureAlgorithm?: SignatureAlgorithm;
  /** Skip the probe signature that checks the key matches the certificate (default false). */
  readonly skipKeyCheck?: boolean;
}

/** Resolves and checks the algorithm a signer uses for `cert`. */
export function resolveAlgorithm(cert: CertificateInfo, alg: SignatureAlgorithm | undefined): SignatureAlgorithm {
  const out = alg ?? defaultSignatureAlgorithm(cert);
  assertSigningAlgorithm(out);
  if (!algorithmFitsKey(cert, out)) {
    throw new SignerError('KEY_UNSUPPORTED', `The certificate's key cannot sign with ${out.name}; choose ${defaultSignatureAlgorithm(cert).name} (or RSA-PSS for an RSA key).`);
  }
  return out;
}

const PROBE = utf8('kyso key/certificate probe');

/**
 * Signs a probe with `sign` and verifies it with the certificate's public key: catches a key
 * that does not belong to the certificate before it produces an unverifiable signature.
 */
export async function checkKeyMatchesCertificate(cert: CertificateInfo, alg: SignatureAlgorithm, sign: (d: Uint8Array) => Promise<Uint8Array>): Promise<void> {
  let sig: Uint8Array;
  try {
    sig = await sign(PROBE);
  } catch (cause) {
    if (cause instanceof SignerError) throw cause;
    throw new SignerError('KEY_CERT_MISMATCH', 'The private key could not sign for this certificate (wrong key type or curve?); use the key that belongs to the certificate.', { cause });
  }
  if (!(await verifyWithCertificate(cert, alg, sig, PROBE))) throw new SignerError('KEY_CERT_MISMATCH', 'The private key does not match the certificate; use the key that belongs to the certificate (or the certificate issued for this key).');
}

/** Signs with a WebCrypto key, converting ECDSA's r‖s to DER. */
export function webCryptoSign(key: CryptoKey, alg: SignatureAlgorithm): (data: Uint8Array) => Promise<Uint8Array> {
  return async (data) => {
    let sig: Uint8Array;
    try {
      sig = new Uint8Array(await globalThis.crypto.subtle.sign(webCryptoSignParams(alg), key, toArrayBuffer(data)));
    } catch (cause) {
      throw new SignerError('SIGNER_FAILED', `The key refused to sign with ${alg.name}/${alg.hash}; check that it was imported for this algorithm with the "sign" usage.`, { cause });
    }
    return alg.name === 'ECDSA' ? ecdsaRawToDer(sig) : sig;
  };
}

/**
 * A {@link Signer} over a WebCrypto private key, which may be non-extractable (a browser key,
 * a key from a platform keystore). The key must have been imported for the algorithm it will
 * sign with (e.g. `{ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }`) with the `sign` usage.
 * The algorithm defaults from the key's own `algorithm` and the certificate.
 *
 * @example
 * ```ts
 * const signer = await signerFromCryptoKey(keyPair.privateKey, certDer, [caDer]);
 * ```
 */
export async function signerFromCryptoKey(
  privateKey: CryptoKey,
  certificate: Uint8Array,
  chain: readonly Uint8Array[] = [],
  options: SignerOptions = {},
): Promise<Signer> {
  const cert = parseCertificate(certificate);
  const alg = resolveAlgorithm(cert, options.signatureAlgorithm ?? algorithmFromKey(privateKey, cert));
  const sign = webCryptoSign(privateKey, alg);
  if (!options.skipKeyCheck) await checkKeyMatchesCertificate(cert, alg, sign);
  return Object.freeze({ certificate, chain: Object.freeze(orderChain(certificate, chain)), signatureAlgorithm: alg, sign });
}

function algorithmFromKey(key: CryptoKey, cert: CertificateInfo): SignatureAlgorithm | undefined {
  const a = key.algorithm as { name: string; hash?: { name: string } };
  const hash = a.hash?.name;
  if ((a.name === 'RSASSA-PKCS1-v1_5' || a.name === 'RSA-PSS') && (hash === 'SHA-256' || hash === 'SHA-384' || hash === 'SHA-512')) {
    return { name: a.name, hash };
  }
  return a.name === 'ECDSA' ? defaultSignatureAlgorithm(cert) : undefined;
}
