// @kyso/pdf/node: the Node file API (positional reads; appending to a copy of a file).
// fs.promises, read where used: a bundled program that only reads PDFs does not load it (nor Node's streams).
import { promises as fs } from 'node:fs';
import { PdfDocument } from '../document/pdf-document.js';
import type { PdfOpenOptions } from '../document/pdf-document.js';
import { PdfError } from '../errors.js';
import type { IncrementalIncrement, IncrementalUpdate } from '../writer/incremental-update.js';
import { FileByteSource } from './file-byte-source.js';

export { FileByteSource } from './file-byte-source.js';

/** A PDF file opened for lazy reading; close it when done (or use `using`). */
export interface PdfFile {
  readonly path: string;
  readonly doc: PdfDocument;
  readonly source: FileByteSource;
  close(): void;
  [Symbol.dispose](): void;
}

/**
 * Opens the PDF at `path` without reading it whole: the trailer, the xref chain and then only
 * the objects asked for are read with positional reads. A pipe (`/dev/stdin`, `<(curl …)`) is
 * read whole instead: it cannot be read at positions.
 *
 * @example
 * ```ts
 * const file = openPdfFile('in.pdf');
 * try {
 *   const up = file.doc.beginUpdate();
 *   up.set(up.allocate(), PdfDict.of({}));
 *   await writeIncrementalCopy(file, up, 'out.pdf');
 * } finally { file.close(); }
 * ```
 */
export function openPdfFile(path: string, options?: PdfOpenOptions): PdfFile {
  const source = FileByteSource.open(path);
  try {
    const doc = PdfDocument.open(source, options);
    const close = () => source.close();
    return { path, doc, source, close, [Symbol.dispose]: close };
  } catch (e) {
    source.close();
    throw e;
  }
}

/**
 * Writes the file `file` with `update` appended to `destPath`: the original is copied by the
 * operating system (not through memory; a pipe's content, read whole, from memory), then the
 * increment is appended; the result appears at `destPath` only when complete. Returns the
 * offsets of the objects written (absolute in `destPath`).
 */
export async function writeIncrementalCopy(file: PdfFile, update: IncrementalUpdate, destPath: string): Promise<IncrementalIncrement> {
  if (update.doc.source !== file.source) throw new PdfError('PDF_MISUSE', 'The update was not begun on this file’s document.');
  const inc = update.finishIncrement();
  // Written beside the destination and renamed at the end, so a failure leaves no partial file.
  const tmp = `${destPath}.kyso-${process.pid}-${Date.now()}.tmp`;
  try {
    await file.source.copyTo(tmp);
    const handle = await fs.open(tmp, 'r+');
    try {
      const { size } = await handle.stat();
      if (size !== inc.baseLength) throw new PdfError('PDF_MISUSE', `${file.path} changed while it was open (${size} bytes, expected ${inc.baseLength}).`);
    } finally {
      await handle.close();
    }
    await fs.appendFile(tmp, inc.increment);
    await fs.rename(tmp, destPath);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
  return inc;
}

/**
 * Appends `update` to the file it was read from, in place. Earlier bytes are untouched, but a
 * failure midway leaves a partial tail: prefer {@link writeIncrementalCopy}.
 */
export async function appendIncrementalUpdate(file: PdfFile, update: IncrementalUpdate): Promise<IncrementalIncrement> {
  if (update.doc.source !== file.source) throw new PdfError('PDF_MISUSE', 'The update was not begun on this file’s document.');
  const inc = update.finishIncrement();
  await fs.appendFile(file.path, inc.increment);
  return inc;
}
