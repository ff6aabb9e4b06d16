/**
 * Verifying an RFC 3161 TimeStampToken (§2.4.2): the CMS signature over the TSTInfo, the TSA
 * certificate's extended key usage (§2.3: exactly id-kp-timeStamping, critical), the message
 * imprint against the time-stamped data, the nonce, and the reported time and accuracy.
 */
import { bytesEqual, toHex } from '@kyso/core';
import { children, contents, parseOne, readOid, readSmallInt, readTime, type Tlv } from '../asn1/der.js';
import { hashFromOid, OID, type DigestAlgorithm } from '../algorithms.js';
import { parseCertificate } from '../certificate.js';
import { digestContent, type Content } from '../digest/digest-engine.js';
import { CmsError } from '../errors.js';
import { verifyCades, type CadesVerification, type Indication, type SubIndication } from '../cades/verify.js';
import { trimInteger } from './request.js';
import type { Clock } from '@kyso/core';

const ID_KP_TIME_STAMPING = '1.3.6.1.5.5.7.3.8';

/** TSTInfo (RFC 3161 §2.4.2), decoded. */
export interface TstInfo {
  readonly version: number;
  readonly policy: string;
  readonly hashAlgorithm: DigestAlgorithm | null;
  readonly hashAlgorithmOid: string;
  readonly messageImprint: Uint8Array;
  /** Serial number, lower-case hex. */
  readonly serialNumber: string;
  readonly genTime: Date;
  /** Accuracy in milliseconds (seconds, millis and micros summed), or null when absent. */
  readonly accuracyMs: number | null;
  readonly ordering: boolean;
  /** Nonce as unsigned big-endian bytes (leading zeros trimmed), or null. */
  readonly nonce: Uint8Array | null;
}

/** Decodes the DER of a TSTInfo. */
export function parseTstInfo(der: Uint8Array): TstInfo {
  try {
    const f = children(parseOne(der));
    let i = 0;
    const version = readSmallInt(f[i++]!);
    const policy = readOid(f[i++]!);
    const [algId, hashed] = children(f[i++]!);
    const hashAlgorithmOid = readOid(children(algId!)[0]!);
    const serialNumber = toHex(trimInteger(contents(f[i++]!)));
    const genTime = readTime(f[i++]!);
    let accuracyMs: number | null = null;
    let ordering = false;
    let nonce: Uint8Array | null = null;
    for (; i < f.length; i++) {
      const t: Tlv = f[i]!;
      if (t.tag === 0x30) {
        accuracyMs = 0;
        for (const a of children(t)) {
          const v = a.tag === 0x02 ? readSmallInt(a) : bigEndian(contents(a));
          accuracyMs += a.tag === 0x02 ? v * 1000 : a.tag === 0x80 ? v : a.tag === 0x81 ? v / 1000 : 0;
        }
      } else if (t.tag === 0x01) ordering = contents(t)[0] !== 0;
      else if (t.tag === 0x02) nonce = trimInteger(contents(t));
    }
    return { version, policy, hashAlgorithm: hashFromOid(hashAlgorithmOid) ?? null, hashAlgorithmOid, messageImprint: contents(hashed!), serialNumber, genTime, accuracyMs, ordering, nonce };
  } catch (cause) {
    throw new CmsError('TSP_MALFORMED', 'The time-stamp token does not hold a readable TSTInfo (RFC 3161 §2.4.2).', { cause });
  }
}

