import { concatBytes, latin1 } from '@kyso/core';
import type { PdfDocument } from '../document/pdf-document.js';
import { PdfError } from '../errors.js';
import { PdfArray } from '../objects/pdf-array.js';
import { PdfDict } from '../objects/pdf-dict.js';
import { PdfName } from '../objects/pdf-name.js';
import type { PdfObject } from '../objects/pdf-object.js';
import { PdfRef } from '../objects/pdf-ref.js';
import { PdfStream } from '../objects/pdf-stream.js';
import { serializeIndirectObject, serializePdfObject } from '../objects/serialize.js';
import type { XrefEntry, XrefKind } from '../xref/xref-entry.js';

/** The appended part of an incremental update, for writers that append to a file. */
export interface IncrementalIncrement {
  /** Bytes to append after the original's last byte (starting with an EOL when the original lacks one). */
  readonly increment: Uint8Array;
  /** Length of the original the increment goes after. */
  readonly baseLength: number;
  /** Absolute offset (in the updated file) of every object written, by object number. */
  readonly offsets: ReadonlyMap<number, number>;
  /** Absolute offset of the new cross-reference section. */
  readonly xrefOffset: number;
  /** Kind of the new cross-reference section. */
  readonly xrefKind: XrefKind;
  /** The new trailer /Size. */
  readonly size: number;
}

/** The updated file in memory. */
export interface IncrementalResult extends IncrementalIncrement {
  /** The original bytes, untouched, followed by the increment. */
  readonly bytes: Uint8Array;
}

/**
 * An incremental update (ISO 32000-2 §7.5.6) under construction. New and changed objects are
 * written after the last byte as plain indirect objects (never in object streams, so a
 * signature dictionary's /ByteRange and /Contents can be patched in place), followed by a
 * cross-reference section of the same kind as the last revision's (table or stream) with /Prev,
 * and `startxref` / `%%EOF`. The original bytes are never changed.
 *
 * When the document was repaired, the section lists every object (with the offsets found by
 * scanning) and has no /Prev, so that readers do not follow the damaged chain.
 */
export class IncrementalUpdate {
  private readonly objects = new Map<number, { ref: PdfRef; obj: PdfObject }>();
  private readonly trailerOverrides = new Map<string, PdfObject | undefined>();
  private nextNum: number;
  private finished = false;

  /** @internal Use {@link PdfDocument.beginUpdate}. */
  constructor(readonly doc: PdfDocument) {
    this.nextNum = doc.size;
  }

  /** A new object number (generation 0), not used by the document or this update yet. */
  allocate(): PdfRef {
    return PdfRef.of(this.nextNum++, 0);
  }

  /** Writes `obj` as object `ref` (a new one from {@link allocate}, or an existing one to replace). */
  set(ref: PdfRef, obj: PdfObject): void {
    if (this.finished) throw new PdfError('PDF_MISUSE', 'This update is already finished.');
    if (!Number.isSafeInteger(ref.num) || ref.num <= 0) throw new PdfError('PDF_MISUSE', `Cannot write object number ${ref.num}.`);
    if (ref.num >= this.nextNum) this.nextNum = ref.num + 1;
    this.objects.set(ref.num, { ref, obj });
  }

  /** The object this update writes for `ref`, or the document's. */
  get(ref: PdfRef): PdfObject {
    return this.objects.get(ref.num)?.obj ?? this.doc.getObject(ref);
  }

  /** True when this update writes object `ref`. */
  has(ref: PdfRef): boolean {
    return this.objects.has(ref.num);
  }

  /** References of the objects written so far, in writing order. */
  get refs(): PdfRef[] {
    return [...this.objects.values()].map((o) => o.ref);
  }

  /**
   * Sets (or with `undefined`, removes) an entry of the new trailer. /Root, /Info and /ID are
   * carried over from the last trailer unless set here; /Size, /Prev and the xref-stream keys
   * are computed.
   */
  setTrailerEntry(key: string, value: PdfObject | undefined): void {
    if (['Size', 'Prev', 'XRefStm', 'W', 'Index', 'Type', 'Length', 'Filter', 'DecodeParms'].includes(key)) {
      throw new PdfError('PDF_MISUSE', `The trailer entry /${key} is computed by the writer.`);
    }
    this.trailerOverrides.set(key, value);
  }

