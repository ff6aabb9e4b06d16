// Writes a large PDF (default 2,000 pages, ~40 MB) for laziness tests and benchmarks. Not
// committed: tests and bench/pdf-append.mjs call writeBigPdf() into a temp directory.
// The page tree is two levels deep (20 nodes of 100 pages), each page has its own
// uncompressed content stream of pseudo-random drawing (deterministic), the catalog has an
// AcroForm with one text field on page 1, and the xref is a classic table.
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Writes the file at `path`; returns `{ size, pages, objects }`.
 * @param {string} path
 * @param {{ pages?: number, bytesPerPage?: number }} [options]
 */
export function writeBigPdf(path, options = {}) {
  const pages = options.pages ?? 2000;
  const bytesPerPage = options.bytesPerPage ?? 20000;
  const perNode = 100;
  const nodes = Math.ceil(pages / perNode);
  const fd = openSync(path, 'w');
  let pos = 0;
  const offsets = [];
  const put = (s) => {
    const b = Buffer.from(s, 'latin1');
    writeSync(fd, b);
    pos += b.length;
  };
  const obj = (num, body) => {
    offsets[num] = pos;
    put(`${num} 0 obj\n${body}\nendobj\n`);
  };
  // Numbering: 1 catalog, 2 root Pages, 3 font, 4 info, 5 AcroForm, 6 field/widget,
  // 7.. nodes, then per page: page object and content stream.
  const firstNode = 7;
  const firstPage = firstNode + nodes;
  const pageNum = (i) => firstPage + 2 * i;
  put('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm 5 0 R >>');
  obj(2, `<< /Type /Pages /Kids [${Array.from({ length: nodes }, (_, k) => `${firstNode + k} 0 R`).join(' ')}] /Count ${pages} /MediaBox [0 0 595.28 841.89] >>`);
  obj(3, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  obj(4, '<< /Producer (kyso pdfs-big.mjs) /Title (Big test file) >>');
  obj(5, '<< /Fields [6 0 R] /DA (/Helv 0 Tf 0 g) >>');
  obj(6, `<< /FT /Tx /T (ref) /V (big) /Type /Annot /Subtype /Widget /Rect [72 72 272 96] /P ${pageNum(0)} 0 R /F 4 >>`);
  for (let k = 0; k < nodes; k++) {
    const kids = [];
    for (let i = k * perNode; i < Math.min(pages, (k + 1) * perNode); i++) kids.push(`${pageNum(i)} 0 R`);
    obj(firstNode + k, `<< /Type /Pages /Parent 2 0 R /Kids [${kids.join(' ')}] /Count ${kids.length} /Resources << /Font << /F1 3 0 R >> >> >>`);
  }
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  for (let i = 0; i < pages; i++) {
    const annots = i === 0 ? ' /Annots [6 0 R]' : '';
    obj(pageNum(i), `<< /Type /Page /Parent ${firstNode + Math.floor(i / perNode)} 0 R /Contents ${pageNum(i) + 1} 0 R${annots} >>`);
    let content = `BT /F1 24 Tf 72 780 Td (Page ${i + 1}) Tj ET\n`;
    while (content.length < bytesPerPage) {
      content += `${(rnd() * 500).toFixed(2)} ${(rnd() * 800).toFixed(2)} ${(rnd() * 80).toFixed(2)} ${(rnd() * 80).toFixed(2)} re ${rnd().toFixed(3)} g f\n`;
    }
    obj(pageNum(i) + 1, `<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
  }
  const size = pageNum(pages - 1) + 2;
  const xrefAt = pos;
  let xref = `xref\n0 ${size}\n0000000000 65535 f\r\n`;
  for (let n = 1; n < size; n++) xref += `${String(offsets[n]).padStart(10, '0')} 00000 n\r\n`;
  put(xref);
  put(`trailer\n<< /Size ${size} /Root 1 0 R /Info 4 0 R /ID [<6b79736f626967> <6b79736f626967>] >>\nstartxref\n${xrefAt}\n%%EOF\n`);
  closeSync(fd);
  return { size: pos, pages, objects: size - 1 };
}
