import { concatBytes } from '@kyso/core';
import { derExplicit, derOctetString, derOid, derSequence } from '../asn1/der-writer.js';
import { Oid } from '../asn1/oids.js';
import type { HashName } from '../crypto/digest.js';
import { TrustError } from '../errors.js';
import type { Certificate } from '../x509/certificate.js';
import { CertId } from './cert-id.js';

/** Options of {@link OcspRequest.build}. */
export interface OcspRequestOptions {
  /**
   * The nonce extension (RFC 6960 §4.4.1, RFC 8954): `true` (default) for 32 random bytes,
   * `false` for none, or the bytes to send (1–128).
   */
  readonly nonce?: boolean | Uint8Array;
  /** Hash of the CertID; default SHA-1 (what responders are sure to understand). */
  readonly hash?: 'SHA-1' | 'SHA-256';
}

/**
 * An unsigned OCSP request for one certificate (RFC 6960 §4.1).
 *
 * @example
 * ```ts
 * const req = await OcspRequest.build(cert, issuer, { nonce: true });
 * const res = await http.request({ url, method: 'POST', body: req.der,
 *   headers: { 'content-type': 'application/ocsp-request' } });
 * const check = await verifyOcspResponse(res.body, { certificate: cert, issuer, nonce: req.nonce });
 * ```
 */
export class OcspRequest {
  private constructor(
    /** DER of the OCSPRequest, to POST as `application/ocsp-request`. */
    readonly der: Uint8Array,
    readonly certId: CertId,
    /** The nonce sent, to match in the response. */
    readonly nonce: Uint8Array | undefined,
  ) {}

  /** Builds the request for `cert`, issued by `issuer`. */
  static async build(cert: Certificate, issuer: Certificate, options: OcspRequestOptions = {}): Promise<OcspRequest> {
    const hash: HashName = options.hash ?? 'SHA-1';
    const certId = await CertId.forCertificate(cert, issuer, hash);
    let nonce: Uint8Array | undefined;
    if (options.nonce instanceof Uint8Array) {
      if (options.nonce.length < 1 || options.nonce.length > 128) throw new TrustError('BAD_ARGUMENT', 'An OCSP nonce must be 1 to 128 bytes long (RFC 8954 §2.1).');
      nonce = options.nonce.slice();
    } else if (options.nonce !== false) {
      nonce = globalThis.crypto.getRandomValues(new Uint8Array(32));
    }
    const request = derSequence(certId.der);
    const parts = [derSequence(request)];
    if (nonce) {
      // Extension { extnID id-pkix-ocsp-nonce, extnValue OCTET STRING (DER of Nonce ::= OCTET STRING) }
      const ext = derSequence(derOid(Oid.ocspNonce), derOctetString(derOctetString(nonce)));
      parts.push(derExplicit(2, derSequence(ext)));
    }
    const tbsRequest = derSequence(concatBytes(...parts));
    return new OcspRequest(derSequence(tbsRequest), certId, nonce);
  }
}
