// fs.promises, read where used: a bundled program that only verifies does not load it (nor Node's streams).
import { promises as fs } from 'node:fs';
import { nodeDigestEngine } from '@kyso/cms/node';
import { openPdfFile } from '@kyso/pdf/node';
import type { PdfOpenOptions } from '@kyso/pdf';
import { embedContents } from '../byterange/placeholder.js';
import { PadesError } from '../errors.js';
import { cmsForDigest } from '../sign/cms-signature.js';
import { hashSourceRange } from '../sign/digest-ranges.js';
import type { SignPdfOptions } from '../sign/options.js';
import { prepareIncrement } from '../sign/prepare-document.js';

/** What {@link signPdfFile} reports. */
export interface SignPdfFileResult {
  /** The signature field's fully qualified name. */
  readonly fieldName: string;
  /** Size of the signed file in bytes. */
  readonly size: number;
  /** Bytes appended to the input: the incremental update that holds the signature. */
  readonly appended: number;
  /** The /ByteRange of the new signature. */
  readonly byteRange: readonly [number, number, number, number];
}

/**
 * Signs the PDF at `inputPath` into `outputPath` like `signPdf`, in bounded memory: the input is
 * read lazily (only the objects the signature touches), hashed in 1 MiB chunks with OpenSSL
 * (`nodeDigestEngine`) through one reused buffer, copied by the operating system while it is
 * hashed, and the incremental update is appended. The output appears only when complete; on any
 * error no file is left behind.
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
  // Written beside the destination and renamed when complete (a failed command leaves no partial output).
  const tmp = `${outputPath}.kyso-${process.pid}-${Date.now()}.tmp`;
  // The operating system copies the original on libuv's thread pool while this thread parses
  // and hashes it: the two costs overlap instead of adding up.
  const copied = file.source.copyTo(tmp).then(
    () => undefined,
    (e: unknown) => ({ error: e }),
  );
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
    if (hashSourceRange(file.source, 0, base, h) !== base) throw new PadesError('BAD_STATE', `${inputPath} became shorter while it was being signed; sign it again.`);
    h.update(p.increment.subarray(0, rel.contentsStart));
    h.update(p.increment.subarray(rel.contentsEnd));
    const digest = await h.digest();
    const cms = await cmsForDigest(opts, digest, p.digestAlgorithm, p.subFilter);
    embedContents(p.increment, rel, cms);
    increment = p.increment;
    result = Object.freeze({ fieldName: p.fieldName, size: base + increment.length, appended: increment.length, byteRange: p.byteRange });
  } catch (e) {
    await copied;
    await fs.rm(tmp, { force: true });
    throw e;
  } finally {
    file.close();
  }
  try {
    const failed = await copied;
    if (failed) throw failed.error;
    const { size } = await fs.stat(tmp);
    if (size !== result.size - increment.length) throw new PadesError('BAD_STATE', `${inputPath} changed while it was being signed (${size} bytes copied, ${result.size - increment.length} hashed); sign it again.`);
    await fs.appendFile(tmp, increment);
    await fs.rename(tmp, outputPath);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return result;
}
