import { KysoError } from '@kyso/core';

/**
 * Bytes that are not a CMS/PKCS#7 structure at all (empty, truncated, random, wrong content
 * type), or misuse of the CMS API. A signature that merely fails to verify is never an error:
 * it is reported in the verification result.
 *
 * Codes: `CMS_EMPTY`, `CMS_MALFORMED`, `CMS_NOT_SIGNED_DATA`, `CMS_NO_SIGNER`,
 * `CMS_UNSUPPORTED_ALGORITHM`, `CMS_BAD_OPTIONS`, `CMS_BAD_STATE`, `CMS_CONTENT_REQUIRED`,
 * `TSP_*` for RFC 3161 time-stamping.
 */
export class CmsError extends KysoError {}

/**
 * A signer could not be made or could not sign: a wrong PKCS#12 password, a key that does not
 * match its certificate, an unreadable key file.
 *
 * Codes: `P12_BAD_PASSWORD`, `P12_UNREADABLE`, `P12_NO_KEY`, `P12_NO_CERTIFICATE`,
 * `P12_UNSUPPORTED`, `KEY_UNREADABLE`, `KEY_UNSUPPORTED`, `CERT_UNREADABLE`,
 * `KEY_CERT_MISMATCH`, `SIGNER_FAILED`.
 */
export class SignerError extends KysoError {}
