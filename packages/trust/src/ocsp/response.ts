import { toBase64 } from '@kyso/core';
import { type DerNode, Tag, parseDer, readBitString, readOid, readSmallInt, readTime } from '../asn1/der.js';
import { Oid } from '../asn1/oids.js';
import { type AlgorithmIdentifier, type PublicKeyInfo, readAlgorithmIdentifier } from '../crypto/algorithm.js';
import { type SignatureCheck, verifySignature } from '../crypto/verify.js';
import { TrustError } from '../errors.js';
import { CRL_REASON_CODES, type CrlReason } from '../revocation/checker.js';
import { Certificate } from '../x509/certificate.js';
import { type Extension, readExtensions } from '../x509/extensions.js';
import { DistinguishedName } from '../x509/name.js';
import { CertId } from './cert-id.js';

/** OCSPResponseStatus (RFC 6960 §4.2.1). */
export type OcspResponseStatus = 'successful' | 'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized';

const STATUSES: Record<number, OcspResponseStatus> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
};

/** ResponderID (RFC 6960 §4.2.1): by name, or by the SHA-1 hash of the responder's key. */
export type ResponderId = { readonly type: 'byName'; readonly name: DistinguishedName } | { readonly type: 'byKey'; readonly keyHash: Uint8Array };

/** One SingleResponse (RFC 6960 §4.2.1). */
export interface OcspSingleResponse {
  readonly certId: CertId;
  readonly status: 'good' | 'revoked' | 'unknown';
  readonly revocationTime?: Date;
  readonly revocationReason?: CrlReason;
  readonly thisUpdate: Date;
  readonly nextUpdate?: Date;
  readonly extensions: readonly Extension[];
}

/**
 * A parsed OCSP response (RFC 6960 §4.2). Only `successful` responses carry a
 * BasicOCSPResponse; the other fields are then set. Verification is {@link verifyOcspResponse}.
 */
export class OcspResponse {
  readonly der: Uint8Array;
  readonly responseStatus: OcspResponseStatus;
  /** responseType; `1.3.6.1.5.5.7.48.1.1` for id-pkix-ocsp-basic. */
  readonly responseType: string | undefined;
  /** DER of tbsResponseData: what the responder signed. */
  readonly tbsResponseDataDer: Uint8Array | undefined;
  readonly signatureAlgorithm: AlgorithmIdentifier | undefined;
  readonly signatureValue: Uint8Array | undefined;
  readonly responderId: ResponderId | undefined;
  readonly producedAt: Date | undefined;
  readonly responses: readonly OcspSingleResponse[];
  /** Certificates in the BasicOCSPResponse (a delegated responder's, usually). */
  readonly certificates: readonly Certificate[];
  readonly extensions: readonly Extension[];
  /** The nonce extension's value (RFC 8954), if any. */
  readonly nonce: Uint8Array | undefined;

  private constructor(der: Uint8Array) {
    this.der = der;
    let responseType: string | undefined;
    let tbs: Uint8Array | undefined;
    let sigAlg: AlgorithmIdentifier | undefined;
    let sig: Uint8Array | undefined;
    let responderId: ResponderId | undefined;
    let producedAt: Date | undefined;
    let responses: OcspSingleResponse[] = [];
    let certificates: Certificate[] = [];
    let extensions: Extension[] = [];
    let nonce: Uint8Array | undefined;
    try {
      const root = parseDer(der).expect(Tag.sequence, 'OCSPResponse');
      const code = readSmallInt(root.child(0));
      const status = STATUSES[code];
      if (!status) throw new Error(`unknown responseStatus ${code}`);
      this.responseStatus = status;
      const rb = root.children()[1];
      if (rb?.isContext(0)) {
        const bytes = rb.child(0).expect(Tag.sequence, 'ResponseBytes');
        responseType = readOid(bytes.child(0));
        if (responseType === Oid.ocspBasic) {
          const basic = parseDer(bytes.child(1).expect(Tag.octetString, 'response').content).expect(Tag.sequence, 'BasicOCSPResponse');
          const data = basic.child(0).expect(Tag.sequence, 'ResponseData');
          tbs = data.der.slice();
          sigAlg = readAlgorithmIdentifier(basic.child(1));
          sig = readBitString(basic.child(2)).bytes.slice();
          const certsNode = basic.children()[3];
          if (certsNode?.isContext(0)) certificates = certsNode.child(0).children().map((c) => Certificate.fromDer(c.der));
          const f = data.children();
          let i = 0;
          if (f[0]?.isContext(0)) i++;
          const rid = f[i++]!;
          if (rid.isContext(1)) responderId = { type: 'byName', name: DistinguishedName.fromNode(rid.child(0)) };
          else if (rid.isContext(2)) responderId = { type: 'byKey', keyHash: rid.child(0).expect(Tag.octetString, 'KeyHash').content.slice() };
          else throw new Error('bad ResponderID');
          producedAt = readTime(f[i++]!);
          responses = f[i++]!.expect(Tag.sequence, 'responses').children().map(readSingleResponse);
          if (f[i]?.isContext(1)) extensions = readExtensions(f[i]!.child(0));
          const nonceExt = extensions.find((e) => e.oid === Oid.ocspNonce);
          if (nonceExt) {
            // RFC 8954: the value is an OCTET STRING; some responders put the raw bytes.
            try {
              const n = parseDer(nonceExt.value);
              nonce = n.is(Tag.octetString) ? n.content.slice() : nonceExt.value.slice();
            } catch {
              nonce = nonceExt.value.slice();
            }
          }
        }
      }
    } catch (e) {
      if (e instanceof TrustError && e.code === 'OCSP_MALFORMED') throw e;
      throw new TrustError('OCSP_MALFORMED', `This is not a valid OCSP response (${(e as Error).message}).`, { cause: e });
    }
    this.responseType = responseType;
    this.tbsResponseDataDer = tbs;
    this.signatureAlgorithm = sigAlg;
    this.signatureValue = sig;
    this.responderId = responderId;
    this.producedAt = producedAt;
    this.responses = Object.freeze(responses);
    this.certificates = Object.freeze(certificates);
    this.extensions = Object.freeze(extensions);
    this.nonce = nonce;
  }

