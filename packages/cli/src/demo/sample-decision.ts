import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Tinos fonts that @kyso/pades ships (Times-compatible metrics, full Vietnamese). */
const FONTS_DIR = join(dirname(createRequire(import.meta.url).resolve('@kyso/pades/package.json')), 'assets', 'fonts');

/** What the sample decision says; every field has a default from a fictional province. */
export interface SampleDecision {
  readonly agency: string;
  readonly agencyShort: string;
  readonly place: string;
  readonly title: string;
  readonly subject: string;
  readonly body: readonly string[];
  readonly signerTitle: string;
  readonly signerAuthority: string;
  readonly signerName: string;
}

export const DEFAULT_DECISION: SampleDecision = {
  agency: 'ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
  agencyShort: 'UBND tỉnh Bắc Ninh',
  place: 'Bắc Ninh',
  title: 'QUYẾT ĐỊNH',
  subject: 'Về việc phê duyệt Kế hoạch chuyển đổi số năm 2027',
  body: [
    'CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH BẮC NINH',
    'Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;',
    'Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;',
    'Theo đề nghị của Chánh Văn phòng Ủy ban nhân dân tỉnh.',
    'QUYẾT ĐỊNH:',
    'Điều 1. Phê duyệt Kế hoạch chuyển đổi số năm 2027 của tỉnh Bắc Ninh (kèm theo Quyết định này).',
    'Điều 2. Quyết định này có hiệu lực kể từ ngày ký.',
    'Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Thủ trưởng các sở, ban, ngành và Chủ tịch Ủy ban nhân dân các huyện, thành phố chịu trách nhiệm thi hành Quyết định này./.',
  ],
  signerAuthority: 'TM. ỦY BAN NHÂN DÂN',
  signerTitle: 'CHỦ TỊCH',
  signerName: 'Nguyễn Văn An',
};

/**
 * The form fields the clerk fills at issuance (Decree 30/2020 Art. 15: number and date), as text
 * fields so that filling them is allowed under the drafter's certification (DocMDP P = 2).
 */
export const ISSUANCE_FIELDS = { number: 'so_van_ban', date: 'ngay_ban_hanh' } as const;

/**
 * Writes a one-page A4 decision (Quyết định) laid out as Decree 30/2020 Appendix I shows it, in
 * Tinos (Times-compatible, full Vietnamese), with empty text fields for the number and the date. pdf-lib saves it: it is the unsigned original, so rewriting is harmless.
 */
export async function writeSampleDecision(d: SampleDecision = DEFAULT_DECISION): Promise<Uint8Array> {
  const [{ PDFDocument, rgb }, { default: fontkit }] = await Promise.all([import('pdf-lib'), import('@pdf-lib/fontkit')]);
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const fontBytes = (f: string) => readFile(join(FONTS_DIR, f));
  const regular = await doc.embedFont(await fontBytes('Tinos-Regular.ttf'), { subset: true });
  const bold = await doc.embedFont(await fontBytes('Tinos-Bold.ttf'), { subset: true });
  const italic = await doc.embedFont(await fontBytes('Tinos-Italic.ttf'), { subset: true });
  doc.setTitle(`${d.title} ${d.subject}`);
  doc.setAuthor(d.agencyShort);
  doc.setProducer('kyso demo');
  doc.setCreationDate(new Date('2026-12-01T00:00:00Z'));
  doc.setModificationDate(new Date('2026-12-01T00:00:00Z'));
  const page = doc.addPage([595.28, 841.89]);
  const black = rgb(0, 0, 0);
  const centre = (text: string, x: number, y: number, size: number, font = regular) =>
    page.drawText(text, { x: x - font.widthOfTextAtSize(text, size) / 2, y, size, font, color: black });

  // Header: issuing body on the left, national motto on the right (Decree 30/2020 Appendix I, §II).
  centre(d.agency, 150, 780, 12, bold);
  page.drawLine({ start: { x: 115, y: 774 }, end: { x: 185, y: 774 }, thickness: 0.6 });
  centre('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 410, 780, 12, bold);
  centre('Độc lập - Tự do - Hạnh phúc', 410, 765, 13, bold);
  page.drawLine({ start: { x: 340, y: 760 }, end: { x: 480, y: 760 }, thickness: 0.6 });
  // Number and date: empty, read-only text fields, filled at issuance.
  const form = doc.getForm();
  for (const [name, x, y, w] of [[ISSUANCE_FIELDS.number, 60, 742, 180], [ISSUANCE_FIELDS.date, 290, 734, 240]] as const) {
    const field = form.createTextField(name);
    field.addToPage(page, { x, y, width: w, height: 18, borderWidth: 0 });
    field.enableReadOnly();
  }

  centre(d.title, 297.6, 690, 14, bold);
  centre(d.subject, 297.6, 672, 14, bold);
  page.drawLine({ start: { x: 250, y: 664 }, end: { x: 345, y: 664 }, thickness: 0.6 });

  // Body, wrapped to the text width (pdf-lib draws one line a call).
  const wrap = (text: string, size: number, font: typeof regular, width: number): string[] => {
    const lines: string[] = [];
    let line = '';
    for (const word of text.split(' ')) {
      const next = line ? `${line} ${word}` : word;
      if (line && font.widthOfTextAtSize(next, size) > width) {
        lines.push(line);
        line = word;
      } else line = next;
    }
    return [...lines, line];
  };
  let y = 630;
  for (const [i, para] of d.body.entries()) {
    const heading = i === 0 || para === 'QUYẾT ĐỊNH:';
    if (heading) {
      centre(para, 297.6, y, 13, bold);
      y -= 24;
      continue;
    }
    const font = para.startsWith('Điều') ? regular : italic;
    for (const line of wrap(para, 13, font, 460)) {
      page.drawText(line, { x: 70, y, size: 13, font, color: black });
      y -= 17;
    }
    y -= 4;
  }

  // Signature block: authority, title, the place for the signature image, the name.
  const sx = 430;
  centre(d.signerAuthority, sx, 380, 13, bold);
  centre(d.signerTitle, sx, 364, 13, bold);
  centre(d.signerName, sx, 260, 13, bold);

  page.drawText('Nơi nhận:', { x: 70, y: 380, size: 12, font: bold, color: black });
  ['- Như Điều 3;', '- Văn phòng Chính phủ;', '- Lưu: VT.'].forEach((t, i) =>
    page.drawText(t, { x: 70, y: 364 - i * 14, size: 11, font: regular, color: black }),
  );
  return doc.save({ useObjectStreams: false });
}
