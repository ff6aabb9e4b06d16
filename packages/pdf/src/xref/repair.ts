import { latin1 } from '@kyso/core';
import { PdfError } from '../errors.js';
import { readIndirectObject } from '../document/read-object.js';
import type { ReadContext } from '../document/read-object.js';
import { PdfDict } from '../objects/pdf-dict.js';
import { PdfName } from '../objects/pdf-name.js';
import { PdfRef } from '../objects/pdf-ref.js';
import { PdfStream } from '../objects/pdf-stream.js';
import { isDigit, isRegular, isWhite } from '../parse/chars.js';
import { Parser, withWindow } from '../parse/parser.js';
import type { ByteSource } from '../source/byte-source.js';
import { indexOf } from '../source/byte-source.js';
import { readXrefStream } from './read-xref.js';
import type { XrefLimits } from './read-xref.js';
import type { XrefEntry, XrefKind } from './xref-entry.js';

/** An object found by scanning, with the position that orders it (its own, or its object stream's). */
export interface ScannedEntry {
  readonly num: number;
  readonly entry: XrefEntry;
  readonly position: number;
}

/** A trailer found by scanning: a `trailer` dictionary or an xref stream's dictionary. */
export interface ScannedTrailer {
  readonly kind: XrefKind;
  /** Offset of the `xref` keyword (tables; -1 if not found) or of the xref stream object. */
  readonly xrefOffset: number;
  readonly position: number;
  readonly dict: PdfDict;
}

/** What a scan of the whole file found (ISO 32000-2 §7.5.4 gives no repair rules; this follows common practice). */
export interface ScanResult {
  /** Every candidate in file order. */
  readonly candidates: ScannedEntry[];
  /** The newest candidate per object number. */
  readonly entries: Map<number, XrefEntry>;
  readonly trailers: ScannedTrailer[];
  /** Offsets just after each `%%EOF` line. */
  readonly eofEnds: number[];
  /** The trailer to use: the newest with /Root, or one made up around the last catalog found. */
  readonly trailer: PdfDict;
}

const OBJ = latin1('obj');
const TRAILER = latin1('trailer');
const EOF_MARK = latin1('%%EOF');
const XREF = latin1('xref');
const STEP = 1 << 22;
const OVERLAP = 64;

