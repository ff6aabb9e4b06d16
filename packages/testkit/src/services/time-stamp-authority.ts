import * as asn1js from 'asn1js';
import { systemClock, type Clock } from '@kyso/core';
import { buildSignedData, signingCertificateV2 } from '../internal/cms.js';
import { bigInt, bits, der, explicit, generalizedTime, int, oid, raw, seq, utf8String } from '../internal/der.js';
import { OID } from '../internal/oids.js';
import { identityKey, identitySubjectDer, type TestIdentity } from '../pki.js';

/** The TSA policy the testkit's TSA uses unless told otherwise (a test OID under 2.999). */
export const TEST_TSA_POLICY = '2.999.84.2';

/** Options of {@link createTimeStampAuthority}. */
export interface TimeStampAuthorityOptions {
  /** The TSA identity (its certificate must have the critical timeStamping EKU). */
  readonly tsa: TestIdentity;
  /** Source of genTime (default: the system clock). */
  readonly clock?: Clock;
  /** TSA policy OID put in every TSTInfo; requests asking for another policy are rejected. */
  readonly policy?: string;
  /** accuracy of TSTInfo (default one second); `null` leaves it out. */
  readonly accuracy?: { readonly seconds?: number; readonly millis?: number; readonly micros?: number } | null;
  /** First serial number (default 1); each token takes the next. */
  readonly firstSerialNumber?: bigint;
  /** With certReq, also embed the TSA's issuer chain (default: only the TSA certificate). */
  readonly includeChain?: boolean;
}

/** An in-process RFC 3161 time-stamping authority. */
export interface TimeStampAuthority {
  /** The DER TimeStampResp for a DER TimeStampReq (never throws; bad requests get a rejection). */
  respond(request: Uint8Array): Promise<Uint8Array>;
  /** How many tokens it has granted. */
  readonly granted: number;
  readonly policy: string;
}

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
export type TsaFailure = 'badAlg' | 'badRequest' | 'badDataFormat' | 'unacceptedPolicy' | 'unacceptedExtension' | 'systemFailure';
const FAILURE_BITS: Record<TsaFailure, number> = {
  badAlg: 0,
  badRequest: 2,
  badDataFormat: 5,
  unacceptedPolicy: 15,
  unacceptedExtension: 16,
  systemFailure: 25,
};

const HASH_LENGTHS: Record<string, number> = {
  [OID.sha1]: 20,
  [OID.sha256]: 32,
  [OID.sha384]: 48,
  [OID.sha512]: 64,
};

/** A DER named BIT STRING with only bit `n` set (X.690 §11.2.2: no trailing zero bits). */
function namedBit(n: number): asn1js.BitString {
  const bytes = new Uint8Array((n >> 3) + 1);
  bytes[n >> 3] = 0x80 >> (n & 7);
  return bits(bytes, 7 - (n & 7));
}

/** A rejected TimeStampResp (RFC 3161 §2.4.2: status rejection with statusString and failInfo). */
export function timeStampRejection(failure: TsaFailure, text: string): Uint8Array {
  return der(seq(seq(int(2), seq(utf8String(text)), namedBit(FAILURE_BITS[failure]))));
}

class RequestError extends Error {
  constructor(
    readonly failure: TsaFailure,
    message: string,
  ) {
    super(message);
  }
}

interface ParsedRequest {
  readonly messageImprint: Uint8Array;
  readonly policy: string | undefined;
  readonly nonce: Uint8Array | undefined;
  readonly certReq: boolean;
}

