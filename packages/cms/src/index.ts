export { CmsError, SignerError } from './errors.js';
export { OID, HASH_LENGTH } from './algorithms.js';
export type { DigestAlgorithm, HashAlgorithm, SignatureAlgorithm } from './algorithms.js';
export { nobleDigestEngine, defaultDigestEngine, digestContent } from './digest/digest-engine.js';
export type { Content, DigestEngine, IncrementalDigest } from './digest/digest-engine.js';
export { parseCertificate, defaultSignatureAlgorithm } from './certificate.js';
export type { CertificateInfo } from './certificate.js';
export type { Signer, SigningIdentity } from './signer/signer.js';
export { signerFromCryptoKey } from './signer/crypto-key-signer.js';
export type { SignerOptions } from './signer/crypto-key-signer.js';
export { signerFromPem, readCertificates, readPrivateKey } from './signer/pem-signer.js';
export type { PemInput, PemSignerOptions } from './signer/pem-signer.js';
export { signerFromPkcs12, readPkcs12 } from './signer/pkcs12-signer.js';
export type { Pkcs12Contents, Pkcs12SignerOptions } from './signer/pkcs12-signer.js';
export { externalSigner, digestInfo } from './signer/external-signer.js';
export type { ExternalSignerOptions } from './signer/external-signer.js';
export { ecdsaRawToDer, ecdsaDerToRaw } from './signer/ecdsa.js';
export { COMMITMENT_TYPES } from './cades/attributes.js';
export type { CmsAttribute, CommitmentType } from './cades/attributes.js';
export { signCades, prepareCades, finishCades } from './cades/sign.js';
export type { CadesOptions, SignCadesOptions, PrepareCadesOptions, PreparedCades, PreparedCadesState, FinishCadesOptions } from './cades/sign.js';
export { verifyCades, inspectCms, formatName } from './cades/verify.js';
export type { CadesVerification, VerifyCadesOptions, ChainReport, CmsSummary, Indication, SubIndication } from './cades/verify.js';
export { parseSignedData } from './cades/signed-data.js';
export type { ParsedSignedData, ParsedSignerInfo, SignerIdentifier } from './cades/signed-data.js';
export { addSignatureTimestamp } from './cades/timestamp.js';
export type { AddSignatureTimestampOptions } from './cades/timestamp.js';
export { buildTimeStampRequest, parseTimeStampResponse } from './tsp/request.js';
export type { TimeStampRequest, TimeStampRequestOptions } from './tsp/request.js';
export { httpTimeStamper } from './tsp/time-stamper.js';
export type { TimeStamper, HttpTimeStamperOptions } from './tsp/time-stamper.js';
export { verifyTimeStampToken, parseTstInfo } from './tsp/verify-token.js';
export type { TimeStampTokenVerification, VerifyTimeStampTokenOptions, TstInfo } from './tsp/verify-token.js';
export {
  LTV_OID,
  readEmbeddedValidationData,
  ocspResponseFromBasic,
  basicFromOcspResponse,
  createRevocationSources,
  namesRevocationService,
  ValidationDataCollector,
  signerCertificateFor,
  addCadesValidationData,
  extendCades,
  extendCadesWithReport,
  addArchiveTimestampV3,
  verifyArchiveTimestamps,
  LongTermChainValidator,
  verifyCadesLongTerm,
} from './ltv/index.js';
export type {
  EmbeddedValidationData,
  RevocationPreference,
  RevocationSources,
  RevocationSourcesOptions,
  ValidationDataOptions,
  CertificateValidationData,
  CadesValidationValues,
  ExtendCadesOptions,
  ExtendCadesReport,
  AddArchiveTimestampOptions,
  ArchiveTimestampCheck,
  LongTermChainValidatorOptions,
  ChainRequest,
  ChainOutcome,
  ChainCertificateReport,
  RevocationEvidenceReport,
  ChainIndication,
  ChainSubIndication,
  VerifyCadesLongTermOptions,
  CadesLongTermVerification,
  CadesTimestampReport,
} from './ltv/index.js';
