import { bytesEqual } from '@kyso/core';
import { parseCertificate } from '../certificate.js';
import type { ParsedSignedData } from '../cades/signed-data.js';

/**
 * The certificate of the first SignerInfo among the SignedData's certificates: matched by
 * issuer and serial number, or by subject key identifier (RFC 5652 §5.3). Undefined when the
 * SignedData does not carry it.
 */
export function signerCertificateFor(sd: ParsedSignedData): Uint8Array | undefined {
  const sid = sd.signerInfos[0]?.sid;
  if (!sid) return undefined;
  for (const der of sd.certificates) {
    try {
      const c = parseCertificate(der);
      if (sid.kind === 'issuerAndSerialNumber' ? bytesEqual(c.serialNumber, sid.serialNumber) && bytesEqual(c.issuer, sid.issuer) : c.subjectKeyIdentifier !== undefined && bytesEqual(c.subjectKeyIdentifier, sid.keyIdentifier)) {
        return der;
      }
    } catch {
      // An unreadable certificate is not the signer's.
    }
  }
  return undefined;
}
