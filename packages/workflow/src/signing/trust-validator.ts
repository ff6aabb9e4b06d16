import { Certificate, validatePath, type CertificatePurpose, type RevocationChecker } from '@kyso/trust';
import type { CertificateValidator } from './document-signing.js';

/** Options of {@link trustValidator}. */
export interface TrustValidatorOptions {
  /** Trust anchors (DER), e.g. "RootCA chuyên dùng Chính phủ G2" and the NEAC root. */
  readonly trustAnchors: readonly Uint8Array[];
  /** More intermediate certificates (DER) to build paths from, besides the signer's chain. */
  readonly intermediates?: readonly Uint8Array[];
  /** What the certificate must be good for; default `document-signing`. */
  readonly purpose?: CertificatePurpose;
  /** Revocation checking (`CrlRevocationChecker`, `OcspRevocationChecker` from @kyso/trust); default none. */
  readonly revocation?: RevocationChecker;
  readonly revocationMode?: 'hard-fail' | 'soft-fail';
}

/**
 * A {@link CertificateValidator} over `@kyso/trust`: RFC 5280 §6.1 path validation of the
 * signer's certificate to one of `trustAnchors` at signing time, with revocation if asked.
 */
export function trustValidator(options: TrustValidatorOptions): CertificateValidator {
  const anchors = options.trustAnchors.map((d) => Certificate.fromDer(d));
  const extra = (options.intermediates ?? []).map((d) => Certificate.fromDer(d));
  return {
    async validate(certificate, chain, at) {
      const result = await validatePath({
        certificates: { leaf: Certificate.fromDer(certificate), candidates: [...chain.map((d) => Certificate.fromDer(d)), ...extra] },
        trustAnchors: anchors,
        time: at,
        purpose: options.purpose ?? 'document-signing',
        ...(options.revocation ? { revocation: options.revocation, revocationMode: options.revocationMode ?? 'hard-fail' } : {}),
      });
      return { valid: result.valid, reason: result.valid ? null : result.failures.map((f) => f.message).join('; ') || 'no path to a trust anchor' };
    },
  };
}
