/**
 * CAdES baseline B-B signing (ETSI EN 319 122-1 §6.3), detached: a CMS SignedData (RFC 5652 §5)
 * whose SignerInfo signs content-type, message-digest, signing-certificate-v2 and, unless
 * disabled, signing-time. Staged: {@link prepareCades} → sign the digest anywhere →
 * {@link finishCades}; {@link signCades} does both with a {@link Signer}.
 */
import { fromBase64, systemClock, toBase64, type Clock } from '@kyso/core';
import { ctx, intNum, octets, oid, seq, setOf, tlv } from '../asn1/der.js';
import {
  assertSigningAlgorithm,
  digestAlgorithmIdentifier,
  HASH_LENGTH,
  OID,
  signatureAlgorithmIdentifier,
  type HashAlgorithm,
  type SignatureAlgorithm,
} from '../algorithms.js';
import { parseCertificate, verifyWithCertificate } from '../certificate.js';
import { digestBytes, digestContent, type Content, type DigestEngine } from '../digest/digest-engine.js';
import { CmsError, SignerError } from '../errors.js';
import { CURVE_SIZE, ecdsaRawToDer, looksLikeDerEcdsa } from '../signer/ecdsa.js';
import type { Signer, SigningIdentity } from '../signer/signer.js';
import {
  commitmentTypeAttribute,
  contentTypeAttribute,
  encodeAttribute,
  messageDigestAttribute,
  signingCertificateV2Attribute,
  signingTimeAttribute,
  type CmsAttribute,
  type CommitmentType,
} from './attributes.js';

/** Options common to {@link signCades} and {@link prepareCades}. */
export interface CadesOptions {
  /** What is signed: bytes, a stream of chunks (hashed as they come), or `{ digest }` computed elsewhere. */
  readonly content: Content;
  /** Hash of the content (message-digest); default the signature algorithm's hash. */
  readonly digestAlgorithm?: HashAlgorithm;
  /** The signing-time attribute: a date, or `false` to omit it (PAdES puts the time in /M). Default: now. */
  readonly signingTime?: Date | false;
  /** Where "now" comes from when `signingTime` is not given. */
  readonly clock?: Clock;
  /** commitment-type-indication, e.g. `'proofOfApproval'` or an OID. */
  readonly commitmentType?: CommitmentType;
  /** eContentType (and content-type attribute); default id-data. */
  readonly contentType?: string;
  /** More signed attributes to include (type + DER values). */
  readonly signedAttributes?: readonly CmsAttribute[];
  /** Unsigned attributes to attach (e.g. a signature-time-stamp token). */
  readonly unsignedAttributes?: readonly CmsAttribute[];
  /** Incremental hash for streamed content; default `@noble/hashes` (Node: `nodeDigestEngine`). */
  readonly digestEngine?: DigestEngine;
}

/** Options of {@link signCades}. */
export interface SignCadesOptions extends CadesOptions {
  readonly signer: Signer;
}

/** Options of {@link prepareCades}: the signer's identity without its key. */
export interface PrepareCadesOptions extends CadesOptions {
  readonly signer: SigningIdentity;
}

/**
 * Everything needed to finish a signature later, in plain JSON types (base64 strings), so it can
 * be stored or sent to another process while the key signs.
 */
export interface PreparedCadesState {
  readonly version: 1;
  /** Signer certificate then chain, base64 DER. */
  readonly certificates: readonly string[];
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly digestAlgorithm: HashAlgorithm;
  readonly eContentType: string;
  /** DER of the SignedAttributes SET (tag 0x31), base64: exactly what is signed. */
  readonly signedAttributes: string;
  /** Unsigned attributes, each an Attribute DER in base64. */
  readonly unsignedAttributes: readonly string[];
}

/** What {@link prepareCades} returns. */
export interface PreparedCades {
  /** DER of the signed attributes: what `Signer.sign` receives. */
  readonly toBeSigned: Uint8Array;
  /** Hash of `toBeSigned` with the signature algorithm's hash: what a digest-signing device signs. */
  readonly digestToSign: Uint8Array;
  /** Serialisable state for {@link finishCades}. */
  readonly state: PreparedCadesState;
}

