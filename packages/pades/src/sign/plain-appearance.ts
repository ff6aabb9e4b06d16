/**
 * The plain visible appearance: a thin border and lines of text in Helvetica (a standard font,
 * ISO 32000-2 §9.6.2.2, so nothing is embedded). The Vietnamese layouts of Decree 30/2020, with
 * an embedded font, are another module; here text outside WinAnsiEncoding is transliterated
 * (diacritics dropped, đ → d) so that it still reads.
 */

/** Text in WinAnsiEncoding bytes (as a Latin-1 string); chars it cannot show are transliterated or become `?`. */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff)) {
      out += ch;
      continue;
    }
    if (ch === 'đ') out += 'd';
    else if (ch === 'Đ') out += 'D';
    else {
      const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      out += [...base].every((b) => b.charCodeAt(0) >= 0x20 && b.charCodeAt(0) <= 0xff) && base.length > 0 ? base : '?';
    }
  }
  return out;
}

/** A PDF literal string of Latin-1 text, escaped (ISO 32000-2 §7.3.4.2). */
function literal(text: string): string {
  let s = '(';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '(' || ch === ')' || ch === '\\') s += '\\' + ch;
    else if (c < 0x20 || c > 0x7e) s += '\\' + c.toString(8).padStart(3, '0');
    else s += ch;
  }
  return s + ')';
}

/** The resource name of the font used by {@link plainAppearanceContent}. */
export const PLAIN_FONT_RESOURCE = 'Helv';

/**
 * The content stream of a `width` × `height` box: a 0.5 pt border and `lines` of text, with the
 * font size chosen so that every line fits (at most 10 pt).
 */
export function plainAppearanceContent(width: number, height: number, lines: readonly string[]): string {
  const pad = 3;
  const texts = lines.map(toWinAnsi);
  const longest = Math.max(1, ...texts.map((t) => t.length));
  const byHeight = (height - 2 * pad) / (Math.max(1, texts.length) * 1.25);
  const byWidth = (width - 2 * pad) / (longest * 0.55);
  const size = Math.max(2, Math.min(10, byHeight, byWidth));
  const f = (n: number) => (Math.round(n * 100) / 100).toString();
  const ops = ['q', '0.5 w', '0 0 0 RG', `0.25 0.25 ${f(width - 0.5)} ${f(height - 0.5)} re S`, 'BT', `/${PLAIN_FONT_RESOURCE} ${f(size)} Tf`, '0 0 0 rg'];
  let y = height - pad - size;
  for (const t of texts) {
    ops.push(`1 0 0 1 ${f(pad)} ${f(y)} Tm`, `${literal(t)} Tj`);
    y -= size * 1.25;
  }
  ops.push('ET', 'Q');
  return ops.join('\n');
}
