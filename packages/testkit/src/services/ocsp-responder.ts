import * as asn1js from 'asn1js';
import { sha1 } from '@noble/hashes/legacy.js';
import { systemClock, toHex, type Clock } from '@kyso/core';
import { digest } from '../internal/cms.js';
import { bits, der, explicit, generalizedTime, octets, oid, raw, seq } from '../internal/der.js';
import { OID } from '../internal/oids.js';
import { spkiPublicKeyBits } from '../keys/key-pair.js';
import { identityKey, identitySubjectDer, type TestIdentity, type TestPki } from '../pki.js';
import { CRL_REASON_CODES, type CrlReason } from '../x509/crl.js';

/** A revoked certificate as the OCSP responder sees it: by identity or by serial number (hex). */
export interface OcspRevocation {
  readonly identity?: TestIdentity;
  readonly serialNumber?: string;
  readonly revokedAt: Date;
  readonly reason?: CrlReason;
}

/** Options of {@link createOcspResponder}. */
export interface OcspResponderOptions {
  /** Take issuer, responder and revocations from a PKI (its government CA and OCSP responder). */
  readonly pki?: TestPki;
  /** The CA whose certificates it answers for (default `pki.governmentCa`). */
  readonly issuer?: TestIdentity;
  /** Who signs the responses (default `pki.ocspResponder`, else the issuer itself). */
  readonly responder?: TestIdentity;
  /** Revoked certificates (default: the PKI's revocations by this issuer, read at each request). */
  readonly revoked?: readonly OcspRevocation[];
  /**
   * Certificates that exist: their serial numbers answer "good" unless revoked, other serial
   * numbers "unknown". Default: every serial number not revoked is "good".
   */
  readonly known?: readonly TestIdentity[];
  /** producedAt / thisUpdate come from it (default: the system clock). */
  readonly clock?: Clock;
  /** nextUpdate − thisUpdate in seconds (default one day); 0 leaves nextUpdate out. */
  readonly validitySeconds?: number;
  /** ResponderID form (RFC 6960 §4.2.1), default `byKey`. */
  readonly responderId?: 'byKey' | 'byName';
}

/** An in-process OCSP responder (RFC 6960). */
export interface OcspResponder {
  /** The DER OCSPResponse for a DER OCSPRequest (malformed requests get `malformedRequest`). */
  respond(request: Uint8Array): Promise<Uint8Array>;
  /** How many successful responses it has signed. */
  readonly answered: number;
}

/** OCSPResponseStatus (RFC 6960 §4.2.1). */
const STATUS = { successful: 0, malformedRequest: 1, internalError: 2, tryLater: 3, sigRequired: 5, unauthorized: 6 } as const;

const HASHES: Record<string, string> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/** An OCSPResponse with only a status (RFC 6960 §4.2.1: no responseBytes unless successful). */
export function ocspErrorResponse(status: Exclude<keyof typeof STATUS, 'successful'>): Uint8Array {
  return der(seq(new asn1js.Enumerated({ value: STATUS[status] })));
}

const normSerial = (hex: string): string => hex.toLowerCase().replace(/^(00)+(?=.)/, '');

interface ParsedRequest {
  readonly certIds: { der: Uint8Array; hashOid: string; nameHash: Uint8Array; keyHash: Uint8Array; serial: string }[];
  readonly nonceExtension: Uint8Array | undefined;
}

class Malformed extends Error {}

// OCSPRequest (RFC 6960 §4.1.1).
function parseRequest(request: Uint8Array): ParsedRequest {
  const parsed = asn1js.fromBER(request);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) throw new Malformed('not DER');
  const tbs = parsed.result.valueBlock.value[0];
  if (!(tbs instanceof asn1js.Sequence)) throw new Malformed('no tbsRequest');
  const certIds: ParsedRequest['certIds'] = [];
  let nonceExtension: Uint8Array | undefined;
  for (const item of tbs.valueBlock.value) {
    if (item instanceof asn1js.Sequence && item.idBlock.tagClass === 1) {
      for (const req of item.valueBlock.value) {
        const certId = (req as asn1js.Sequence).valueBlock?.value?.[0];
        if (!(certId instanceof asn1js.Sequence)) throw new Malformed('bad Request');
        const [alg, nameHash, keyHash, serial] = certId.valueBlock.value;
        const algOid = alg instanceof asn1js.Sequence ? alg.valueBlock.value[0] : undefined;
        if (
          !(algOid instanceof asn1js.ObjectIdentifier) ||
          !(nameHash instanceof asn1js.OctetString) ||
          !(keyHash instanceof asn1js.OctetString) ||
          !(serial instanceof asn1js.Integer)
        ) {
          throw new Malformed('bad CertID');
        }
        certIds.push({
          der: der(certId),
          hashOid: algOid.valueBlock.toString(),
          nameHash: new Uint8Array(nameHash.valueBlock.valueHexView),
          keyHash: new Uint8Array(keyHash.valueBlock.valueHexView),
          serial: normSerial(toHex(new Uint8Array(serial.valueBlock.valueHexView))),
        });
      }
    } else if (item.idBlock.tagClass === 3 && item.idBlock.tagNumber === 2) {
      // requestExtensions [2] EXPLICIT Extensions: echo the nonce (RFC 8954 §2.1).
      const exts = (item as asn1js.Constructed).valueBlock.value[0];
      for (const ext of exts instanceof asn1js.Sequence ? exts.valueBlock.value : []) {
        const id = (ext as asn1js.Sequence).valueBlock.value[0];
        if (id instanceof asn1js.ObjectIdentifier && id.valueBlock.toString() === OID.ocspNonce) nonceExtension = der(ext);
      }
    }
  }
  if (certIds.length === 0) throw new Malformed('empty requestList');
  return { certIds, nonceExtension };
}

