import type { SignatureAlgorithm } from '../algorithms.js';

/**
 * Who signs: the certificate, the chain to embed and the algorithm, without the key.
 * This is all that staged signing ({@link prepareCades}) needs before the signature exists.
 */
export interface SigningIdentity {
  /** The signer's certificate, DER. */
  readonly certificate: Uint8Array;
  /** Intermediate CA certificates (DER), issuer of the signer first; embedded in the SignedData. */
  readonly chain: readonly Uint8Array[];
  /** How the key signs. */
  readonly signatureAlgorithm: SignatureAlgorithm;
}

/**
 * Everything in kyso signs through a `Signer` (DESIGN.md decision 4): the key may be a
 * WebCrypto `CryptoKey`, a PKCS#12 file, a token or a remote service.
 */
export interface Signer extends SigningIdentity {
  /**
   * Signs `data` (for CMS: the DER of the signed attributes, RFC 5652 §5.4) — the signer hashes
   * it with `signatureAlgorithm.hash` — and returns the signature value as CMS stores it
   * (for ECDSA the DER `Ecdsa-Sig-Value`, RFC 5753 §7.2, not WebCrypto's r‖s).
   */
  sign(data: Uint8Array): Promise<Uint8Array>;
}
