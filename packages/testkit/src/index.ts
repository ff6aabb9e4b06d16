export { createTestPki } from './pki.js';
export type {
  TestPki,
  TestIdentity,
  TestCadres,
  TestPkiUrls,
  TestRevocation,
  CreateTestPkiOptions,
  IssueOptions,
  IssueCrlOptions,
  CertificateProfile,
} from './pki.js';
export { KEY_SPECS, keySpecInfo } from './keys/key-spec.js';
export type { KeySpec, KeySpecInfo } from './keys/key-spec.js';
export { generateTestKeyPair } from './keys/key-pair.js';
export type { TestKeyPair, GenerateKeyOptions } from './keys/key-pair.js';
export { encodeName, formatName } from './x509/name.js';
export type { NameSpec } from './x509/name.js';
export {
  basicConstraints,
  keyUsage,
  extKeyUsage,
  subjectKeyIdentifier,
  authorityKeyIdentifier,
  crlDistributionPoints,
  authorityInfoAccess,
  certificatePolicies,
  subjectAltNameEmail,
  ocspNoCheck,
} from './x509/extensions.js';
export type { ExtensionSpec, KeyUsageName } from './x509/extensions.js';
export { CRL_REASON_CODES } from './x509/crl.js';
export type { CrlReason } from './x509/crl.js';
export { toPkcs12 } from './pkcs12.js';
export type { Pkcs12Options } from './pkcs12.js';
export { createTimeStampAuthority, timeStampRejection, TEST_TSA_POLICY } from './services/time-stamp-authority.js';
export type { TimeStampAuthority, TimeStampAuthorityOptions, TsaFailure } from './services/time-stamp-authority.js';
export { createOcspResponder, ocspErrorResponse } from './services/ocsp-responder.js';
export type { OcspResponder, OcspResponderOptions, OcspRevocation } from './services/ocsp-responder.js';
