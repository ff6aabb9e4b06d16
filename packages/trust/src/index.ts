export { TrustError } from './errors.js';
export { Certificate, SUPPORTED_CERT_EXTENSIONS } from './x509/certificate.js';
export { DistinguishedName } from './x509/name.js';
export type { NameAttribute } from './x509/name.js';
export { formatGeneralName } from './x509/general-name.js';
export type { GeneralName } from './x509/general-name.js';
export { REASON_FLAGS } from './x509/extensions.js';
export type {
  Extension,
  KeyUsage,
  BasicConstraints,
  PolicyInformation,
  PolicyQualifier,
  PolicyMapping,
  PolicyConstraints,
  GeneralSubtree,
  NameConstraints,
  DistributionPoint,
  DistributionPointName,
  ReasonFlag,
  AuthorityKeyIdentifier,
  AccessDescription,
} from './x509/extensions.js';
export { PublicKeyInfo } from './crypto/algorithm.js';
export type { AlgorithmIdentifier } from './crypto/algorithm.js';
export { verifySignature } from './crypto/verify.js';
export type { SignatureCheck } from './crypto/verify.js';
export { digest } from './crypto/digest.js';
export type { HashName } from './crypto/digest.js';
export { Oid } from './asn1/oids.js';
export { validatePath } from './path/validate.js';
export type { ValidatePathOptions } from './path/validate.js';
export { buildPaths } from './path/build.js';
export type { PathBuilderInput, BuildPathsOptions, CandidatePath } from './path/build.js';
export type { CertificatePurpose } from './path/purpose.js';
export type { PathFailureCode, PathFailure, PathAttempt, PathValidationResult } from './path/result.js';
export type { RevocationChecker, RevocationRequest, RevocationStatus, RevocationEvidence, EvidenceOrigin, CrlReason } from './revocation/checker.js';
export { Crl, SUPPORTED_CRL_EXTENSIONS, SUPPORTED_CRL_ENTRY_EXTENSIONS } from './revocation/crl.js';
export type { CrlEntry, IssuingDistributionPoint } from './revocation/crl.js';
export { CrlRevocationChecker } from './revocation/crl-checker.js';
export type { CrlRevocationCheckerOptions, FetchedCrl } from './revocation/crl-checker.js';
export { CertId } from './ocsp/cert-id.js';
export { OcspRequest } from './ocsp/request.js';
export type { OcspRequestOptions } from './ocsp/request.js';
export { OcspResponse } from './ocsp/response.js';
export type { OcspResponseStatus, OcspSingleResponse, ResponderId } from './ocsp/response.js';
export { verifyOcspResponse } from './ocsp/verify.js';
export type { VerifyOcspOptions, OcspVerification, OcspFailureCode } from './ocsp/verify.js';
export { OcspRevocationChecker, firstConclusive } from './ocsp/ocsp-checker.js';
export type { OcspRevocationCheckerOptions, FetchedOcspResponse } from './ocsp/ocsp-checker.js';
export {
  TOTAL_FAILED_SUB_INDICATIONS,
  INDETERMINATE_SUB_INDICATIONS,
  subIndicationFor,
  conclusionForPath,
  indicationsOf,
  indicationUri,
  subIndicationUri,
} from './etsi/indication.js';
export type { Indication, SubIndication, ValidationConclusion } from './etsi/indication.js';
export { MemoryFetchCache } from './fetch/cache.js';
export type { FetchCache } from './fetch/cache.js';
export type { FetcherOptions } from './fetch/options.js';
export { CrlFetcher } from './fetch/crl-fetcher.js';
export { OcspClient } from './fetch/ocsp-client.js';
export { CaIssuersFetcher } from './fetch/ca-issuers-fetcher.js';
