import { derNull, octets, oid, seq } from '../asn1/der.js';
import { hashOid, type DigestAlgorithm, type SignatureAlgorithm } from '../algorithms.js';
import { orderChain, parseCertificate } from '../certificate.js';
import { digestBytes } from '../digest/digest-engine.js';
import { SignerError } from '../errors.js';
import { resolveAlgorithm } from './crypto-key-signer.js';
import { CURVE_SIZE, ecdsaRawToDer, looksLikeDerEcdsa } from './ecdsa.js';
import type { Signer } from './signer.js';

/** What {@link externalSigner} needs. */
export interface ExternalSignerOptions {
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** Intermediate CA certificates, DER. */
  readonly chain?: readonly Uint8Array[];
  /** How the remote key signs; defaults from the certificate (RSA PKCS#1 v1.5 / ECDSA with SHA-256). */
  readonly signatureAlgorithm?: SignatureAlgorithm;
  /**
   * Signs a pre-computed digest (the hash of the data with `algorithm.hash`) and returns the
   * signature value: RSA signature bytes, or for ECDSA either DER `Ecdsa-Sig-Value` or raw r‖s
   * (both accepted). For raw RSA PKCS#1 v1.5 tokens that expect the DigestInfo, wrap the digest
   * with {@link digestInfo} first.
   */
  readonly signDigest: (digest: Uint8Array, algorithm: SignatureAlgorithm) => Promise<Uint8Array>;
}

/**
 * A {@link Signer} whose key lives elsewhere — a remote signing service (CSC API), a USB token
 * driver, an HSM — that signs a digest. kyso hashes the signed attributes and hands over only
 * the digest; nothing is checked against the certificate until the signature is verified.
 *
 * @example
 * ```ts
 * const signer = externalSigner({ certificate, chain, signDigest: (d) => remote.signHash(d) });
 * ```
 */
export function externalSigner(options: ExternalSignerOptions): Signer {
  const cert = parseCertificate(options.certificate);
  const alg = resolveAlgorithm(cert, options.signatureAlgorithm);
  const size = CURVE_SIZE[cert.namedCurve ?? 'P-256'];
  return Object.freeze({
    certificate: options.certificate,
    chain: Object.freeze(orderChain(options.certificate, options.chain ?? [])),
    signatureAlgorithm: alg,
    async sign(data: Uint8Array): Promise<Uint8Array> {
      const digest = await digestBytes(alg.hash, data);
      let sig: Uint8Array;
      try {
        sig = await options.signDigest(digest, alg);
      } catch (cause) {
        throw new SignerError('SIGNER_FAILED', `The external signer failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      }
      if (!(sig instanceof Uint8Array) || sig.length === 0) throw new SignerError('SIGNER_FAILED', 'The external signer returned no signature bytes; it must resolve to a non-empty Uint8Array.');
      if (alg.name === 'ECDSA' && !looksLikeDerEcdsa(sig, size)) return ecdsaRawToDer(sig);
      return sig;
    },
  });
}

/**
 * DigestInfo (RFC 8017 §9.2) for a digest: what a raw RSA PKCS#1 v1.5 operation on a token
 * must sign when the token does not add it itself.
 */
export function digestInfo(digest: Uint8Array, hash: DigestAlgorithm): Uint8Array {
  return seq(seq(oid(hashOid(hash)), derNull()), octets(digest));
}


