import { KysoError } from '@kyso/core';

/**
 * Thrown by `@kyso/trust` for input that cannot be processed at all (a certificate, CRL or
 * OCSP response that is not valid DER) and for misuse of its API. Validation itself never
 * throws: it returns a frozen result object.
 *
 * Codes: `DER_MALFORMED`, `CERT_MALFORMED`, `CRL_MALFORMED`, `OCSP_MALFORMED`,
 * `BAD_ARGUMENT`, `UNSUPPORTED_ALGORITHM`.
 */
export class TrustError extends KysoError {}
