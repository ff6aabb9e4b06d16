import { bytesEqual } from '@kyso/core';
import { Oid } from '../asn1/oids.js';
import type { PublicKeyInfo } from '../crypto/algorithm.js';
import { digest } from '../crypto/digest.js';
import { verifySignature } from '../crypto/verify.js';
import type { CrlReason } from '../revocation/checker.js';
import type { Certificate } from '../x509/certificate.js';
import { CertId } from './cert-id.js';
import { OcspResponse, type OcspSingleResponse } from './response.js';

/** Why an OCSP response was not accepted. */
export type OcspFailureCode =
  /** responseStatus is not `successful` (tryLater, unauthorized, ...). */
  | 'OCSP_NOT_SUCCESSFUL'
  /** The response is not an id-pkix-ocsp-basic response. */
  | 'OCSP_UNSUPPORTED_RESPONSE'
  /** No SingleResponse has the CertID of the certificate (RFC 6960 §3.2 (1)). */
  | 'OCSP_CERT_ID_MISMATCH'
  /** No certificate matches the ResponderID. */
  | 'OCSP_RESPONDER_NOT_FOUND'
  /** The responder is neither the CA, nor a delegated responder of the CA, nor trusted (§4.2.2.2). */
  | 'OCSP_RESPONDER_NOT_AUTHORIZED'
  /** The signature does not verify with the responder's key (§3.2 (2)). */
  | 'OCSP_SIGNATURE_INVALID'
  /** thisUpdate is later than the time (beyond the tolerance) (§3.2 (5)). */
  | 'OCSP_NOT_YET_VALID'
  /** nextUpdate is earlier than the time (beyond the tolerance) (§3.2 (6)). */
  | 'OCSP_EXPIRED'
  /** No nextUpdate and thisUpdate older than `maxAgeMs`. */
  | 'OCSP_TOO_OLD'
  /** A nonce was expected but the response has none. */
  | 'OCSP_NONCE_MISSING'
  /** The response's nonce differs from the request's. */
  | 'OCSP_NONCE_MISMATCH'
  /** A critical response extension kyso does not process. */
  | 'OCSP_UNKNOWN_CRITICAL_EXTENSION';

/** Options of {@link verifyOcspResponse}. */
export interface VerifyOcspOptions {
  /** The certificate asked about. */
  readonly certificate: Certificate;
  /** Its issuer (the CA). */
  readonly issuer: Certificate;
  /** The issuer's key with inherited parameters; default `issuer.publicKey`. */
  readonly issuerPublicKey?: PublicKeyInfo;
  /** The time the status must hold at; default now. */
  readonly time?: Date;
  /** Clock skew allowed on thisUpdate and nextUpdate; default 5 minutes. */
  readonly toleranceMs?: number;
  /** When the response has no nextUpdate: the oldest thisUpdate accepted, as an age at `time`. */
  readonly maxAgeMs?: number;
  /** Accept a response produced after `time` (it proves the status at that earlier time); default false. */
  readonly acceptLaterResponses?: boolean;
  /** The nonce of the request; when given the response must echo it. */
  readonly nonce?: Uint8Array;
  /** Responders trusted by local configuration (RFC 6960 §4.2.2.2 (1)). */
  readonly trustedResponders?: readonly Certificate[];
  /** More certificates to find the responder among (besides those in the response). */
  readonly extraCertificates?: readonly Certificate[];
}

/** The outcome of {@link verifyOcspResponse}; frozen. */
export interface OcspVerification {
  /** True when the response is authentic, for this certificate, fresh, and (if asked) has the nonce. */
  readonly valid: boolean;
  /** The certificate's status in the response (trust it only when `valid`). */
  readonly certStatus: 'good' | 'revoked' | 'unknown' | null;
  readonly revocationTime?: Date;
  readonly revocationReason?: CrlReason;
  readonly thisUpdate?: Date;
  readonly nextUpdate?: Date;
  readonly producedAt?: Date;
  /** The certificate whose key signed the response. */
  readonly responder: Certificate | null;
  /** `issuer`: the CA signed; `delegated`: a CA-issued OCSPSigning certificate; `trusted`: configured. */
  readonly responderKind: 'issuer' | 'delegated' | 'trusted' | null;
  /** True when a delegated responder's certificate has id-pkix-ocsp-nocheck (§4.2.2.2.1). */
  readonly responderNoCheck: boolean;
  readonly failures: readonly { readonly code: OcspFailureCode; readonly message: string }[];
  readonly response: OcspResponse;
}

