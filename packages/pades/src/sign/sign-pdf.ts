import { embedContents } from '../byterange/placeholder.js';
import { PadesError } from '../errors.js';
import { cmsForDigest } from './cms-signature.js';
import { digestByteRange } from './digest-ranges.js';
import type { SignPdfOptions } from './options.js';
import { prepareDocument } from './prepare-document.js';

/**
 * Signs a PDF with a PAdES baseline B-B signature (ETSI EN 319 142-1 §6.3) as an incremental
 * update (ISO 32000-2 §7.5.6): no byte of the input changes, so earlier signatures stay valid.
 *
 * Fills the named empty signature field or creates one (invisible, or visible with
 * `appearance` and `field.rect`); writes /SubFilter /ETSI.CAdES.detached, /M, and /Reason,
 * /Location, /ContactInfo, /Name as text strings (UTF-16BE when not ASCII); certifies with
 * `certify` (DocMDP) and locks fields with `lock` (FieldMDP). The CMS comes from @kyso/cms with
 * signing-certificate-v2 and without signing-time.
 *
 * Throws `PadesError`: `DOCMDP_FORBIDS` when the certification forbids signing,
 * `FIELD_LOCKED`, `FIELD_ALREADY_SIGNED`, `CERTIFICATION_NOT_FIRST`, `SIGNATURE_TOO_LARGE` when
 * the CMS does not fit `contentsSize` (no output is produced), `BAD_OPTIONS`. In Node, pass
 * `digestEngine: nodeDigestEngine` (from `@kyso/cms/node`), or use `signPdfFile` from
 * `@kyso/pades/node` for files.
 *
 * @example
 * ```ts
 * const signer = await signerFromPkcs12(p12, 'password');
 * const signed = await signPdf(pdf, { signer, reason: 'Đồng ý ban hành', certify: 2 });
 * ```
 */
export async function signPdf(pdf: Uint8Array, opts: SignPdfOptions): Promise<Uint8Array> {
  if (!opts?.signer || typeof opts.signer.sign !== 'function') {
    throw new PadesError('BAD_OPTIONS', 'signer is required: a Signer from @kyso/cms (signerFromPkcs12, signerFromPem, signerFromCryptoKey, externalSigner).');
  }
  const prepared = prepareDocument(pdf, opts);
  const digest = await digestByteRange(prepared.bytes, prepared.byteRange, prepared.digestAlgorithm, { engine: opts.digestEngine, scratch: true });
  const cms = await cmsForDigest(opts, digest, prepared.digestAlgorithm, prepared.subFilter);
  embedContents(prepared.bytes, prepared.placeholders, cms);
  return prepared.bytes;
}