function bigEndian(b: Uint8Array): number {
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

/** Options of {@link verifyTimeStampToken}. */
export interface VerifyTimeStampTokenOptions {
  /** The time-stamped data (hashed with the token's algorithm) ... */
  readonly data?: Content;
  /** ... or its hash, computed with the token's hash algorithm. */
  readonly imprint?: Uint8Array;
  /** The nonce sent in the request, to check the answer is for it. */
  readonly nonce?: Uint8Array;
  /** Trust anchors for the TSA certificate chain. */
  readonly trustAnchors?: readonly Uint8Array[];
  readonly extraCertificates?: readonly Uint8Array[];
  /** Validation time of the TSA chain walk (default: the token's genTime). */
  readonly time?: Date;
  readonly clock?: Clock;
}

/** The frozen report of {@link verifyTimeStampToken}. */
export interface TimeStampTokenVerification {
  readonly indication: Indication;
  readonly subIndication: SubIndication | null;
  /** CMS signature intact, TSA EKU right, imprint (and nonce, when given) matching. */
  readonly valid: boolean;
  readonly tstInfo: TstInfo | null;
  readonly genTime: Date | null;
  readonly messageImprintOk: boolean | 'not-checked';
  readonly nonceOk: boolean | 'not-checked';
  /** The TSA certificate has exactly id-kp-timeStamping, marked critical (RFC 3161 §2.3). */
  readonly tsaEkuOk: boolean;
  readonly tsaCertificate: Uint8Array | null;
  readonly tsaSubject: string | null;
  /** The CMS-level report of the token's SignedData. */
  readonly signature: CadesVerification;
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

/**
 * Verifies an RFC 3161 TimeStampToken (a ContentInfo/SignedData over a TSTInfo). Never throws for
 * a token that fails; throws `CmsError` for bytes that are not a token.
 *
 * @example
 * ```ts
 * const r = await verifyTimeStampToken(token, { imprint: sha256OfSignature, trustAnchors: [tsaRoot] });
 * r.valid; r.genTime;
 * ```
 */
export async function verifyTimeStampToken(token: Uint8Array, options: VerifyTimeStampTokenOptions = {}): Promise<TimeStampTokenVerification> {
  // First pass without anchors to read genTime, then the chain at genTime (RFC 3161 §4 step 2).
  const cms = await verifyCades(token, { ...(options.extraCertificates ? { extraCertificates: options.extraCertificates } : {}) });
  if (cms.contentType !== OID.tstInfo || !cms.encapsulatedContent) {
    throw new CmsError('TSP_NOT_A_TOKEN', `This CMS signature is not a time-stamp token: its content type is ${cms.contentType}, not id-ct-TSTInfo.`);
  }
  const tst = parseTstInfo(cms.encapsulatedContent);
  let signature = cms;
  if (options.trustAnchors?.length) {
    signature = await verifyCades(token, {
      trustAnchors: options.trustAnchors,
      time: options.time ?? tst.genTime,
      ...(options.extraCertificates ? { extraCertificates: options.extraCertificates } : {}),
    });
  }
  const errors = [...signature.errors];
  const warnings = [...signature.warnings];
  if (tst.version !== 1) warnings.push(`TSTInfo version ${tst.version} (expected 1)`);

  let tsaEkuOk = false;
  if (signature.signerCertificate) {
    const eku = parseCertificate(signature.signerCertificate).extendedKeyUsage;
    tsaEkuOk = !!eku && eku.critical && eku.purposes.length === 1 && eku.purposes[0] === ID_KP_TIME_STAMPING;
    if (!tsaEkuOk) errors.push('the TSA certificate does not have the critical extended key usage id-kp-timeStamping alone (RFC 3161 §2.3)');
  }

  let messageImprintOk: boolean | 'not-checked' = 'not-checked';
  let expected: Uint8Array | undefined = options.imprint;
  if (!expected && options.data !== undefined) {
    if (!tst.hashAlgorithm) errors.push(`the token's hash algorithm ${tst.hashAlgorithmOid} is not supported`);
    else expected = await digestContent(options.data, tst.hashAlgorithm);
  }
  if (expected) {
    messageImprintOk = bytesEqual(expected, tst.messageImprint);
    if (!messageImprintOk) errors.push('the time-stamp is for other data: its message imprint does not match');
  } else warnings.push('the message imprint was not checked (no data or imprint given)');
  if (tst.hashAlgorithm === 'SHA-1') warnings.push('the time-stamp imprint uses SHA-1, which is weak');

  let nonceOk: boolean | 'not-checked' = 'not-checked';
  if (options.nonce) {
    nonceOk = !!tst.nonce && bytesEqual(trimInteger(options.nonce), tst.nonce);
    if (!nonceOk) errors.push('the time-stamp nonce does not match the request');
  }

  let indication = signature.indication;
  let subIndication = signature.subIndication;
  if (signature.intact && (messageImprintOk === false || nonceOk === false)) [indication, subIndication] = ['TOTAL-FAILED', 'HASH_FAILURE'];
  else if (signature.intact && !tsaEkuOk) [indication, subIndication] = ['INDETERMINATE', 'CERTIFICATE_CHAIN_GENERAL_FAILURE'];
  const valid = signature.intact && tsaEkuOk && messageImprintOk !== false && nonceOk !== false;
  return Object.freeze({
    indication,
    subIndication,
    valid,
    tstInfo: Object.freeze(tst),
    genTime: tst.genTime,
    messageImprintOk,
    nonceOk,
    tsaEkuOk,
    tsaCertificate: signature.signerCertificate,
    tsaSubject: signature.signerSubject,
    signature,
    errors: Object.freeze(errors),
    warnings: Object.freeze(warnings),
  });
}
