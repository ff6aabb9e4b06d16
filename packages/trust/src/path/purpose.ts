import { Oid } from '../asn1/oids.js';
import type { Certificate } from '../x509/certificate.js';
import type { PathFailureCode } from './result.js';

/** What the end-entity certificate is validated for. */
export type CertificatePurpose = 'any' | 'document-signing' | 'timestamping' | 'ocsp-signing';

/** EKUs accepted for document signing when the certificate restricts its purposes. */
const DOCUMENT_SIGNING_EKUS = new Set<string>([
  Oid.anyExtendedKeyUsage,
  Oid.kpDocumentSigning, // RFC 9336
  Oid.kpEmailProtection, // the usual EKU of personal signing certificates
  Oid.adobeAuthenticDocumentsTrust,
  Oid.msDocumentSigning,
]);

/**
 * Checks the end-entity certificate against `purpose`:
 * - `document-signing`: keyUsage, when present, has digitalSignature or nonRepudiation; an
 *   extendedKeyUsage, when present, includes a document-signing purpose (or anyExtendedKeyUsage);
 * - `timestamping`: RFC 3161 §2.3: extendedKeyUsage is critical and is exactly id-kp-timeStamping;
 * - `ocsp-signing`: RFC 6960 §4.2.2.2: extendedKeyUsage includes id-kp-OCSPSigning;
 * - `any`: nothing.
 * @internal
 */
export function checkPurpose(cert: Certificate, purpose: CertificatePurpose): { code: PathFailureCode; message: string }[] {
  const out: { code: PathFailureCode; message: string }[] = [];
  const eku = cert.extKeyUsage;
  const ku = cert.keyUsage;
  const signs = !ku || ku.digitalSignature || ku.nonRepudiation;
  switch (purpose) {
    case 'any':
      break;
    case 'document-signing':
      if (!signs) out.push({ code: 'KEY_USAGE_NOT_ALLOWED', message: 'keyUsage has neither digitalSignature nor nonRepudiation, so the key may not sign documents' });
      if (eku && !eku.some((p) => DOCUMENT_SIGNING_EKUS.has(p))) {
        out.push({ code: 'EKU_NOT_ALLOWED', message: `extendedKeyUsage (${eku.join(', ')}) does not include a document-signing purpose` });
      }
      break;
    case 'timestamping': {
      const ext = cert.extension(Oid.extKeyUsage);
      if (!eku || !ext?.critical || eku.length !== 1 || eku[0] !== Oid.kpTimeStamping) {
        out.push({ code: 'EKU_NOT_ALLOWED', message: 'a TSA certificate needs a critical extendedKeyUsage of exactly id-kp-timeStamping (RFC 3161 §2.3)' });
      }
      if (!signs) out.push({ code: 'KEY_USAGE_NOT_ALLOWED', message: 'keyUsage has neither digitalSignature nor nonRepudiation' });
      break;
    }
    case 'ocsp-signing':
      if (!eku?.includes(Oid.kpOcspSigning)) {
        out.push({ code: 'EKU_NOT_ALLOWED', message: 'an OCSP responder certificate needs extendedKeyUsage id-kp-OCSPSigning (RFC 6960 §4.2.2.2)' });
      }
      if (!signs) out.push({ code: 'KEY_USAGE_NOT_ALLOWED', message: 'keyUsage has neither digitalSignature nor nonRepudiation' });
      break;
  }
  return out;
}