  /** Serialises the update; returns only the bytes to append (see {@link IncrementalIncrement}). */
  finishIncrement(): IncrementalIncrement {
    if (this.objects.size === 0) throw new PdfError('PDF_MISUSE', 'An incremental update needs at least one object.');
    this.finished = true;
    const doc = this.doc;
    const source = doc.source;
    const last = doc.revisions[doc.revisions.length - 1]!;
    const repaired = doc.repaired;
    const lastByte = source.length ? source.read(source.length - 1, source.length)[0] : 0x0a;
    const needsEol = lastByte !== 0x0a && lastByte !== 0x0d;
    const base = source.length + (needsEol ? 1 : 0);
    const parts: Uint8Array[] = [];
    let pos = base;
    if (needsEol) parts.push(latin1('\n'));
    const offsets = new Map<number, number>();
    for (const { ref, obj } of this.objects.values()) {
      const b = serializeIndirectObject(ref, obj);
      offsets.set(ref.num, pos);
      parts.push(b);
      pos += b.length;
    }

    // Entries of the new section: the written objects, or everything when the file was repaired.
    const entries = new Map<number, XrefEntry>();
    let kind: XrefKind = last.xrefKind;
    if (repaired) {
      const scan = doc.core.ensureScan(doc.readContext(false));
      for (const [n, e] of scan.entries) if (e.type !== 'free') entries.set(n, e);
      if ([...entries.values()].some((e) => e.type === 'compressed')) kind = 'stream';
    }
    for (const { ref } of this.objects.values()) entries.set(ref.num, { type: 'offset', offset: offsets.get(ref.num)!, gen: ref.gen });

    const trailer = PdfDict.of();
    const prevTrailer = doc.trailer;
    const carry = (k: string) => {
      const v = this.trailerOverrides.has(k) ? this.trailerOverrides.get(k) : prevTrailer.get(k);
      if (v !== undefined) trailer.set(k, v);
    };
    const xrefOffset = pos;
    let size = Math.max(this.nextNum, doc.size);
    if (kind === 'stream') {
      const xrefRef = PdfRef.of(size, 0);
      size += 1;
      entries.set(xrefRef.num, { type: 'offset', offset: xrefOffset, gen: 0 });
      trailer.set('Type', PdfName.of('XRef'));
      trailer.set('Size', size);
      for (const k of ['Root', 'Info', 'ID']) carry(k);
      for (const [k, v] of this.trailerOverrides) if (!['Root', 'Info', 'ID'].includes(k) && v !== undefined) trailer.set(k, v);
      if (!repaired) trailer.set('Prev', last.xrefOffset);
      const { data, w, index } = xrefStreamData(entries, repaired);
      trailer.set('Index', PdfArray.of(index));
      trailer.set('W', PdfArray.of(w));
      const b = serializeIndirectObject(xrefRef, PdfStream.of(trailer, data));
      parts.push(b);
      pos += b.length;
      offsets.set(xrefRef.num, xrefOffset);
    } else {
      const b = latin1(xrefTable(entries, repaired));
      parts.push(b);
      pos += b.length;
      trailer.set('Size', size);
      for (const k of ['Root', 'Info', 'ID']) carry(k);
      for (const [k, v] of this.trailerOverrides) if (!['Root', 'Info', 'ID'].includes(k) && v !== undefined) trailer.set(k, v);
      if (!repaired) trailer.set('Prev', last.xrefOffset);
      const t = concatBytes(latin1('trailer\n'), serializePdfObject(trailer), latin1('\n'));
      parts.push(t);
      pos += t.length;
    }
    parts.push(latin1(`startxref\n${xrefOffset}\n%%EOF\n`));
    return { increment: concatBytes(...parts), baseLength: source.length, offsets, xrefOffset, xrefKind: kind, size };
  }

  /**
   * Serialises the update and returns the whole updated file: the original bytes (copied, never
   * changed) followed by the increment. Needs the original in memory (`source.read(0, length)`).
   */
  finish(): IncrementalResult {
    const inc = this.finishIncrement();
    const source = this.doc.source;
    const bytes = new Uint8Array(source.length + inc.increment.length);
    const chunk = 1 << 24;
    for (let i = 0; i < source.length; i += chunk) bytes.set(source.read(i, Math.min(source.length, i + chunk)), i);
    bytes.set(inc.increment, source.length);
    return { ...inc, bytes };
  }
}

/** A classic cross-reference table (§7.5.4): one subsection per run of consecutive numbers. */
function xrefTable(entries: Map<number, XrefEntry>, full: boolean): string {
  const nums = [...entries.keys()].sort((a, b) => a - b);
  if (full && nums[0] !== 0) nums.unshift(0);
  let out = 'xref\n';
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    out += `${nums[i]} ${j - i + 1}\n`;
    for (let k = i; k <= j; k++) {
      const e = entries.get(nums[k]!);
      if (!e || e.type !== 'offset') out += '0000000000 65535 f\r\n';
      else out += `${String(e.offset).padStart(10, '0')} ${String(e.gen).padStart(5, '0')} n\r\n`;
    }
    i = j + 1;
  }
  return out;
}

function byteWidth(n: number): number {
  let w = 1;
  while (n >= 2 ** (8 * w)) w++;
  return w;
}

/** The binary rows of a cross-reference stream (§7.5.8.2), uncompressed. */
function xrefStreamData(entries: Map<number, XrefEntry>, full: boolean): { data: Uint8Array; w: number[]; index: number[] } {
  const nums = [...entries.keys()].sort((a, b) => a - b);
  if (full && nums[0] !== 0) nums.unshift(0);
  let max2 = 0;
  let max3 = 0;
  for (const e of entries.values()) {
    if (e.type === 'offset') {
      max2 = Math.max(max2, e.offset);
      max3 = Math.max(max3, e.gen);
    } else if (e.type === 'compressed') {
      max2 = Math.max(max2, e.stream);
      max3 = Math.max(max3, e.index);
    }
  }
  max3 = Math.max(max3, full ? 65535 : 0);
  const w = [1, byteWidth(max2), byteWidth(max3)];
  const row = w[0]! + w[1]! + w[2]!;
  const data = new Uint8Array(nums.length * row);
  const index: number[] = [];
  let p = 0;
  const put = (v: number, width: number) => {
    for (let k = width - 1; k >= 0; k--) data[p++] = Math.floor(v / 2 ** (8 * k)) & 0xff;
  };
  for (let i = 0; i < nums.length; ) {
    let j = i;
    while (j + 1 < nums.length && nums[j + 1] === nums[j]! + 1) j++;
    index.push(nums[i]!, j - i + 1);
    for (let k = i; k <= j; k++) {
      const e = entries.get(nums[k]!);
      if (!e || e.type === 'free') {
        put(0, w[0]!);
        put(0, w[1]!);
        put(nums[k] === 0 ? 65535 : 0, w[2]!);
      } else if (e.type === 'offset') {
        put(1, w[0]!);
        put(e.offset, w[1]!);
        put(e.gen, w[2]!);
      } else {
        put(2, w[0]!);
        put(e.stream, w[1]!);
        put(e.index, w[2]!);
      }
    }
    i = j + 1;
  }
  return { data, w, index };
}
