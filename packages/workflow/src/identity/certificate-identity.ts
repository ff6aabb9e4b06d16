import { Certificate } from '@kyso/trust';
import { WorkflowInputError } from '../errors.js';
import type { Assignee } from '../route/route.js';

/** What the workflow knows about a signer: read from their certificate, never from what they claim. */
export interface CertificateIdentity {
  /** Subject commonName (2.5.4.3), usually the person's full name with diacritics. */
  readonly commonName: string | null;
  /** The subject DN, RFC 4514 style, most significant RDN last. */
  readonly subject: string;
  /** The issuer's commonName. */
  readonly issuer: string | null;
  /** Subject serialNumber attribute (2.5.4.5), e.g. a citizen ID. */
  readonly serialNumber: string | null;
  /** Subject UID (0.9.2342.19200300.100.1.1), e.g. `CCCD:001090000001`. */
  readonly uid: string | null;
  /** Subject emailAddress (1.2.840.113549.1.9.1) and rfc822Name subjectAltNames, lower-cased. */
  readonly emails: readonly string[];
  /** SHA-256 of the certificate's DER, lower-case hex. */
  readonly certificateSha256: string;
  /** The certificate's serial number, hex. */
  readonly certificateSerial: string;
  /** ISO time. */
  readonly notBefore: string;
  /** ISO time. */
  readonly notAfter: string;
}

const OID = {
  cn: '2.5.4.3',
  serialNumber: '2.5.4.5',
  uid: '0.9.2342.19200300.100.1.1',
  email: '1.2.840.113549.1.9.1',
} as const;

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'title',
  '0.9.2342.19200300.100.1.1': 'UID',
  '1.2.840.113549.1.9.1': 'emailAddress',
};

/** Parses a DER certificate with @kyso/trust, or throws a one-line input error. */
function parseCertificate(der: Uint8Array): Certificate {
  try {
    return Certificate.fromDer(der);
  } catch (cause) {
    throw new WorkflowInputError('The signer certificate is not a DER X.509 certificate; give the certificate (PEM decoded to DER), not the key.', { cause });
  }
}

function attrs(cert: Certificate, which: 'subject' | 'issuer'): { type: string; value: string }[] {
  return cert[which].rdns.flat().map((a) => ({ type: a.type, value: a.value ?? '' }));
}

/** Reads the identity fields of a DER certificate. */
export async function readCertificateIdentity(der: Uint8Array): Promise<CertificateIdentity> {
  const cert = parseCertificate(der);
  const subject = attrs(cert, 'subject');
  const first = (oid: string) => subject.find((a) => a.type === oid)?.value ?? null;
  const emails = subject.filter((a) => a.type === OID.email).map((a) => a.value.toLowerCase());
  for (const n of cert.subjectAltName ?? []) if (n.type === 'rfc822Name') emails.push(n.value.toLowerCase());
  const issuerCn = attrs(cert, 'issuer').find((a) => a.type === OID.cn)?.value ?? null;
  return Object.freeze({
    commonName: first(OID.cn),
    subject: subject
      .slice()
      .reverse()
      .map((a) => `${SHORT[a.type] ?? a.type}=${a.value}`)
      .join(', '),
    issuer: issuerCn,
    serialNumber: first(OID.serialNumber),
    uid: first(OID.uid),
    emails: Object.freeze([...new Set(emails)]),
    certificateSha256: cert.fingerprintSha256,
    certificateSerial: cert.serialNumberHex,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  });
}

/** `CCCD:001090000001`, `CMND:...`, `MST:...` → the part after the prefix. */
function withoutPrefix(v: string): string {
  const m = /^[A-Za-z]{2,8}[:\-](.+)$/.exec(v.trim());
  return (m ? m[1]! : v).trim();
}

/**
 * True when `id` satisfies an identity assignee. Role assignees never match here: resolve them
 * to identities first.
 */
export function identityMatches(id: CertificateIdentity, a: Assignee): boolean {
  switch (a.by) {
    case 'citizenId': {
      const want = withoutPrefix(a.value);
      return [id.serialNumber, id.uid].some((v) => v !== null && (v.trim() === a.value.trim() || withoutPrefix(v) === want));
    }
    case 'serialNumber':
      return id.serialNumber !== null && id.serialNumber === a.value;
    case 'uid':
      return id.uid !== null && id.uid === a.value;
    case 'email':
      return id.emails.includes(a.value.trim().toLowerCase());
    case 'sha256':
      return id.certificateSha256 === a.value.replace(/[:\s]/g, '').toLowerCase();
    case 'role':
      return false;
  }
}

/** A short human description of a signer for messages and the audit log. */
export function describeIdentity(id: CertificateIdentity): string {
  const key = id.serialNumber ?? id.uid ?? id.emails[0] ?? id.certificateSha256.slice(0, 16);
  return id.commonName ? `${id.commonName} (${key})` : key;
}
