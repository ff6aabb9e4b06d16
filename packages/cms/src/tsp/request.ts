/**
 * RFC 3161 time-stamp requests and responses (§2.4.1, §2.4.2).
 */
import { children, contents, derNull, intNum, intUnsigned, octets, oid, parseOne, raw, readSmallInt, seq, type Tlv } from '../asn1/der.js';
import { hashOid, HASH_LENGTH, type HashAlgorithm } from '../algorithms.js';
import { digestBytes } from '../digest/digest-engine.js';
import { CmsError } from '../errors.js';

/** Options of {@link buildTimeStampRequest}. */
export interface TimeStampRequestOptions {
  /** The hash to time-stamp (already computed with `hashAlgorithm`). */
  readonly imprint: Uint8Array;
  /** Default SHA-256. */
  readonly hashAlgorithm?: HashAlgorithm;
  /** Nonce bytes (a positive INTEGER is made of them); `false` for none; default 8 random bytes. */
  readonly nonce?: Uint8Array | false;
  /** Ask the TSA to include its certificate (default true: the token then verifies on its own). */
  readonly certReq?: boolean;
  /** TSA policy OID to ask for. */
  readonly policy?: string;
}

/** A DER TimeStampReq and the nonce it carries (to check the answer against). */
export interface TimeStampRequest {
  readonly der: Uint8Array;
  readonly imprint: Uint8Array;
  readonly hashAlgorithm: HashAlgorithm;
  /** The nonce as unsigned big-endian bytes without leading zeros, or null. */
  readonly nonce: Uint8Array | null;
  readonly certReq: boolean;
  readonly policy: string | null;
}

/** Strips leading zero octets (INTEGER magnitudes compare by value). */
export function trimInteger(b: Uint8Array): Uint8Array {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  return b.subarray(i);
}

/** Builds a TimeStampReq (RFC 3161 §2.4.1). */
export function buildTimeStampRequest(options: TimeStampRequestOptions): TimeStampRequest {
  const hashAlgorithm = options.hashAlgorithm ?? 'SHA-256';
  if (!(options.imprint instanceof Uint8Array) || options.imprint.length !== HASH_LENGTH[hashAlgorithm]) {
    throw new CmsError('TSP_BAD_REQUEST', `The message imprint must be a ${hashAlgorithm} digest of ${HASH_LENGTH[hashAlgorithm]} bytes.`);
  }
  let nonce: Uint8Array | null = null;
  if (options.nonce !== false) {
    const n = options.nonce ?? globalThis.crypto.getRandomValues(new Uint8Array(8));
    nonce = trimInteger(n);
  }
  const certReq = options.certReq ?? true;
  const parts = [intNum(1), seq(seq(oid(hashOid(hashAlgorithm)), derNull()), octets(options.imprint))];
  if (options.policy) parts.push(oid(options.policy));
  if (nonce) parts.push(intUnsigned(nonce));
  if (certReq) parts.push(Uint8Array.of(0x01, 0x01, 0xff)); // DEFAULT FALSE: only encoded when true
  return Object.freeze({ der: seq(...parts), imprint: options.imprint, hashAlgorithm, nonce, certReq, policy: options.policy ?? null });
}

/** PKIStatus values (RFC 3161 §2.4.2). */
const STATUS = ['granted', 'grantedWithMods', 'rejection', 'waiting', 'revocationWarning', 'revocationNotification'];
/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
const FAILURES: Record<number, string> = { 0: 'badAlg', 2: 'badRequest', 5: 'badDataFormat', 14: 'timeNotAvailable', 15: 'unacceptedPolicy', 16: 'unacceptedExtension', 17: 'addInfoNotAvailable', 25: 'systemFailure' };

/** Parses a TimeStampResp and returns the token (ContentInfo DER); throws `TSP_REJECTED` / `TSP_BAD_RESPONSE`. */
export function parseTimeStampResponse(der: Uint8Array): Uint8Array {
  let statusInfo: Tlv[];
  let token: Tlv | undefined;
  try {
    [statusInfo, token] = ((t) => [children(t[0]!), t[1]] as const)(children(parseOne(der)));
  } catch (cause) {
    throw new CmsError('TSP_BAD_RESPONSE', 'The time-stamp server answered with something that is not an RFC 3161 TimeStampResp; check the TSA URL.', { cause });
  }
  const status = readSmallInt(statusInfo[0]!);
  if (status !== 0 && status !== 1) {
    const text: string[] = [];
    let failures: string[] = [];
    for (const f of statusInfo.slice(1)) {
      if (f.tag === 0x30) for (const s of children(f)) text.push(new TextDecoder().decode(contents(s)));
      if (f.tag === 0x03) {
        const bits = contents(f);
        failures = Object.entries(FAILURES)
          .filter(([bit]) => {
            const b = Number(bit);
            return ((bits[1 + (b >> 3)] ?? 0) >> (7 - (b & 7))) & 1;
          })
          .map(([, name]) => name);
      }
    }
    const detail = [...text, ...failures].join('; ');
    throw new CmsError('TSP_REJECTED', `The time-stamp server refused the request (${STATUS[status] ?? status}${detail ? `: ${detail}` : ''}); check the hash algorithm and policy it accepts.`);
  }
  if (!token) throw new CmsError('TSP_BAD_RESPONSE', 'The time-stamp server granted the request but sent no token.');
  return raw(token);
}

/** Hash of `data` with `alg` (WebCrypto). */
export async function hashBytes(alg: HashAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  return await digestBytes(alg, data);
}

