import { Oid } from '../asn1/oids.js';
import type { EvidenceOrigin, RevocationChecker, RevocationRequest, RevocationStatus } from '../revocation/checker.js';
import type { Certificate } from '../x509/certificate.js';
import { OcspResponse } from './response.js';
import { verifyOcspResponse } from './verify.js';

/** A fetched OCSP response with where it came from and the nonce sent, if any. */
export interface FetchedOcspResponse {
  readonly response: OcspResponse;
  readonly origin: EvidenceOrigin;
  /** The request's nonce: the response must echo it. */
  readonly nonce?: Uint8Array;
}

/** Options of {@link OcspRevocationChecker}. */
export interface OcspRevocationCheckerOptions {
  /** OCSP responses already at hand (embedded in a signature, a PDF DSS, a cache). */
  readonly responses?: readonly (OcspResponse | Uint8Array)[];
  /** Asks a responder when the responses at hand say nothing (see `OcspClient.fetcher()`). */
  readonly fetch?: (certificate: Certificate, issuer: Certificate) => Promise<OcspResponse | Uint8Array | FetchedOcspResponse | null>;
  /** Clock skew allowed; default 5 minutes. */
  readonly toleranceMs?: number;
  /** Oldest response without nextUpdate accepted. */
  readonly maxAgeMs?: number;
  /** Accept responses produced after the validation time; default true (they prove a past status). */
  readonly acceptLaterResponses?: boolean;
}

/**
 * A {@link RevocationChecker} over OCSP responses (RFC 6960). A delegated responder without
 * id-pkix-ocsp-nocheck has its own path validated (`validateSigner`); a certificate with
 * id-pkix-ocsp-nocheck and id-kp-OCSPSigning is taken as good (§4.2.2.2.1).
 */
export class OcspRevocationChecker implements RevocationChecker {
  private readonly responses: readonly OcspResponse[];

  constructor(private readonly options: OcspRevocationCheckerOptions = {}) {
    this.responses = (options.responses ?? []).map((r) => (r instanceof OcspResponse ? r : OcspResponse.fromDer(r)));
  }

  async check(req: RevocationRequest): Promise<RevocationStatus> {
    const cert = req.certificate;
    if (cert.ocspNoCheck && cert.extKeyUsage?.includes(Oid.kpOcspSigning)) {
      return { status: 'good', source: 'ocsp-nocheck', message: 'an OCSP responder certificate with id-pkix-ocsp-nocheck' };
    }
    const notes: string[] = [];
    const tryAll = async (list: readonly OcspResponse[], origin: EvidenceOrigin, nonce?: Uint8Array): Promise<RevocationStatus | null> => {
      for (const response of list) {
        const v = await verifyOcspResponse(response, {
          ...(nonce ? { nonce } : {}),
          certificate: cert,
          issuer: req.issuer,
          issuerPublicKey: req.issuerPublicKey,
          time: req.time,
          acceptLaterResponses: this.options.acceptLaterResponses ?? true,
          extraCertificates: req.candidates,
          ...(this.options.toleranceMs !== undefined ? { toleranceMs: this.options.toleranceMs } : {}),
          ...(this.options.maxAgeMs !== undefined ? { maxAgeMs: this.options.maxAgeMs } : {}),
        });
        if (v.failures.some((f) => f.code === 'OCSP_CERT_ID_MISMATCH')) continue;
        if (!v.valid) {
          notes.push(v.failures.map((f) => f.message).join('; '));
          continue;
        }
        if (v.responderKind === 'delegated' && !v.responderNoCheck && v.responder) {
          const path = await req.validateSigner(v.responder);
          if (!path.valid) {
            notes.push(`the OCSP responder "${v.responder.subject}" is not valid: ${path.failures.map((f) => f.code).join(', ')}`);
            continue;
          }
        }
        if (v.certStatus === 'unknown') {
          notes.push('the OCSP responder does not know the certificate');
          continue;
        }
        const status: {
          status: 'good' | 'revoked';
          source: string;
          revocationTime?: Date;
          reason?: NonNullable<RevocationStatus['reason']>;
          evidence: NonNullable<RevocationStatus['evidence']>;
        } = {
          status: v.certStatus === 'revoked' ? 'revoked' : 'good',
          source: 'ocsp',
          evidence: [{ type: 'ocsp', der: response.der, origin }],
        };
        if (v.revocationTime) status.revocationTime = v.revocationTime;
        if (v.revocationReason) status.reason = v.revocationReason;
        return status;
      }
      return null;
    };
    const local = await tryAll(this.responses, 'provided');
    if (local) return local;
    if (this.options.fetch) {
      try {
        const fetched = await this.options.fetch(cert, req.issuer);
        if (fetched) {
          const r =
            fetched instanceof OcspResponse
              ? await tryAll([fetched], 'fetched')
              : fetched instanceof Uint8Array
                ? await tryAll([OcspResponse.fromDer(fetched)], 'fetched')
                : await tryAll([fetched.response], fetched.origin, fetched.origin === 'fetched' ? fetched.nonce : undefined);
          if (r) return r;
        }
      } catch (e) {
        notes.push(`fetching an OCSP response failed: ${(e as Error).message}`);
      }
    }
    return { status: 'unknown', source: 'ocsp', message: notes.length ? notes.join('; ') : 'no OCSP response for this certificate' };
  }
}

/**
 * A checker that asks each of `checkers` in turn and returns the first answer that is not
 * `unknown` (for example OCSP first, then CRLs). When none knows, their messages are joined,
 * each once: an embedded and an online checker of the same kind often say the same thing.
 */
export function firstConclusive(...checkers: RevocationChecker[]): RevocationChecker {
  return {
    async check(req) {
      const messages: string[] = [];
      for (const c of checkers) {
        const s = await c.check(req);
        if (s.status !== 'unknown') return s;
        if (s.message && !messages.includes(s.message)) messages.push(s.message);
      }
      return { status: 'unknown', message: messages.join('; ') || 'no revocation information' };
    },
  };
}
