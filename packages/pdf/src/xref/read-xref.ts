import { latin1 } from '@kyso/core';
import { PdfError } from '../errors.js';
import { readIndirectObject } from '../document/read-object.js';
import type { ReadContext } from '../document/read-object.js';
import { decodeStreamData } from '../filters/decode.js';
import { PdfArray } from '../objects/pdf-array.js';
import { PdfDict } from '../objects/pdf-dict.js';
import { PdfStream } from '../objects/pdf-stream.js';
import { withWindow } from '../parse/parser.js';
import type { Parser } from '../parse/parser.js';
import type { ByteSource } from '../source/byte-source.js';
import { findForward, lastIndexOf } from '../source/byte-source.js';
import type { XrefEntry, XrefSection } from './xref-entry.js';

/** Limits applied while reading cross-reference data. */
export interface XrefLimits {
  readonly maxObjects: number;
  readonly maxDecodedSize: number;
  readonly maxRevisions: number;
}

const STARTXREF = latin1('startxref');
const EOF_MARK = latin1('%%EOF');

/** The offset after the last `startxref` (ISO 32000-2 §7.5.5), or undefined when there is none. */
export function findStartXref(source: ByteSource): number | undefined {
  const from = Math.max(0, source.length - 4096);
  const tail = source.read(from, source.length);
  const i = lastIndexOf(tail, STARTXREF);
  if (i < 0) return undefined;
  const m = /^startxref\s+(\d+)/.exec(String.fromCharCode(...tail.subarray(i, i + 40)));
  if (!m) return undefined;
  const off = Number(m[1]);
  return Number.isSafeInteger(off) && off < source.length ? off : undefined;
}

/** Offset just after the `%%EOF` line following `from` (its EOL included), or undefined. */
export function findEofEnd(source: ByteSource, from: number, within = 1 << 16): number | undefined {
  const at = findForward(source, EOF_MARK, from, Math.min(source.length, from + within));
  if (at < 0) return undefined;
  let end = at + EOF_MARK.length;
  const b = source.read(end, end + 2);
  if (b[0] === 0x0d) end += b[1] === 0x0a ? 2 : 1;
  else if (b[0] === 0x0a) end += 1;
  return end;
}

/** Reads the cross-reference section at `offset`: a table or a stream, plus a hybrid /XRefStm. */
export function readXrefSection(source: ByteSource, offset: number, ctx: ReadContext, limits: XrefLimits, count: { entries: number }): XrefSection {
  const first = source.read(offset, offset + 32);
  const isTable = /^\s*xref(?![A-Za-z])/.test(String.fromCharCode(...first));
  if (isTable) {
    const { entries, trailer, end: trailerEnd } = readXrefTable(source, offset, ctx, limits, count);
    let hybridStreamOffset: number | undefined;
    const stm = trailer.getInt('XRefStm');
    if (stm !== undefined && stm >= 0 && stm < source.length) {
      try {
        const s = readXrefStream(source, stm, ctx, limits, count);
        // §7.5.8.4: objects missing (or free) in the table are looked up in the hybrid stream.
        for (const [num, e] of s.entries) {
          const t = entries.get(num);
          if (t === undefined || t.type === 'free') entries.set(num, e);
        }
        hybridStreamOffset = stm;
      } catch (e) {
        ctx.warn(`The hybrid /XRefStm at ${stm} cannot be read (${(e as Error).message}); the table alone is used.`);
      }
    }
    return { offset, kind: 'table', trailer, entries, end: findEofEnd(source, trailerEnd) ?? trailerEnd, hybridStreamOffset };
  }
  const s = readXrefStream(source, offset, ctx, limits, count);
  return { offset, kind: 'stream', trailer: s.dict, entries: s.entries, end: findEofEnd(source, s.end) ?? s.end, hybridStreamOffset: undefined };
}

/**
 * How much of the file to read for the table at `offset`: its first subsection header says how
 * many 20-byte entries follow, so a long table is read in one go instead of in growing windows
 * that are each parsed again.
 */
function tableWindow(source: ByteSource, offset: number): number {
  const m = /^\s*xref\s+\d+\s+(\d+)/.exec(String.fromCharCode(...source.read(offset, offset + 64)));
  const entries = m ? Number(m[1]) : 0;
  return Math.max(1 << 16, Math.min(entries * 20 + 4096, 1 << 26));
}

