/**
 * Building blocks for the attack fixtures: PDFs written by hand (with "dead" objects that no
 * cross-reference section lists, as a shadow attacker prepares them), incremental updates written
 * by hand (to put any entry, /Prev or duplicate into a cross-reference section), signing by kyso
 * and by pdfsig, and the expectations every attack test shares.
 */
import { readFileSync } from 'node:fs';
import { latin1 } from '@kyso/core';
import { PdfDocument, PdfRef } from '@kyso/pdf';
import { loadFixture } from '@kyso/test-fixtures';
import { expect } from 'vitest';
import { signPdf, verifyPdf, type PdfVerificationReport, type SignatureReport } from '../../src/index.js';
import { tempFile } from '../helpers/files.js';
import { createNssDb, importP12, type NssDb } from '../helpers/nss.js';
import { pdfsigAddSignature } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';

export const VERIFY_AT = new Date('2026-12-03T00:00:00Z');

/** Verifies with the fixture root at a time the fixture certificates are valid. */
export function verify(pdf: Uint8Array): Promise<PdfVerificationReport> {
  return verifyPdf(pdf, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
}

/** Latin-1 text to bytes (PDF syntax is bytes). */
export const bytes = (s: string): Uint8Array => latin1(s);

/** Bytes to Latin-1 text. */
export const text = (b: Uint8Array): string => new TextDecoder('latin1').decode(b);

/** `a` followed by `b`. */
export function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** A stream object body with the right /Length. */
export function stream(data: string, dict = ''): string {
  return `<< ${dict} /Length ${data.length} >>\nstream\n${data}\nendstream`;
}

/**
 * A PDF written by hand: `objects[i]` is object i + 1; `dead` objects are written in the body but
 * listed in no cross-reference section (a shadow attacker's hidden objects, ISO 32000-2 §7.5.4);
 * `free` object numbers are listed as free (a reference to them is a reference to null).
 */
export function rawPdf(objects: readonly (string | null)[], opts: { dead?: readonly { num: number; body: string }[]; size?: number } = {}): Uint8Array {
  let out = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n';
  const offsets: (number | null)[] = [];
  objects.forEach((o, i) => {
    if (o === null) {
      offsets.push(null);
      return;
    }
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  for (const d of opts.dead ?? []) out += `${d.num} 0 obj\n${d.body}\nendobj\n`;
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += o === null ? '0000000000 00001 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${opts.size ?? objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return bytes(out);
}

/** The one-page document most attacks start from: text drawn with font /F1 (object 5). */
export function onePage(extraPageKeys = '', content = 'BT /F1 24 Tf 72 720 Td (Pay 100 VND) Tj ET', dead: { num: number; body: string }[] = [], more: (string | null)[] = []): Uint8Array {
  return rawPdf(
    [
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> ${extraPageKeys} >>`,
      stream(content),
      '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
      ...more,
    ],
    { dead },
  );
}

/** One entry of a hand-written cross-reference table. */
export interface RawEntry {
  readonly num: number;
  /** Absolute offset, or `free`. */
  readonly at: number | 'free';
  readonly gen?: number;
}

/**
 * Appends an incremental update written by hand: `objects` (written in order, then listed unless
 * `unlisted`), then a classic xref table with those entries and `entries` (in the given order, so
 * duplicates can be made), then a trailer with /Size, /Root, /Info and /Prev (default: the last
 * startxref) and `trailer` extras. Returns the new file and the offsets of the objects written.
 */
export function appendRaw(
  pdf: Uint8Array,
  opts: {
    objects?: readonly { num: number; gen?: number; body: string; unlisted?: boolean }[];
    entries?: readonly RawEntry[];
    prev?: number | null;
    root?: string;
    trailer?: string;
    padding?: number;
  } = {},
): { pdf: Uint8Array; offsets: Map<number, number> } {
  const doc = PdfDocument.open(pdf);
  const last = doc.revisions[doc.revisions.length - 1]!;
  let out = pdf[pdf.length - 1] === 0x0a ? '' : '\n';
  if (opts.padding) out += `%${'x'.repeat(opts.padding - 2)}\n`;
  const offsets = new Map<number, number>();
  const listed: RawEntry[] = [];
  for (const o of opts.objects ?? []) {
    const at = pdf.length + out.length;
    offsets.set(o.num, at);
    out += `${o.num} ${o.gen ?? 0} obj\n${o.body}\nendobj\n`;
    if (!o.unlisted) listed.push({ num: o.num, at, gen: o.gen ?? 0 });
  }
  const all = [...listed, ...(opts.entries ?? [])];
  const xref = pdf.length + out.length;
  out += 'xref\n';
  for (const e of all) {
    out += `${e.num} 1\n${e.at === 'free' ? '0000000000' : String(e.at).padStart(10, '0')} ${String(e.gen ?? (e.at === 'free' ? 1 : 0)).padStart(5, '0')} ${e.at === 'free' ? 'f' : 'n'} \n`;
  }
  const size = Math.max(doc.size, ...all.map((e) => e.num + 1));
  const root = opts.root ?? doc.catalogRef.toString();
  const info = doc.trailer.get('Info');
  const prev = opts.prev === undefined ? last.xrefOffset : opts.prev;
  out += `trailer\n<< /Size ${size} /Root ${root}${info instanceof PdfRef ? ` /Info ${info.toString()}` : ''}${prev === null ? '' : ` /Prev ${prev}`} ${opts.trailer ?? ''} >>\nstartxref\n${xref}\n%%EOF\n`;
  return { pdf: concat(pdf, bytes(out)), offsets };
}

/** The absolute offset of object `num` as the last revision locates it. */
export function offsetOf(pdf: Uint8Array, num: number): number {
  const e = PdfDocument.open(pdf).getXrefEntry(num);
  if (e?.type !== 'offset') throw new Error(`object ${num} is not a plain object`);
  return e.offset;
}

/** Replaces `from` by `to` (same length) at its first occurrence at or after `after`. */
export function patch(pdf: Uint8Array, from: string, to: string, after = 0): Uint8Array {
  if (from.length !== to.length) throw new Error(`patch must keep the length: ${from.length} vs ${to.length}`);
  const at = text(pdf).indexOf(from, after);
  if (at < 0) throw new Error(`"${from.slice(0, 40)}" not found`);
  const out = pdf.slice();
  out.set(bytes(to), at);
  return out;
}

/** Signs with kyso (ETSI.CAdES.detached) as `who`. */
export async function kysoSign(pdf: Uint8Array, who: Parameters<typeof fixtureSigner>[0] = 'leader', opts: Omit<Parameters<typeof signPdf>[1], 'signer'> = {}): Promise<Uint8Array> {
  return signPdf(pdf, { signer: await fixtureSigner(who), ...opts });
}

let nss: { db: NssDb; nick: string } | undefined;

/** Signs with poppler's `pdfsig -add-signature` through NSS (adbe.pkcs7.detached), as the fixture leader. */
export function pdfsigSign(pdf: Uint8Array, name: string): Uint8Array {
  if (!nss) {
    const db = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
    nss = { db, nick: importP12(db, loadFixture('pki', 'leader.p12'), 'kyso') };
  }
  const input = tempFile(`${name}.in.pdf`, pdf);
  pdfsigAddSignature(nss.db.spec, nss.nick, input, `${input}.signed.pdf`);
  return new Uint8Array(readFileSync(`${input}.signed.pdf`));
}

/** The NSS database pdfsigSign uses (for checking with pdfsig). */
export function nssSpec(): string {
  if (!nss) pdfsigSign(onePage(), 'nss-init');
  return nss!.db.spec;
}

/** Asserts every signature passed (the honest twin). */
export function expectPass(r: PdfVerificationReport, count = r.signatures.length): void {
  expect(r.signatures.map((s) => [s.field, s.indication, s.subIndication, s.errors])).toEqual(r.signatures.map((s) => [s.field, 'TOTAL-PASSED', null, []]));
  expect(r.signatures).toHaveLength(count);
}

/**
 * Asserts that signature `index` is not TOTAL-PASSED, that its later revisions are disallowed
 * with a change of kind `kind`, and that the change's detail matches `why` (when given).
 */
export function expectDisallowed(r: PdfVerificationReport, kind: string, why?: RegExp, index = 0): SignatureReport {
  const s = r.signatures[index];
  expect(s, 'the signature is listed').toBeDefined();
  expect(s!.indication).not.toBe('TOTAL-PASSED');
  expect(s!.modificationsAfter).toBe('disallowed');
  const bad = s!.changes.filter((c) => !c.allowed);
  expect(bad.map((c) => c.kind), JSON.stringify(s!.changes, null, 1)).toContain(kind);
  if (why) expect(bad.filter((c) => c.kind === kind).map((c) => c.detail).join('\n')).toMatch(why);
  expect(bad.every((c) => c.classification === 'disallowed')).toBe(true);
  expect(s!.errors.some((e) => e.startsWith('revision '))).toBe(true);
  return s!;
}

/** Asserts that signature `index` failed its format checks (FORMAT_FAILURE, never a pass). */
export function expectFormatFailure(r: PdfVerificationReport, why: RegExp, index = 0): SignatureReport {
  const s = r.signatures[index];
  expect(s, 'the signature is listed').toBeDefined();
  expect([s!.indication, s!.subIndication]).toEqual(['TOTAL-FAILED', 'FORMAT_FAILURE']);
  expect(s!.errors.join('\n')).toMatch(why);
  return s!;
}
