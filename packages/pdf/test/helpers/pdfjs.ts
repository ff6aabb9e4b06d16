/** Reads a PDF with pdf.js (the legacy build runs in Node): page count and page 1's text. */
export async function readWithPdfJs(bytes: Uint8Array): Promise<{ numPages: number; text: string; width: number }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: bytes.slice(), verbosity: 0, isEvalSupported: false, useSystemFonts: false, disableFontFace: true });
  const doc = await task.promise;
  try {
    const page = await doc.getPage(1);
    const content = await page.getTextContent();
    const text = content.items.map((i) => ('str' in i ? i.str : '')).join(' ');
    return { numPages: doc.numPages, text, width: page.view[2]! - page.view[0]! };
  } finally {
    await task.destroy();
  }
}