function readXrefTable(source: ByteSource, offset: number, ctx: ReadContext, limits: XrefLimits, count: { entries: number }) {
  return withWindow(source, offset, tableWindow(source, offset), ctx.maxDepth, (p: Parser) => {
    p.expectKeyword('xref');
    const entries = new Map<number, XrefEntry>();
    let added = 0;
    for (;;) {
      p.skipWs();
      const save = p.pos;
      const t = p.readRegular();
      if (t === 'trailer') break;
      if (!/^\d+$/.test(t)) {
        p.pos = save;
        p.fail(`Expected a subsection header or "trailer" in the xref table but found "${t.slice(0, 20)}"`);
      }
      let start = Number(t);
      const n = p.readInt();
      // Each entry takes at least 6 bytes ("0 0 n "): a count beyond that is absurd.
      if (n * 6 > source.length - p.abs) throw new PdfError('PDF_BAD_XREF', `An xref subsection claims ${n} entries, more than the file can hold.`, { offset });
      if (count.entries + added + n > limits.maxObjects) throw new PdfError('PDF_LIMIT', `The cross-reference data lists more than ${limits.maxObjects} objects (the maxObjects limit).`, { offset });
      for (let i = 0; i < n; i++) {
        p.skipWs();
        // ISO 32000-2 §7.5.4: an entry is "nnnnnnnnnn ggggg n" and a two-byte EOL. A run of
        // entries in that fixed layout is read by arithmetic in one tight loop (a 2,000-page
        // file has 4,000 entries); anything else goes through the tokenizer below, which also
        // accepts the sloppy layouts other producers write. Entry 0 always takes the slow path
        // for the producer-bug check.
        if (i > 0) {
          const run = readFixedEntries(p.buf, p.pos, start + i, n - i, entries);
          if (run.count > 0) {
            p.pos = run.pos;
            added += run.added;
            i += run.count - 1;
            continue;
          }
        }
        const off = p.readInt();
        const gen = p.readInt();
        const kind = p.token();
        if (kind !== 'n' && kind !== 'f') p.fail(`Expected "n" or "f" in an xref entry but found "${kind.slice(0, 10)}"`);
        // A common producer bug: a table that starts at 1 although its first entry is object 0's.
        if (i === 0 && start === 1 && kind === 'f' && off === 0 && gen === 65535) start = 0;
        const num = start + i;
        if (entries.has(num)) continue;
        entries.set(num, kind === 'n' ? { type: 'offset', offset: off, gen } : { type: 'free', gen });
        added++;
      }
    }
    const trailer = p.parseObject();
    if (!(trailer instanceof PdfDict)) p.fail('The trailer is not a dictionary');
    count.entries += added;
    return { entries, trailer, end: p.abs };
  });
}

/**
 * Reads up to `max` consecutive xref entries in the fixed layout "nnnnnnnnnn ggggg n" + EOL
 * from `pos`, numbering them from `num`, into `entries` (an object already listed wins: it
 * comes from a newer section). Stops at the first entry in another layout, or where the window
 * ends (the tokenizer then asks for more data). Returns how many entries it read, how many it
 * added, and the position after the last one's EOL.
 */
function readFixedEntries(buf: Uint8Array, pos: number, num: number, max: number, entries: Map<number, XrefEntry>): { pos: number; count: number; added: number } {
  let count = 0;
  let added = 0;
  let at = pos;
  while (count < max && at + 18 < buf.length) {
    let off = 0;
    let k = 0;
    for (; k < 10; k++) {
      const d = buf[at + k]! - 0x30;
      if (d < 0 || d > 9) break;
      off = off * 10 + d;
    }
    if (k < 10 || buf[at + 10] !== 0x20 || buf[at + 16] !== 0x20) break;
    let gen = 0;
    for (k = 11; k < 16; k++) {
      const d = buf[at + k]! - 0x30;
      if (d < 0 || d > 9) break;
      gen = gen * 10 + d;
    }
    const kind = buf[at + 17];
    const eol = buf[at + 18];
    if (k < 16 || (kind !== 0x6e && kind !== 0x66) || (eol !== 0x20 && eol !== 0x0d && eol !== 0x0a)) break;
    if (!entries.has(num + count)) {
      entries.set(num + count, kind === 0x6e ? { type: 'offset', offset: off, gen } : { type: 'free', gen });
      added++;
    }
    count++;
    // The EOL: " \r", " \n", "\r\n", or (outside the standard) a lone "\n" or "\r".
    at += 18;
    while (at < buf.length && (buf[at] === 0x20 || buf[at] === 0x0d || buf[at] === 0x0a)) at++;
  }
  return { pos: at, count, added };
}

