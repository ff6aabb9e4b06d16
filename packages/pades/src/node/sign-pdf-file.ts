import { appendFile, copyFile, rename, rm } from 'node:fs/promises';
import { nodeDigestEngine } from '@kyso/cms/node';
import { openPdfFile } from '@kyso/pdf/node';
import type { PdfOpenOptions } from '@kyso/pdf';
import { embedContents } from '../byterange/placeholder.js';
import { PadesError } from '../errors.js';
import { cmsForDigest } from '../sign/cms-signature.js';
import type { SignPdfOptions } from '../sign/options.js';
import { prepareIncrement } from '../sign/prepare-document.js';

/** What {@link signPdfFile} reports. */
export interface SignPdfFileResult {
  /** The signature field's fully qualified name. */
  readonly fieldName: string;
  /** Size of the signed file in bytes. */
  readonly size: number;
  /** The /ByteRange of the new signature. */
  readonly byteRange: readonly [number, number, number, number];
}

const CHUNK = 1 << 20;

/**
 * Signs the PDF at `inputPath` into `outputPath` like `signPdf`, in bounded memory: the input is
 * read lazily (only the objects the signature touches), hashed in 1 MiB chunks with OpenSSL
 * (`nodeDigestEngine`), copied by the operating system, and the incremental update is appended.
 * The output appears only when complete; on any error no file is left behind.
 *
 * @example
 * ```ts
 * import { signPdfFile } from '@kyso/pades/node';
 * await signPdfFile('in.pdf', 'out.pdf', { signer, reason: 'Ký ban hành' });
 * ```
 */
export async function signPdfFile(inputPath: string, outputPath: string, opts: SignPdfOptions & { readonly open?: PdfOpenOptions }): Promise<SignPdfFileResult> {
  if (!opts?.signer || typeof opts.signer.sign !== 'function') {
    throw new PadesError('BAD_OPTIONS', 'signer is required: a Signer from @kyso/cms (signerFromPkcs12, signerFromPem, signerFromCryptoKey, externalSigner).');
  }
  const file = openPdfFile(inputPath, opts.open);
  let increment: Uint8Array;
  let result: SignPdfFileResult;
  try {
    const p = prepareIncrement(file.doc, opts);
    const base = p.baseLength;
    const rel = {
      byteRangeAt: p.placeholders.byteRangeAt - base,
      contentsStart: p.placeholders.contentsStart - base,
      contentsEnd: p.placeholders.contentsEnd - base,
    };
    // ISO 32000-2 §12.8.1: the original, then the increment without its /Contents string.
    const h = (opts.digestEngine ?? nodeDigestEngine).create(p.digestAlgorithm);
    for (let at = 0; at < base; at += CHUNK) h.update(file.source.read(at, Math.min(base, at + CHUNK)));
    h.update(p.increment.subarray(0, rel.contentsStart));
    h.update(p.increment.subarray(rel.contentsEnd));
    const digest = await h.digest();
    const cms = await cmsForDigest(opts, digest, p.digestAlgorithm, p.subFilter);
    embedContents(p.increment, rel, cms);
    increment = p.increment;
    result = Object.freeze({ fieldName: p.fieldName, size: base + increment.length, byteRange: p.byteRange });
  } finally {
    file.close();
  }
  // Written beside the destination and renamed when complete (a failed command leaves no partial output).
  const tmp = `${outputPath}.kyso-${process.pid}-${Date.now()}.tmp`;
  try {
    await copyFile(inputPath, tmp);
    await appendFile(tmp, increment);
    await rename(tmp, outputPath);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return result;
}