/**
 * First half of staged signing: hashes the content and builds the signed attributes.
 * Nothing here needs the private key.
 *
 * @example
 * ```ts
 * const { digestToSign, state } = await prepareCades({ signer: { certificate, chain, signatureAlgorithm }, content });
 * const sig = await remoteService.signHash(digestToSign);   // minutes later, elsewhere
 * const p7s = await finishCades(JSON.parse(JSON.stringify(state)), sig);
 * ```
 */
export async function prepareCades(options: PrepareCadesOptions): Promise<PreparedCades> {
  const { signer } = options;
  if (!signer || !(signer.certificate instanceof Uint8Array)) {
    throw new CmsError('CMS_BAD_OPTIONS', 'signer.certificate (DER bytes) is required.');
  }
  assertSigningAlgorithm(signer.signatureAlgorithm);
  const cert = parseCertificate(signer.certificate);
  const digestAlgorithm = options.digestAlgorithm ?? (signer.signatureAlgorithm.hash as HashAlgorithm);
  assertSigningAlgorithm({ ...signer.signatureAlgorithm, hash: digestAlgorithm });
  if (options.content === undefined || options.content === null) {
    throw new CmsError('CMS_BAD_OPTIONS', 'content is required: bytes, an async iterable of chunks, or { digest }.');
  }
  const messageDigest = await digestContent(options.content, digestAlgorithm, options.digestEngine);
  if (messageDigest.length !== HASH_LENGTH[digestAlgorithm]) {
    throw new CmsError('CMS_BAD_OPTIONS', `The given digest has ${messageDigest.length} bytes; a ${digestAlgorithm} digest has ${HASH_LENGTH[digestAlgorithm]}.`);
  }
  const eContentType = options.contentType ?? OID.data;
  const attrs: CmsAttribute[] = [contentTypeAttribute(eContentType)];
  if (options.signingTime !== false) attrs.push(signingTimeAttribute(options.signingTime ?? (options.clock ?? systemClock).now()));
  attrs.push(messageDigestAttribute(messageDigest));
  attrs.push(await signingCertificateV2Attribute(cert));
  if (options.commitmentType !== undefined) attrs.push(commitmentTypeAttribute(options.commitmentType));
  for (const a of options.signedAttributes ?? []) {
    if (attrs.some((b) => b.type === a.type)) throw new CmsError('CMS_BAD_OPTIONS', `The signed attribute ${a.type} is set by kyso already; do not pass it in signedAttributes.`);
    attrs.push(a);
  }
  // SignedAttributes is a SET OF: DER order, and the SET tag is what gets signed (RFC 5652 §5.4).
  const toBeSigned = setOf(attrs.map(encodeAttribute));
  const digestToSign = await digestBytes(signer.signatureAlgorithm.hash, toBeSigned);
  const state: PreparedCadesState = Object.freeze({
    version: 1,
    certificates: Object.freeze([signer.certificate, ...(signer.chain ?? [])].map(toBase64)),
    signatureAlgorithm: Object.freeze({ ...signer.signatureAlgorithm }),
    digestAlgorithm,
    eContentType,
    signedAttributes: toBase64(toBeSigned),
    unsignedAttributes: Object.freeze((options.unsignedAttributes ?? []).map((a) => toBase64(encodeAttribute(a)))),
  });
  return Object.freeze({ toBeSigned, digestToSign, state });
}

/** Options of {@link finishCades}. */
export interface FinishCadesOptions {
  /** Verify the signature value against the certificate before assembling (default true). */
  readonly verify?: boolean;
}

/**
 * Second half of staged signing: wraps the signature value into the SignedData and returns the
 * DER ContentInfo (a detached .p7s). ECDSA values may be DER or raw r‖s. By default the value is
 * checked against the certificate first, so a wrong key or a corrupted transfer fails here
 * (`SignerError` `SIGNATURE_MISMATCH`) rather than at the verifier.
 */