  /** Parses a DER OCSPResponse; throws `TrustError` `OCSP_MALFORMED` for anything else. */
  static fromDer(der: Uint8Array): OcspResponse {
    return new OcspResponse(new Uint8Array(der)); // a plain copy: a Node Buffer's slice() would be a view of its pool
  }

  /**
   * Checks the BasicOCSPResponse signature with a certificate's or a key's public key (only the
   * signature: {@link verifyOcspResponse} also checks who may sign, the CertID and freshness).
   */
  async verifySignedBy(signer: Certificate | PublicKeyInfo): Promise<SignatureCheck> {
    if (!this.tbsResponseDataDer || !this.signatureAlgorithm || !this.signatureValue) {
      return { valid: false, error: 'BAD_SIGNATURE', message: `the response is "${this.responseStatus}" and carries no signed data` };
    }
    const key = signer instanceof Certificate ? signer.publicKey : signer;
    return verifySignature(key, this.signatureAlgorithm, this.signatureValue, this.tbsResponseDataDer);
  }

  /** The SingleResponse for `certId`, if any. */
  findResponse(certId: CertId): OcspSingleResponse | undefined {
    return this.responses.find((r) => r.certId.equals(certId));
  }

  /** The response as base64 (as stored in a PDF DSS or a CAdES revocation-values attribute, it is DER). */
  toBase64(): string {
    return toBase64(this.der);
  }
}

function readSingleResponse(node: DerNode): OcspSingleResponse {
  node.expect(Tag.sequence, 'SingleResponse');
  const certId = CertId.fromNode(node.child(0));
  const cs = node.child(1);
  let status: OcspSingleResponse['status'];
  let revocationTime: Date | undefined;
  let revocationReason: CrlReason | undefined;
  if (cs.isContext(0)) status = 'good';
  else if (cs.isContext(1)) {
    status = 'revoked';
    revocationTime = readTime(cs.child(0));
    const reasonNode = cs.children()[1];
    if (reasonNode?.isContext(0)) revocationReason = CRL_REASON_CODES[readSmallInt(reasonNode.child(0))] ?? 'unspecified';
  } else if (cs.isContext(2)) status = 'unknown';
  else throw new Error('bad CertStatus');
  const thisUpdate = readTime(node.child(2));
  let nextUpdate: Date | undefined;
  let extensions: Extension[] = [];
  for (const c of node.children().slice(3)) {
    if (c.isContext(0)) nextUpdate = readTime(c.child(0));
    else if (c.isContext(1)) extensions = readExtensions(c.child(0));
  }
  const out: {
    certId: CertId;
    status: OcspSingleResponse['status'];
    revocationTime?: Date;
    revocationReason?: CrlReason;
    thisUpdate: Date;
    nextUpdate?: Date;
    extensions: readonly Extension[];
  } = { certId, status, thisUpdate, extensions: Object.freeze(extensions) };
  if (revocationTime) out.revocationTime = revocationTime;
  if (revocationReason) out.revocationReason = revocationReason;
  if (nextUpdate) out.nextUpdate = nextUpdate;
  return Object.freeze(out);
}
