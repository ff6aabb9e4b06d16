import { nodeDigestEngine } from '@kyso/cms/node';
import { openPdfFile } from '@kyso/pdf/node';
import type { VerifyPdfOptions } from '../verify/verify-pdf.js';
import type { PdfVerificationReport } from '../verify/report.js';

/**
 * Verifies the PDF at `path` like `verifyPdf`, in bounded memory: objects are read on demand
 * and each /ByteRange is hashed from the file in 1 MiB chunks with OpenSSL (`nodeDigestEngine`).
 *
 * @example
 * ```ts
 * import { verifyPdfFile } from '@kyso/pades/node';
 * const report = await verifyPdfFile('signed.pdf', { trustAnchors: [rootPem] });
 * ```
 */
export async function verifyPdfFile(path: string, options: VerifyPdfOptions = {}): Promise<PdfVerificationReport> {
  // Loaded on first use: a program that only signs files (signPdfFile) never loads verification.
  const { verifyDocument } = await import('../verify/verify-pdf.js');
  const file = openPdfFile(path);
  try {
    return await verifyDocument(file.doc, { ...options, digestEngine: options.digestEngine ?? nodeDigestEngine });
  } finally {
    file.close();
  }
}