// TimeStampReq (RFC 3161 §2.4.1).
function parseRequest(request: Uint8Array): ParsedRequest {
  const parsed = asn1js.fromBER(request);
  if (parsed.offset === -1 || parsed.offset !== request.length || !(parsed.result instanceof asn1js.Sequence)) {
    throw new RequestError('badDataFormat', 'The request is not a DER TimeStampReq.');
  }
  const items = parsed.result.valueBlock.value;
  const version = items[0];
  if (!(version instanceof asn1js.Integer) || version.valueBlock.valueDec !== 1) {
    throw new RequestError('badRequest', 'TimeStampReq version must be 1.');
  }
  const mi = items[1];
  if (!(mi instanceof asn1js.Sequence)) throw new RequestError('badDataFormat', 'messageImprint is missing.');
  const [algId, hashed] = mi.valueBlock.value;
  const algOid = algId instanceof asn1js.Sequence ? algId.valueBlock.value[0] : undefined;
  if (!(algOid instanceof asn1js.ObjectIdentifier) || !(hashed instanceof asn1js.OctetString)) {
    throw new RequestError('badDataFormat', 'messageImprint is malformed.');
  }
  const expected = HASH_LENGTHS[algOid.valueBlock.toString()];
  if (expected === undefined) throw new RequestError('badAlg', `Hash algorithm ${algOid.valueBlock.toString()} is not supported; use SHA-256, SHA-384 or SHA-512.`);
  if (hashed.valueBlock.valueHexView.length !== expected) throw new RequestError('badDataFormat', 'hashedMessage has the wrong length for its algorithm.');
  let policy: string | undefined;
  let nonce: Uint8Array | undefined;
  let certReq = false;
  for (const item of items.slice(2)) {
    if (item instanceof asn1js.ObjectIdentifier) policy = item.valueBlock.toString();
    else if (item instanceof asn1js.Integer) nonce = der(item);
    else if (item instanceof asn1js.Boolean) certReq = item.valueBlock.value;
    else if (item.idBlock.tagClass === 3 && item.idBlock.tagNumber === 0) {
      throw new RequestError('unacceptedExtension', 'This TSA accepts no request extensions.');
    }
  }
  return { messageImprint: der(mi), policy, nonce, certReq };
}

/**
 * Makes an in-process RFC 3161 TSA: TSTInfo with policy, messageImprint, serial number, genTime,
 * accuracy, the request's nonce and the TSA name, in a SignedData signed by the TSA key with
 * signed attributes content-type, message-digest and signing-certificate-v2 (RFC 5816).
 */
export function createTimeStampAuthority(options: TimeStampAuthorityOptions): TimeStampAuthority {
  const tsa = options.tsa;
  const key = identityKey(tsa);
  const clock = options.clock ?? systemClock;
  const policy = options.policy ?? TEST_TSA_POLICY;
  const accuracy = options.accuracy === undefined ? { seconds: 1 } : options.accuracy;
  let serial = options.firstSerialNumber ?? 1n;
  let granted = 0;
  let signingCertAttr: Promise<Uint8Array> | undefined;

  async function grant(req: ParsedRequest): Promise<Uint8Array> {
    const tstItems: asn1js.AsnType[] = [int(1), oid(policy), raw(req.messageImprint), bigInt(serial++), generalizedTime(clock.now())];
    if (accuracy) {
      // Accuracy ::= SEQUENCE { seconds INTEGER OPTIONAL, millis [0] IMPLICIT, micros [1] IMPLICIT }
      const acc: asn1js.AsnType[] = [];
      if (accuracy.seconds) acc.push(int(accuracy.seconds));
      if (accuracy.millis) acc.push(new asn1js.Integer({ value: accuracy.millis, idBlock: { tagClass: 3, tagNumber: 0 } }));
      if (accuracy.micros) acc.push(new asn1js.Integer({ value: accuracy.micros, idBlock: { tagClass: 3, tagNumber: 1 } }));
      tstItems.push(seq(...acc));
    }
    if (req.nonce) tstItems.push(raw(req.nonce));
    tstItems.push(explicit(0, explicit(4, raw(identitySubjectDer(tsa)))));
    const tstInfo = der(seq(...tstItems));
    signingCertAttr ??= signingCertificateV2(tsa.certificate);
    const token = await buildSignedData({
      eContentType: OID.tstInfo,
      eContent: tstInfo,
      signerKey: key,
      signerCertificate: tsa.certificate,
      certificates: req.certReq ? [tsa.certificate, ...(options.includeChain ? tsa.chain : [])] : [],
      extraSignedAttributes: [await signingCertAttr],
    });
    granted++;
    return der(seq(seq(int(0)), raw(token)));
  }

  return {
    async respond(request: Uint8Array): Promise<Uint8Array> {
      try {
        const req = parseRequest(request);
        if (req.policy !== undefined && req.policy !== policy) {
          return timeStampRejection('unacceptedPolicy', `This TSA only issues under policy ${policy}.`);
        }
        return await grant(req);
      } catch (e) {
        if (e instanceof RequestError) return timeStampRejection(e.failure, e.message);
        return timeStampRejection('systemFailure', e instanceof Error ? e.message : String(e));
      }
    },
    get granted() {
      return granted;
    },
    policy,
  };
}