const KNOWN_RESPONSE_EXTENSIONS = new Set<string>([
  Oid.ocspNonce,
  '1.3.6.1.5.5.7.48.1.3', // CRL references
  '1.3.6.1.5.5.7.48.1.6', // archive cutoff
  '1.3.6.1.5.5.7.48.1.9', // extended revoke
  '2.5.29.21', // reasonCode (in singleExtensions)
  '2.5.29.24', // invalidityDate
  '2.5.29.29', // certificateIssuer
]);

/**
 * Verifies an OCSP response for `certificate` (RFC 6960 §3.2): the BasicOCSPResponse signature;
 * the responder, found by name or key hash, is the issuing CA, a delegated responder (issued
 * directly by the CA, extendedKeyUsage id-kp-OCSPSigning, valid when the response was produced,
 * §4.2.2.2) or a trusted one; the CertID matches; thisUpdate/nextUpdate are current at `time`
 * within a tolerance; the nonce matches. Never throws for a bad response; throws `OCSP_MALFORMED`
 * for bytes that are not an OCSP response.
 *
 * A delegated responder's own revocation status is not checked here: see `responderNoCheck`, and
 * {@link OcspRevocationChecker}, which validates such responders' paths.
 */
export async function verifyOcspResponse(input: OcspResponse | Uint8Array, options: VerifyOcspOptions): Promise<OcspVerification> {
  const response = input instanceof OcspResponse ? input : OcspResponse.fromDer(input);
  const failures: { code: OcspFailureCode; message: string }[] = [];
  const time = options.time ?? new Date();
  const tol = options.toleranceMs ?? 5 * 60_000;
  const issuerKey = options.issuerPublicKey ?? options.issuer.publicKey;
  const out: {
    valid: boolean;
    certStatus: OcspVerification['certStatus'];
    revocationTime?: Date;
    revocationReason?: CrlReason;
    thisUpdate?: Date;
    nextUpdate?: Date;
    producedAt?: Date;
    responder: Certificate | null;
    responderKind: OcspVerification['responderKind'];
    responderNoCheck: boolean;
    failures: typeof failures;
    response: OcspResponse;
  } = { valid: false, certStatus: null, responder: null, responderKind: null, responderNoCheck: false, failures, response };
  const done = () => {
    out.valid = failures.length === 0;
    Object.freeze(failures);
    return Object.freeze(out) as OcspVerification;
  };

  if (response.responseStatus !== 'successful') {
    failures.push({ code: 'OCSP_NOT_SUCCESSFUL', message: `the responder answered "${response.responseStatus}"` });
    return done();
  }
  if (response.responseType !== Oid.ocspBasic || !response.tbsResponseDataDer) {
    failures.push({ code: 'OCSP_UNSUPPORTED_RESPONSE', message: `response type ${response.responseType ?? '(none)'} is not id-pkix-ocsp-basic` });
    return done();
  }
  if (response.producedAt) out.producedAt = response.producedAt;

  // §3.2 (1): the SingleResponse for this certificate, with whatever hash the responder used.
  let single: OcspSingleResponse | undefined;
  const ids = new Map<string, CertId>();
  for (const r of response.responses) {
    let id = ids.get(r.certId.hashAlgorithm);
    if (!id) ids.set(r.certId.hashAlgorithm, (id = await CertId.forCertificate(options.certificate, options.issuer, r.certId.hashAlgorithm)));
    if (r.certId.equals(id)) {
      single = r;
      break;
    }
  }
  if (!single) {
    failures.push({ code: 'OCSP_CERT_ID_MISMATCH', message: `the response has no status for serial ${options.certificate.serialNumberHex} of "${options.certificate.issuer}"` });
  } else {
    out.certStatus = single.status;
    out.thisUpdate = single.thisUpdate;
    if (single.nextUpdate) out.nextUpdate = single.nextUpdate;
    if (single.revocationTime) out.revocationTime = single.revocationTime;
    if (single.revocationReason) out.revocationReason = single.revocationReason;
  }

  // §3.2 (2)–(4): the responder and the signature.
  await identifyResponder(response, options, issuerKey, out, failures);

  // §3.2 (5)–(6): freshness.
  if (single) {
    const t = time.getTime();
    const later = options.acceptLaterResponses === true && single.thisUpdate.getTime() >= t;
    if (!options.acceptLaterResponses && single.thisUpdate.getTime() > t + tol) {
      failures.push({ code: 'OCSP_NOT_YET_VALID', message: `thisUpdate ${single.thisUpdate.toISOString()} is after ${time.toISOString()}` });
    }
    if (single.nextUpdate && !later && single.nextUpdate.getTime() < t - tol) {
      failures.push({ code: 'OCSP_EXPIRED', message: `nextUpdate ${single.nextUpdate.toISOString()} is before ${time.toISOString()}` });
    }
    if (!single.nextUpdate && !later && options.maxAgeMs !== undefined && t - single.thisUpdate.getTime() > options.maxAgeMs) {
      failures.push({ code: 'OCSP_TOO_OLD', message: `thisUpdate ${single.thisUpdate.toISOString()} is older than allowed and there is no nextUpdate` });
    }
    for (const ext of single.extensions) {
      if (ext.critical && !KNOWN_RESPONSE_EXTENSIONS.has(ext.oid)) failures.push({ code: 'OCSP_UNKNOWN_CRITICAL_EXTENSION', message: `critical singleExtension ${ext.oid}` });
    }
  }
  for (const ext of response.extensions) {
    if (ext.critical && !KNOWN_RESPONSE_EXTENSIONS.has(ext.oid)) failures.push({ code: 'OCSP_UNKNOWN_CRITICAL_EXTENSION', message: `critical responseExtension ${ext.oid}` });
  }

  // RFC 8954: the nonce of the request comes back unchanged.
  if (options.nonce) {
    if (!response.nonce) failures.push({ code: 'OCSP_NONCE_MISSING', message: 'the request had a nonce but the response has none' });
    else if (!bytesEqual(response.nonce, options.nonce)) failures.push({ code: 'OCSP_NONCE_MISMATCH', message: 'the response nonce differs from the request nonce' });
  }
  return done();
}