const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Makes an in-process OCSP responder for one CA: BasicOCSPResponse signed by the responder
 * (delegated, with its certificate embedded, RFC 6960 §4.2.2.2), one SingleResponse per
 * request entry (good / revoked with reason / unknown), and the request's nonce echoed.
 */
export function createOcspResponder(options: OcspResponderOptions): OcspResponder {
  const pki = options.pki;
  const issuer = options.issuer ?? pki?.governmentCa;
  if (!issuer) throw new TypeError('createOcspResponder: give `issuer` or `pki`.');
  const responder = options.responder ?? (pki && issuer === pki.governmentCa ? pki.ocspResponder : issuer);
  const responderKey = identityKey(responder);
  const clock = options.clock ?? systemClock;
  const validity = options.validitySeconds ?? 86_400;
  const known = options.known ? new Set(options.known.map((k) => normSerial(k.serialNumber))) : undefined;
  const issuerName = identitySubjectDer(issuer);
  const issuerKeyBits = spkiPublicKeyBits(identityKey(issuer).spki);
  const hashCache = new Map<string, Promise<{ name: Uint8Array; key: Uint8Array }>>();
  let answered = 0;

  const revocations = (): Map<string, OcspRevocation> => {
    const list: readonly OcspRevocation[] =
      options.revoked ?? (pki ? pki.revocations.filter((r) => r.issuer === issuer) : []);
    const m = new Map<string, OcspRevocation>();
    for (const r of list) {
      const serial = r.serialNumber ?? r.identity?.serialNumber;
      if (serial) m.set(normSerial(serial), r);
    }
    return m;
  };

  const issuerHashes = (hashOid: string) => {
    let p = hashCache.get(hashOid);
    if (!p) {
      const h = HASHES[hashOid]!;
      p = Promise.all([digest(h, issuerName), digest(h, issuerKeyBits)]).then(([name, key]) => ({ name, key }));
      hashCache.set(hashOid, p);
    }
    return p;
  };

  async function respond(request: Uint8Array): Promise<Uint8Array> {
    let req: ParsedRequest;
    try {
      req = parseRequest(request);
    } catch {
      return ocspErrorResponse('malformedRequest');
    }
    const now = clock.now();
    const revoked = revocations();
    const singles: asn1js.AsnType[] = [];
    for (const id of req.certIds) {
      let status: asn1js.AsnType = implicitNull(2); // unknown
      if (HASHES[id.hashOid]) {
        const h = await issuerHashes(id.hashOid);
        if (equal(h.name, id.nameHash) && equal(h.key, id.keyHash)) {
          const r = revoked.get(id.serial);
          if (r) {
            const info: asn1js.AsnType[] = [generalizedTime(r.revokedAt)];
            if (r.reason) info.push(explicit(0, new asn1js.Enumerated({ value: CRL_REASON_CODES[r.reason] })));
            status = new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: info });
          } else if (!known || known.has(id.serial)) {
            status = implicitNull(0); // good
          }
        }
      }
      const single: asn1js.AsnType[] = [raw(id.der), status, generalizedTime(now)];
      if (validity > 0) single.push(explicit(0, generalizedTime(new Date(now.getTime() + validity * 1000))));
      singles.push(seq(...single));
    }
    const responderId =
      options.responderId === 'byName'
        ? explicit(1, raw(identitySubjectDer(responder)))
        : explicit(2, octets(sha1(spkiPublicKeyBits(responderKey.spki))));
    const tbsItems: asn1js.AsnType[] = [responderId, generalizedTime(now), seq(...singles)];
    if (req.nonceExtension) tbsItems.push(explicit(1, seq(raw(req.nonceExtension))));
    const tbs = der(seq(...tbsItems));
    const signature = await responderKey.sign(tbs);
    const certs = responder === issuer ? [] : [responder.certificate];
    const basicItems: asn1js.AsnType[] = [raw(tbs), raw(responderKey.signatureAlgorithm), bits(signature)];
    if (certs.length) basicItems.push(explicit(0, seq(...certs.map(raw))));
    const basic = der(seq(...basicItems));
    answered++;
    return der(seq(new asn1js.Enumerated({ value: STATUS.successful }), explicit(0, seq(oid(OID.ocspBasic), octets(basic)))));
  }

  return {
    respond,
    get answered() {
      return answered;
    },
  };
}

/** `[n] IMPLICIT NULL`. */
function implicitNull(n: number): asn1js.Primitive {
  return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: n }, valueHex: new Uint8Array(0) });
}
