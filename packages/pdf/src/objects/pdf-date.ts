/**
 * A PDF date string (ISO 32000-2 §7.9.4) `D:YYYYMMDDHHmmSS+HH'mm'` for `date` in the zone
 * `offsetMinutes` east of UTC (default +07:00, Vietnam; 0 writes `Z`).
 */
export function formatPdfDate(date: Date, offsetMinutes = 420): string {
  const t = new Date(date.getTime() + offsetMinutes * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const body = `D:${p(t.getUTCFullYear(), 4)}${p(t.getUTCMonth() + 1)}${p(t.getUTCDate())}${p(t.getUTCHours())}${p(t.getUTCMinutes())}${p(t.getUTCSeconds())}`;
  if (offsetMinutes === 0) return body + 'Z';
  const a = Math.abs(offsetMinutes);
  return `${body}${offsetMinutes < 0 ? '-' : '+'}${p(Math.floor(a / 60))}'${p(a % 60)}'`;
}

/** Parses a PDF date string (lenient about the optional parts and the apostrophes); undefined when it is not one. */
export function parsePdfDate(text: string): Date | undefined {
  const m = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:([Zz+-])(\d{2})?'?(\d{2})?'?)?/.exec(text.trim());
  if (!m) return undefined;
  const n = (s: string | undefined, d: number) => (s === undefined ? d : Number(s));
  let ms = Date.UTC(n(m[1], 0), n(m[2], 1) - 1, n(m[3], 1), n(m[4], 0), n(m[5], 0), n(m[6], 0));
  if (m[7] === '+' || m[7] === '-') {
    const off = n(m[8], 0) * 60 + n(m[9], 0);
    ms -= (m[7] === '+' ? 1 : -1) * off * 60_000;
  }
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d;
}