export async function finishCades(state: PreparedCadesState, signatureValue: Uint8Array, options: FinishCadesOptions = {}): Promise<Uint8Array> {
  if (
    !state ||
    state.version !== 1 ||
    !Array.isArray(state.certificates) ||
    state.certificates.length === 0 ||
    !state.certificates.every((c) => typeof c === 'string') ||
    typeof state.signedAttributes !== 'string' ||
    !state.signatureAlgorithm ||
    !state.digestAlgorithm
  ) {
    throw new CmsError('CMS_BAD_STATE', 'This is not a prepared CAdES state from prepareCades (version 1); prepare the signature again.');
  }
  if (!(signatureValue instanceof Uint8Array) || signatureValue.length === 0) {
    throw new CmsError('CMS_BAD_OPTIONS', 'The signature value is empty; pass the bytes the key returned.');
  }
  const certs = state.certificates.map(fromBase64);
  const leaf = parseCertificate(certs[0]!);
  const alg = state.signatureAlgorithm;
  const signedAttrs = fromBase64(state.signedAttributes);
  let sig = signatureValue;
  if (alg.name === 'ECDSA' && !looksLikeDerEcdsa(sig, CURVE_SIZE[leaf.namedCurve ?? 'P-256'])) sig = ecdsaRawToDer(sig);
  if (options.verify !== false) {
    if (!(await verifyWithCertificate(leaf, alg, sig, signedAttrs))) {
      throw new SignerError('SIGNATURE_MISMATCH', 'The signature value does not verify with the signer certificate: the key that signed is not the certificate\'s, or the digest signed was not the prepared one.');
    }
  }
  const signedAttrsImplicit = new Uint8Array(signedAttrs);
  signedAttrsImplicit[0] = 0xa0; // [0] IMPLICIT SET OF Attribute (RFC 5652 §5.3)
  const unsigned = (state.unsignedAttributes ?? []).map(fromBase64);
  const signerInfo = seq(
    intNum(1), // version 1: sid is issuerAndSerialNumber (RFC 5652 §5.3)
    seq(leaf.issuer, leaf.serialNumber),
    digestAlgorithmIdentifier(state.digestAlgorithm),
    signedAttrsImplicit,
    signatureAlgorithmIdentifier(alg),
    octets(sig),
    // Unsigned attributes keep the caller's order (archive time-stamps depend on it, EN 319 122-1 §5.5.3).
    ...(unsigned.length ? [tlv(0xa1, ...unsigned)] : []),
  );
  const signedData = seq(
    intNum(state.eContentType === OID.data ? 1 : 3), // RFC 5652 §5.1
    setOf([digestAlgorithmIdentifier(state.digestAlgorithm)]),
    seq(oid(state.eContentType)), // detached: no eContent
    tlv(0xa0, ...certs), // [0] IMPLICIT CertificateSet, copied verbatim
    setOf([signerInfo]),
  );
  return seq(oid(OID.signedData), ctx(0, signedData));
}

/**
 * Signs `content` with `signer` and returns a detached CAdES B-B signature (DER ContentInfo
 * holding a SignedData), ready to save as `.p7s`. Verifies in `openssl cms -verify -binary
 * -content FILE -CAfile ROOT`.
 *
 * @example
 * ```ts
 * const signer = await signerFromPkcs12(p12Bytes, password);
 * const p7s = await signCades({ signer, content: fileBytes });
 * ```
 */
export async function signCades(options: SignCadesOptions): Promise<Uint8Array> {
  if (!options.signer || typeof options.signer.sign !== 'function') {
    throw new CmsError('CMS_BAD_OPTIONS', 'signer must be a Signer (from signerFromPkcs12, signerFromPem, signerFromCryptoKey or externalSigner).');
  }
  const { toBeSigned, state } = await prepareCades(options);
  const sig = await options.signer.sign(toBeSigned);
  return finishCades(state, sig);
}

