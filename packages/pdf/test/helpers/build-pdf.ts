import { latin1 } from '@kyso/core';

/** Builds a small PDF from object bodies (PDF syntax) with a correct xref table or stream, for tests. */
export function buildPdf(
  objects: Record<number, string>,
  options: { root?: number; kind?: 'table' | 'stream'; version?: string; trailerExtra?: string; noEol?: boolean } = {},
): Uint8Array {
  const kind = options.kind ?? 'table';
  let out = `%PDF-${options.version ?? '1.7'}\n%\xe2\xe3\xcf\xd3\n`;
  const offsets = new Map<number, number>();
  const nums = Object.keys(objects).map(Number).sort((a, b) => a - b);
  for (const n of nums) {
    offsets.set(n, out.length);
    out += `${n} 0 obj\n${objects[n]}\nendobj\n`;
  }
  const size = Math.max(...nums) + 1 + (kind === 'stream' ? 1 : 0);
  const xrefAt = out.length;
  const root = options.root ?? 1;
  if (kind === 'table') {
    out += `xref\n0 ${size}\n0000000000 65535 f\r\n`;
    for (let n = 1; n < size; n++) {
      const o = offsets.get(n);
      out += o === undefined ? '0000000000 00000 f\r\n' : `${String(o).padStart(10, '0')} 00000 n\r\n`;
    }
    out += `trailer\n<< /Size ${size} /Root ${root} 0 R ${options.trailerExtra ?? ''}>>\n`;
  } else {
    const xn = size - 1;
    offsets.set(xn, xrefAt);
    let rows = '';
    for (let n = 0; n < size; n++) {
      const o = offsets.get(n);
      rows += o === undefined ? '\x00\x00\x00\x00\xff' : '\x01' + String.fromCharCode((o >> 16) & 255, (o >> 8) & 255, o & 255) + '\x00';
    }
    out += `${xn} 0 obj\n<< /Type /XRef /Size ${size} /W [1 3 1] /Root ${root} 0 R ${options.trailerExtra ?? ''}/Length ${rows.length} >>\nstream\n${rows}\nendstream\nendobj\n`;
  }
  out += `startxref\n${xrefAt}\n%%EOF${options.noEol ? '' : '\n'}`;
  return latin1(out);
}

/** A minimal two-page document's objects (catalog 1, pages 2, pages 3 and 4 inheriting MediaBox). */
export const TWO_PAGES: Record<number, string> = {
  1: '<< /Type /Catalog /Pages 2 0 R >>',
  2: '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 595.28 841.89] /Resources << >> >>',
  3: '<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>',
  4: '<< /Type /Page /Parent 2 0 R /Rotate 90 /MediaBox [0 0 100 200] >>',
  5: '<< /Length 5 >>\nstream\nBT ET\nendstream',
};