async function identifyResponder(
  response: OcspResponse,
  options: VerifyOcspOptions,
  issuerKey: PublicKeyInfo,
  out: { responder: Certificate | null; responderKind: OcspVerification['responderKind']; responderNoCheck: boolean },
  failures: { code: OcspFailureCode; message: string }[],
): Promise<void> {
  const rid = response.responderId!;
  const trusted = options.trustedResponders ?? [];
  const pool = [options.issuer, ...response.certificates, ...(options.extraCertificates ?? []), ...trusted];
  const matches: Certificate[] = [];
  for (const c of pool) {
    if (matches.some((m) => m.equals(c))) continue;
    const ok = rid.type === 'byName' ? c.subject.equals(rid.name) : bytesEqual(await digest('SHA-1', c.publicKey.keyBytes), rid.keyHash);
    if (ok) matches.push(c);
  }
  if (matches.length === 0) {
    const who = rid.type === 'byName' ? `"${rid.name}"` : 'the key hash in the response';
    failures.push({ code: 'OCSP_RESPONDER_NOT_FOUND', message: `no certificate of the responder ${who} is available` });
    return;
  }
  const problems: { code: OcspFailureCode; message: string }[] = [];
  for (const c of matches) {
    const isIssuerKey = bytesEqual(c.publicKey.der, options.issuer.publicKey.der);
    const isTrusted = trusted.some((t) => t.equals(c));
    const key = isIssuerKey ? issuerKey : c.publicKey;
    let kind: OcspVerification['responderKind'];
    if (isIssuerKey) kind = 'issuer';
    else if (isTrusted) kind = 'trusted';
    else {
      // §4.2.2.2: a delegated responder's certificate is issued directly by the CA and has id-kp-OCSPSigning.
      const why = await delegationProblem(c, options.issuer, issuerKey, response.producedAt ?? new Date());
      if (why) {
        problems.push({ code: 'OCSP_RESPONDER_NOT_AUTHORIZED', message: `"${c.subject}" ${why}` });
        continue;
      }
      kind = 'delegated';
    }
    const sig = await verifySignature(key, response.signatureAlgorithm!, response.signatureValue!, response.tbsResponseDataDer!);
    if (!sig.valid) {
      problems.push({ code: 'OCSP_SIGNATURE_INVALID', message: `the response signature does not verify with the key of "${c.subject}": ${sig.message ?? ''}` });
      continue;
    }
    out.responder = c;
    out.responderKind = kind;
    out.responderNoCheck = kind === 'delegated' && c.ocspNoCheck;
    return;
  }
  failures.push(problems.find((p) => p.code === 'OCSP_SIGNATURE_INVALID') ?? problems[0]!);
}

async function delegationProblem(responder: Certificate, issuer: Certificate, issuerKey: PublicKeyInfo, at: Date): Promise<string | null> {
  if (!responder.issuer.equals(issuer.subject)) return 'was not issued by the certificate\'s CA';
  if (!(await responder.verifySignedBy(issuerKey)).valid) return 'was not signed by the certificate\'s CA';
  if (!responder.extKeyUsage?.includes(Oid.kpOcspSigning)) return 'has no extendedKeyUsage id-kp-OCSPSigning';
  if (responder.keyUsage && !responder.keyUsage.digitalSignature && !responder.keyUsage.nonRepudiation) return 'has keyUsage without digitalSignature';
  if (!responder.isValidAt(at)) return `was not valid when the response was produced (${at.toISOString()})`;
  return null;
}
