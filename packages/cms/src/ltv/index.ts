// Long-term validation data for CAdES and PAdES (ETSI EN 319 122-1 §5.5, EN 319 142-1 §5.4).
export { LTV_OID, readEmbeddedValidationData, ocspResponseFromBasic, basicFromOcspResponse } from './embedded.js';
export type { EmbeddedValidationData } from './embedded.js';
export { createRevocationSources, namesRevocationService } from './revocation-sources.js';
export type { RevocationPreference, RevocationSources, RevocationSourcesOptions } from './revocation-sources.js';
export { ValidationDataCollector } from './collect.js';
export type { ValidationDataOptions, CertificateValidationData } from './collect.js';
export { signerCertificateFor } from './signer-certificate.js';
export { addCadesValidationData, extendCades, extendCadesWithReport, addArchiveTimestampV3, verifyArchiveTimestamps } from './cades-ltv.js';
export type { CadesValidationValues, ExtendCadesOptions, ExtendCadesReport, AddArchiveTimestampOptions, ArchiveTimestampCheck } from './cades-ltv.js';
export { LongTermChainValidator } from './long-term-chain.js';
export type { LongTermChainValidatorOptions, ChainRequest, ChainOutcome, ChainCertificateReport, RevocationEvidenceReport, ChainIndication, ChainSubIndication } from './long-term-chain.js';
export { verifyCadesLongTerm } from './verify-cades-long-term.js';
export type { VerifyCadesLongTermOptions, CadesLongTermVerification, CadesTimestampReport } from './verify-cades-long-term.js';