/** Scans the whole file for `n g obj`, `trailer`, `xref` and `%%EOF`, in bounded chunks. */
export function scanFile(source: ByteSource, ctx: ReadContext, limits: XrefLimits): ScanResult {
  const direct: ScannedEntry[] = [];
  const trailerOffsets: number[] = [];
  const xrefOffsets: number[] = [];
  const eofEnds: number[] = [];
  const nums = new Set<number>();
  for (let chunkStart = 0; chunkStart < source.length; chunkStart += STEP) {
    const from = Math.max(0, chunkStart - OVERLAP);
    const buf = source.read(from, Math.min(source.length, chunkStart + STEP + OVERLAP));
    const inRange = (i: number) => from + i >= chunkStart && from + i < chunkStart + STEP;
    for (let i = indexOf(buf, OBJ, 0); i >= 0; i = indexOf(buf, OBJ, i + 1)) {
      if (!inRange(i) || (i + 3 < buf.length && isRegular(buf[i + 3]!))) continue;
      const h = objectHeaderBefore(buf, i);
      if (!h) continue;
      nums.add(h.num);
      if (nums.size > limits.maxObjects) throw new PdfError('PDF_LIMIT', `Scanning found more than ${limits.maxObjects} objects (the maxObjects limit).`);
      direct.push({ num: h.num, entry: { type: 'offset', offset: from + h.start, gen: h.gen }, position: from + h.start });
    }
    for (let i = indexOf(buf, TRAILER, 0); i >= 0; i = indexOf(buf, TRAILER, i + 1)) if (inRange(i)) trailerOffsets.push(from + i);
    for (let i = indexOf(buf, XREF, 0); i >= 0; i = indexOf(buf, XREF, i + 1)) {
      if (inRange(i) && (i === 0 || buf[i - 1] === 0x0a || buf[i - 1] === 0x0d) && isWhite(buf[i + 4] ?? 0x20)) xrefOffsets.push(from + i);
    }
    for (let i = indexOf(buf, EOF_MARK, 0); i >= 0; i = indexOf(buf, EOF_MARK, i + 1)) {
      if (!inRange(i)) continue;
      let end = from + i + 5;
      const b = source.read(end, end + 2);
      if (b[0] === 0x0d) end += b[1] === 0x0a ? 2 : 1;
      else if (b[0] === 0x0a) end += 1;
      eofEnds.push(end);
    }
  }
  if (direct.length === 0) throw new PdfError('PDF_NOT_PDF', 'No PDF objects were found in the file: it is not a PDF, or it is damaged beyond repair.');

  const trailers: ScannedTrailer[] = [];
  for (const t of trailerOffsets) {
    try {
      const dict = withWindow(source, t + TRAILER.length, 4096, ctx.maxDepth, (p: Parser) => p.parseObject());
      if (dict instanceof PdfDict) {
        const x = xrefOffsets.filter((o) => o < t).pop() ?? -1;
        trailers.push({ kind: 'table', xrefOffset: x, position: t, dict });
      }
    } catch {
      // An unreadable trailer is skipped.
    }
  }
  const compressed: ScannedEntry[] = [];
  const catalogs: ScannedEntry[] = [];
  const count = { entries: 0 };
  for (const d of direct) {
    if (d.entry.type !== 'offset') continue;
    const head = latin1Of(source.read(d.entry.offset, d.entry.offset + 512));
    const body = head.split('stream')[0] ?? head;
    try {
      if (/\/Type\s*\/XRef\b/.test(body)) {
        const s = readXrefStream(source, d.entry.offset, ctx, limits, count);
        trailers.push({ kind: 'stream', xrefOffset: d.entry.offset, position: d.position, dict: s.dict });
      } else if (/\/Type\s*\/ObjStm\b/.test(body)) {
        const io = readIndirectObject(source, d.entry.offset, ctx);
        if (io.obj instanceof PdfStream) {
          for (const [k, [num]] of objectStreamHeader(io.obj, limits.maxDecodedSize, ctx.maxDepth).entries()) {
            compressed.push({ num, entry: { type: 'compressed', stream: d.num, index: k }, position: d.position });
          }
        }
      } else if (/\/Type\s*\/Catalog\b/.test(body)) catalogs.push(d);
    } catch (e) {
      ctx.warn(`While repairing, object ${d.num} at ${d.entry.offset} could not be read: ${(e as Error).message}`);
    }
  }
  const candidates = [...direct, ...compressed].sort((a, b) => a.position - b.position);
  const entries = new Map<number, XrefEntry>();
  for (const c of candidates) entries.set(c.num, c.entry);
  trailers.sort((a, b) => a.position - b.position);

  let trailer = [...trailers].reverse().find((t) => t.dict.get('Root') instanceof PdfRef && entries.has((t.dict.get('Root') as PdfRef).num))?.dict;
  if (!trailer) {
    const cat = catalogs[catalogs.length - 1];
    if (!cat) throw new PdfError('PDF_NOT_PDF', 'The file has no readable trailer and no document catalog: it cannot be repaired.');
    trailer = PdfDict.of({ Root: PdfRef.of(cat.num, cat.entry.type === 'offset' ? cat.entry.gen : 0) });
    const info = [...trailers].reverse().find((t) => t.dict.has('Info'))?.dict.get('Info');
    if (info) trailer.set('Info', info);
  } else trailer = trailer.clone();
  trailer.delete('Prev');
  trailer.delete('XRefStm');
  if (trailer.getName('Type') === 'XRef') for (const k of ['Type', 'W', 'Index', 'Length', 'Filter', 'DecodeParms']) trailer.delete(k);
  const maxNum = Math.max(...entries.keys());
  trailer.set('Size', Math.max(maxNum + 1, trailer.getInt('Size') ?? 0));
  return { candidates, entries, trailers, eofEnds: [...new Set(eofEnds)].sort((a, b) => a - b), trailer };
}

/** The (num, offset) pairs of an object stream's header (§7.5.7). */
export function objectStreamHeader(stream: PdfStream, maxDecodedSize: number, maxDepth: number): [number, number][] {
  const n = stream.dict.getInt('N') ?? 0;
  const data = stream.decode({ maxDecodedSize });
  // Each header pair takes at least 4 bytes: a larger /N is absurd.
  if (n < 0 || n * 4 > data.length) throw new PdfError('PDF_LIMIT', `An object stream claims ${n} objects in ${data.length} bytes.`);
  const p = new Parser(data, -1, true, maxDepth);
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) out.push([p.readInt(), p.readInt()]);
  return out;
}

function objectHeaderBefore(buf: Uint8Array, objAt: number): { num: number; gen: number; start: number } | undefined {
  let i = objAt - 1;
  while (i >= 0 && isWhite(buf[i]!)) i--;
  const genEnd = i + 1;
  while (i >= 0 && isDigit(buf[i]!)) i--;
  const genStart = i + 1;
  if (genStart === genEnd || genEnd - genStart > 5) return undefined;
  const wsEnd = i + 1;
  while (i >= 0 && isWhite(buf[i]!)) i--;
  if (i + 1 === wsEnd) return undefined;
  const numEnd = i + 1;
  while (i >= 0 && isDigit(buf[i]!)) i--;
  const numStart = i + 1;
  if (numStart === numEnd || numEnd - numStart > 10) return undefined;
  if (i >= 0 && isRegular(buf[i]!)) return undefined;
  return { num: Number(latin1Of(buf.subarray(numStart, numEnd))), gen: Number(latin1Of(buf.subarray(genStart, genEnd))), start: numStart };
}

function latin1Of(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

/** Name check helper kept here so repair does not depend on the document. */
export function isType(d: PdfDict, type: string): boolean {
  const t = d.get('Type');
  return t instanceof PdfName && t.value === type;
}