/** Reads an xref stream object (ISO 32000-2 §7.5.8). */
export function readXrefStream(source: ByteSource, offset: number, ctx: ReadContext, limits: XrefLimits, count: { entries: number }): { dict: PdfDict; entries: Map<number, XrefEntry>; end: number } {
  const io = readIndirectObject(source, offset, ctx);
  if (!(io.obj instanceof PdfStream)) throw new PdfError('PDF_BAD_XREF', `No xref table or xref stream at byte ${offset}.`, { offset });
  const dict = io.obj.dict;
  if (dict.getName('Type') !== 'XRef' && !dict.has('W')) throw new PdfError('PDF_BAD_XREF', `The stream at byte ${offset} is not an xref stream.`, { offset });
  const w = dict.getArray('W')?.asNumbers();
  if (!w || w.length !== 3 || w.some((x) => !Number.isInteger(x) || x < 0 || x > 8) || w[1] === 0) {
    throw new PdfError('PDF_BAD_XREF', `The xref stream at byte ${offset} has a bad /W.`, { offset });
  }
  const size = dict.getInt('Size') ?? 0;
  const index = dict.getArray('Index')?.asNumbers() ?? [0, size];
  if (index.length % 2 !== 0 || index.some((x) => !Number.isSafeInteger(x) || x < 0)) throw new PdfError('PDF_BAD_XREF', `The xref stream at byte ${offset} has a bad /Index.`, { offset });
  const data = decodeStreamData(dict, io.obj.raw, { maxDecodedSize: limits.maxDecodedSize }).data;
  const [w0, w1, w2] = w as [number, number, number];
  const row = w0 + w1 + w2;
  const entries = new Map<number, XrefEntry>();
  let pos = 0;
  const field = (width: number): number => {
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + data[pos++]!;
    return v;
  };
  for (let s = 0; s < index.length; s += 2) {
    const start = index[s]!;
    let n = index[s + 1]!;
    const rows = Math.floor((data.length - pos) / row);
    if (n > rows) {
      ctx.warn(`The xref stream at byte ${offset} claims ${n} entries but holds ${rows}.`);
      n = rows;
    }
    if (count.entries + entries.size + n > limits.maxObjects) throw new PdfError('PDF_LIMIT', `The cross-reference data lists more than ${limits.maxObjects} objects (the maxObjects limit).`, { offset });
    for (let i = 0; i < n; i++) {
      const type = w0 === 0 ? 1 : field(w0);
      const f2 = field(w1);
      const f3 = field(w2);
      const num = start + i;
      if (entries.has(num)) continue;
      if (type === 0) entries.set(num, { type: 'free', gen: f3 });
      else if (type === 1) entries.set(num, { type: 'offset', offset: f2, gen: f3 });
      else if (type === 2) entries.set(num, { type: 'compressed', stream: f2, index: f3 });
      // Other types are references to the null object (§7.5.8.3): left out.
    }
  }
  count.entries += entries.size;
  return { dict, entries, end: io.end };
}

/** Reads the chain of sections from `startxref` along /Prev, newest first. */
export function readXrefChain(source: ByteSource, startxref: number, ctx: ReadContext, limits: XrefLimits): XrefSection[] {
  const sections: XrefSection[] = [];
  const seen = new Set<number>();
  const count = { entries: 0 };
  let offset: number | undefined = startxref;
  while (offset !== undefined) {
    if (seen.has(offset)) {
      ctx.warn(`The /Prev chain loops back to byte ${offset}; it is cut there.`);
      break;
    }
    if (sections.length >= limits.maxRevisions) throw new PdfError('PDF_LIMIT', `The file has more than ${limits.maxRevisions} cross-reference sections (the maxRevisions limit).`);
    seen.add(offset);
    const section = readXrefSection(source, offset, ctx, limits, count);
    sections.push(section);
    const prev = section.trailer.get('Prev');
    offset = typeof prev === 'number' && Number.isSafeInteger(prev) && prev >= 0 ? prev : undefined;
    if (offset !== undefined && offset >= source.length) throw new PdfError('PDF_BAD_XREF', `A /Prev offset ${offset} lies outside the file.`);
  }
  return sections;
}

/** True when `a` is an array of numbers (helper for trailer checks). */
export function isNumberArray(a: unknown): a is PdfArray {
  return a instanceof PdfArray && a.items.every((x) => typeof x === 'number');
}
