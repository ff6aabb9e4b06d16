import { existsSync, readdirSync } from 'node:fs';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { PDFDocument, StandardFonts } from 'pdf-lib';

/** A one-page PDF written by hand: classic xref table, no object streams. */
export function minimalPdf(text = 'Hello'): Uint8Array {
  const stream = `BT /F1 24 Tf 72 720 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  const bytes = new Uint8Array(out.length);
  for (let i = 0; i < out.length; i++) bytes[i] = out.charCodeAt(i);
  return bytes;
}

/** A PDF made by pdf-lib: `objectStreams` true gives an xref stream and object streams. */
export async function pdfLibPdf(opts: { pages?: number; objectStreams?: boolean; withSignatureField?: string } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setCreationDate(new Date('2026-12-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-12-01T00:00:00Z'));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (opts.pages ?? 2); i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Page ${i + 1} - kyso test`, { x: 72, y: 760, size: 18, font });
  }
  return await doc.save({ useObjectStreams: opts.objectStreams ?? false, updateFieldAppearances: false });
}

/** The corpus PDFs of `test-fixtures/pdfs` (the PDF engine's), or an empty list when it is not there yet. */
export function corpusPdfs(): { name: string; bytes: Uint8Array }[] {
  const dir = fixturePath('pdfs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((name) => ({ name, bytes: loadFixture('pdfs', name) }));
}
