import { bytesEqual, fromBase64, latin1, toBase64 } from '@kyso/core';
import { addSignatureTimestamp, finishCades, prepareCades, type PreparedCadesState } from '@kyso/cms';
import { embedContents, formatByteRange, type ByteRange, type PlaceholderOffsets } from '../byterange/placeholder.js';
import { PadesError } from '../errors.js';
import { digestByteRange } from './digest-ranges.js';
import type { PreparePdfSignatureOptions } from './options.js';
import { prepareDocument } from './prepare-document.js';

/**
 * What {@link finishPdfSignature} needs besides the prepared PDF and the signature value, in plain
 * JSON types: it survives `JSON.stringify`/`JSON.parse`, a database or a queue, and can be
 * finished in another process.
 */
export interface PreparedPdfSignatureState {
  readonly version: 1;
  readonly type: 'kyso.pades.prepared';
  /** Length of the prepared PDF in bytes. */
  readonly length: number;
  readonly placeholders: PlaceholderOffsets;
  readonly byteRange: ByteRange;
  readonly fieldName: string;
  readonly subFilter: string;
  /** Base64 digest of the /ByteRange of the prepared PDF (the CMS message-digest). */
  readonly documentDigest: string;
  /** The CAdES half of the state (@kyso/cms `prepareCades`). */
  readonly cades: PreparedCadesState;
}

/** What {@link preparePdfSignature} returns. */
export interface PreparedPdfSignature {
  /** The PDF with the signature dictionary written and /Contents still empty: keep it for `finish`. */
  readonly preparedPdf: Uint8Array;
  /** The DER of the CMS signed attributes: what a `Signer.sign` (or a token signing data) signs. */
  readonly toBeSigned: Uint8Array;
  /** The hash of `toBeSigned` with the signature algorithm's hash: what a digest-signing device or remote service signs. */
  readonly digestToSign: Uint8Array;
  /** JSON-serialisable state for {@link finishPdfSignature}. */
  readonly state: PreparedPdfSignatureState;
}

/**
 * First half of staged signing (DESIGN.md decision 4): writes the signature field and
 * placeholders, hashes the /ByteRange and builds the CAdES signed attributes — no private key
 * needed. Sign `digestToSign` (or `toBeSigned`) anywhere, later, then call
 * {@link finishPdfSignature} with the prepared PDF, the state and the signature value.
 *
 * @example
 * ```ts
 * const { preparedPdf, digestToSign, state } = await preparePdfSignature(pdf, { signer: { certificate, chain, signatureAlgorithm } });
 * const json = JSON.stringify(state);                          // store it with preparedPdf
 * const value = await remoteService.signHash(digestToSign);    // minutes later, elsewhere
 * const signed = await finishPdfSignature(preparedPdf, JSON.parse(json), value);
 * ```
 */
export async function preparePdfSignature(pdf: Uint8Array, opts: PreparePdfSignatureOptions): Promise<PreparedPdfSignature> {
  const prepared = prepareDocument(pdf, opts);
  const digest = await digestByteRange(prepared.bytes, prepared.byteRange, prepared.digestAlgorithm, {
    engine: opts.digestEngine,
    scratch: true,
  });
  const cades = await prepareCades({
    signer: { certificate: opts.signer.certificate, chain: opts.signer.chain, signatureAlgorithm: opts.signer.signatureAlgorithm },
    content: { digest },
    digestAlgorithm: prepared.digestAlgorithm,
    // PAdES: the signing time is /M, and ETSI EN 319 142-1 §5.2.3 forbids the signing-time attribute.
    signingTime: prepared.subFilter === 'ETSI.CAdES.detached' ? false : (opts.signingTime ?? (opts.clock?.now() ?? new Date())),
  });
  const state: PreparedPdfSignatureState = {
    version: 1,
    type: 'kyso.pades.prepared',
    length: prepared.bytes.length,
    placeholders: { ...prepared.placeholders },
    byteRange: [...prepared.byteRange] as unknown as ByteRange,
    fieldName: prepared.fieldName,
    subFilter: prepared.subFilter,
    documentDigest: toBase64(digest),
    cades: cades.state,
  };
  return Object.freeze({ preparedPdf: prepared.bytes, toBeSigned: cades.toBeSigned, digestToSign: cades.digestToSign, state: Object.freeze(state) });
}

/** Options of {@link finishPdfSignature}. */
export interface FinishPdfSignatureOptions {
  /** Incremental digest engine used to re-check the prepared PDF; default WebCrypto. */
  readonly digestEngine?: import('@kyso/cms').DigestEngine;
  /** Time-stamps the signature (PAdES B-T); prepare with `timeStamper` or `timestampSize` to reserve room. */
  readonly timeStamper?: import('@kyso/cms').TimeStamper;
}

/**
 * Second half of staged signing: checks that `preparedPdf` is the one the state was made for
 * (same length, placeholders, /ByteRange digest), assembles the CMS around `signatureValue`
 * (checked against the certificate by @kyso/cms) and returns the signed PDF — a new array;
 * `preparedPdf` is not changed. A CMS that does not fit throws `SIGNATURE_TOO_LARGE`.
 */
export async function finishPdfSignature(
  preparedPdf: Uint8Array,
  state: PreparedPdfSignatureState,
  signatureValue: Uint8Array,
  options: FinishPdfSignatureOptions = {},
): Promise<Uint8Array> {
  checkState(preparedPdf, state);
  const digest = await digestByteRange(preparedPdf, state.byteRange, state.cades.digestAlgorithm, { engine: options.digestEngine });
  if (!bytesEqual(digest, fromBase64(state.documentDigest))) {
    throw new PadesError('BAD_STATE', 'The prepared PDF is not the one this state was made for (its /ByteRange digest differs); pass the preparedPdf that preparePdfSignature returned with this state.');
  }
  let cms = await finishCades(state.cades, signatureValue);
  if (options.timeStamper) cms = await addSignatureTimestamp(cms, options.timeStamper, { hashAlgorithm: state.cades.digestAlgorithm });
  const out = new Uint8Array(preparedPdf); // a copy, also for a Node Buffer (whose slice() is a view)
  embedContents(out, state.placeholders, cms);
  return out;
}

/** Shape and consistency checks of a state that went through JSON. */
export function checkState(preparedPdf: Uint8Array, state: PreparedPdfSignatureState): void {
  const bad = (why: string) =>
    new PadesError('BAD_STATE', `This is not a usable prepared-signature state (${why}); prepare the signature again with preparePdfSignature.`);
  if (!state || state.version !== 1 || state.type !== 'kyso.pades.prepared' || !state.placeholders || !Array.isArray(state.byteRange) || !state.cades) {
    throw bad('wrong version or shape');
  }
  if (!(preparedPdf instanceof Uint8Array) || preparedPdf.length !== state.length) throw bad(`the prepared PDF has ${preparedPdf?.length} bytes, the state expects ${state.length}`);
  const { byteRangeAt } = state.placeholders;
  const text = formatByteRange(state.byteRange);
  const at = preparedPdf.subarray(byteRangeAt, byteRangeAt + text.length);
  if (!bytesEqual(at, latin1(text))) throw bad('the /ByteRange in the prepared PDF differs from the state');
}
