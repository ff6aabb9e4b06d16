/**
 * File-structure checks for what comes after a signature: what the cross-reference chain shows
 * must be all there is, and each incremental update must only define objects in its own bytes
 * (ISO 32000-2 §7.5.6). These catch the attacks that change what a reader sees without an object
 * diff noticing: shadow objects (an xref entry that points back into signed bytes, Mainka et al.
 * 2021), a /Prev that skips an update, a cross-reference section hidden in signed bytes, duplicate
 * or hybrid entries that readers resolve differently, and data after the last %%EOF.
 */
import { latin1 } from '@kyso/core';
import { findForward, PdfDocument, PdfError, PdfStream, type ByteSource, type PdfRevision, type XrefEntry } from '@kyso/pdf';
import type { ChangeLog } from './change-log.js';
import { sameEntry } from './xref-entries.js';

const EOF = latin1('%%EOF');
const LATIN1 = new TextDecoder('latin1');

/** Bytes as one character each (windows-1252 keeps ASCII and the length). */
function text(bytes: Uint8Array): string {
  return LATIN1.decode(bytes);
}

/** A {@link ByteSource} that ends at `length` (the file as it was signed). */
function prefixSource(source: ByteSource, length: number): ByteSource {
  return { length, inMemory: source.inMemory, read: (start, end) => source.read(start, Math.min(end, length)) };
}


function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The signed revision as its signer's reader saw it: the file cut at the end of revision `s`,
 * opened on its own, must give the same revisions and the same cross-reference entries as the
 * whole file gives for revisions 0..s. A later /Prev that points to a section hidden in the signed
 * bytes (which the reader would merge into the signed revision), or that skips sections, breaks this.
 */
export function checkSignedChain(doc: PdfDocument, s: number, log: ChangeLog): void {
  const rev = doc.revisions[s]!;
  let prefix: PdfDocument;
  try {
    prefix = PdfDocument.open(prefixSource(doc.source, rev.end), { allowEncrypted: true });
  } catch (e) {
    if (!(e instanceof PdfError)) throw e;
    log.reject(s, null, 'xref-chain-mismatch', `the signed bytes cannot be read on their own (${e.message}), so the signed revision is not what the rest of the file says it is`);
    return;
  }
  const mismatch = (what: string) => log.reject(s, null, 'xref-chain-mismatch', `the cross-reference chain of the signed revision differs from the one in the signed bytes: ${what} (a later /Prev points to other sections than the signer's file had)`);
  if (prefix.repaired) {
    mismatch('the signed bytes have a damaged cross-reference');
    return;
  }
  const mine = prefix.revisions;
  if (mine.length !== s + 1) {
    mismatch(`the signed bytes have ${mine.length} revision(s), the file's chain ${s + 1} up to this signature`);
    return;
  }
  for (let i = 0; i <= s; i++) {
    const a = mine[i]!;
    const b = doc.revisions[i]!;
    if (a.xrefOffset !== b.xrefOffset || !sameList(a.sectionOffsets, b.sectionOffsets) || a.end !== b.end) {
      mismatch(`revision ${i + 1} has sections at [${b.sectionOffsets.join(', ')}], the signed bytes at [${a.sectionOffsets.join(', ')}]`);
      return;
    }
    if (!sameList(a.objects, b.objects) || !sameList(a.freed, b.freed)) {
      mismatch(`revision ${i + 1} defines other objects`);
      return;
    }
    const va = prefix.atRevision(i);
    const vb = doc.atRevision(i);
    for (const num of a.objects) {
      if (!sameEntry(va.getXrefEntry(num), vb.getXrefEntry(num))) {
        mismatch(`object ${num} of revision ${i + 1} is located elsewhere`);
        return;
      }
    }
  }
}

/** Where `entry` puts an object's bytes: its offset, or its object stream's offset (as `view` resolves it). */
function location(view: PdfDocument, entry: XrefEntry): number | undefined {
  if (entry.type === 'offset') return entry.offset;
  if (entry.type === 'compressed') {
    const s = view.getXrefEntry(entry.stream);
    return s?.type === 'offset' ? s.offset : undefined;
  }
  return undefined;
}

/**
 * Every object of the signed revisions must lie in the signed bytes: an xref entry (or object
 * stream) at or past the end of the signed revision names bytes that did not exist when it was
 * signed, which a later update can then supply without redefining the object.
 */
export function checkSignedEntries(doc: PdfDocument, s: number, log: ChangeLog): void {
  const end = doc.revisions[s]!.end;
  const view = doc.atRevision(s);
  const seen = new Set<number>();
  for (let i = s; i >= 0; i--) {
    // Indexed, and the oldest revision's numbers (usually nearly all) are not remembered: this
    // runs once, uncompiled.
    const objects = doc.revisions[i]!.objects;
    for (let k = 0; k < objects.length; k++) {
      const num = objects[k]!;
      if (i < s && seen.has(num)) continue;
      if (i > 0) seen.add(num);
      const e = view.getXrefEntry(num);
      if (!e || e.type === 'free') continue;
      const at = location(view, e);
      if (at === undefined || at >= end) {
        log.reject(s, `${num} ${e.type === 'offset' ? e.gen : 0}`, 'xref-entry-outside-signature', `object ${num} of the signed revision is located ${at === undefined ? 'nowhere (a missing object stream)' : `at byte ${at}`}, after the signed bytes end (${end}): later bytes decide what it is`);
      }
    }
  }
}

/** Entries of a classic xref table parsed on their own, with the object numbers listed more than once with different values. */
function parseXrefTable(source: ByteSource, offset: number, end: number): { entries: Map<number, XrefEntry>; conflicts: number[] } | undefined {
  const tokens = text(source.read(offset, Math.min(end, offset + (1 << 22)))).split(/[\s]+/).filter((t) => t.length > 0);
  if (tokens[0] !== 'xref') return undefined;
  const entries = new Map<number, XrefEntry>();
  const conflicts: number[] = [];
  let i = 1;
  while (i < tokens.length && !tokens[i]!.startsWith('trailer')) {
    let start = Number(tokens[i]);
    const count = Number(tokens[i + 1]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || count < 0) return undefined;
    i += 2;
    for (let k = 0; k < count; k++, i += 3) {
      const off = Number(tokens[i]);
      const gen = Number(tokens[i + 1]);
      const kind = tokens[i + 2];
      if (kind !== 'n' && kind !== 'f') return { entries, conflicts };
      // The reader's quirk: a table starting at 1 whose first entry is object 0's.
      if (k === 0 && start === 1 && kind === 'f' && off === 0 && gen === 65535) start = 0;
      const num = start + k;
      const e: XrefEntry = kind === 'n' ? { type: 'offset', offset: off, gen } : { type: 'free', gen };
      const had = entries.get(num);
      if (had) {
        if (!sameEntry(had, e)) conflicts.push(num);
        continue;
      }
      entries.set(num, e);
    }
  }
  return { entries, conflicts };
}

/** Decodes the entries of the /XRefStm stream of a hybrid section (ISO 32000-2 §7.5.8.4), or undefined when it cannot be found. */
function hybridStreamEntries(view: PdfDocument, offset: number): Map<number, XrefEntry> | undefined {
  const head = text(view.source.read(offset, offset + 40));
  const m = /^\s*(\d+)\s+(\d+)\s+obj/.exec(head);
  if (!m) return undefined;
  const num = Number(m[1]);
  const e = view.getXrefEntry(num);
  if (e?.type !== 'offset' || Math.abs(e.offset - offset) > 4) return undefined;
  const s = view.getObject(num);
  if (!(s instanceof PdfStream)) return undefined;
  const w = s.dict.getArray('W', view)?.asNumbers(view);
  if (!w || w.length !== 3 || w.some((x) => !Number.isInteger(x) || x < 0 || x > 8)) return undefined;
  const size = s.dict.getInt('Size', view) ?? 0;
  const index = s.dict.getArray('Index', view)?.asNumbers(view) ?? [0, size];
  const data = s.decode({ resolver: view });
  const [w0, w1, w2] = w as [number, number, number];
  const out = new Map<number, XrefEntry>();
  let pos = 0;
  const field = (width: number, dflt: number) => {
    if (width === 0) return dflt;
    let v = 0;
    for (let k = 0; k < width; k++) v = v * 256 + (data[pos++] ?? 0);
    return v;
  };
  for (let i = 0; i + 1 < index.length; i += 2) {
    for (let k = 0; k < index[i + 1]! && pos + w0 + w1 + w2 <= data.length; k++) {
      const t = field(w0, 1);
      const f2 = field(w1, 0);
      const f3 = field(w2, 0);
      const n = index[i]! + k;
      if (out.has(n)) continue;
      if (t === 0) out.set(n, { type: 'free', gen: f3 });
      else if (t === 1) out.set(n, { type: 'offset', offset: f2, gen: f3 });
      else if (t === 2) out.set(n, { type: 'compressed', stream: f2, index: f3 });
    }
  }
  return out;
}

/**
 * Checks the cross-reference section of revision `r` (after the signature): one section in its
 * own bytes, /Prev to the previous revision, entries that point into the revision's own bytes, no
 * object listed twice, and a hybrid /XRefStm that agrees with its table.
 */
export function checkLaterRevision(doc: PdfDocument, r: number, log: ChangeLog): void {
  const rev = doc.revisions[r]!;
  const prev = doc.revisions[r - 1]!;
  const inRev = (o: number) => o >= rev.start && o < rev.end;
  if (rev.sectionOffsets.length !== 1) {
    log.reject(r, null, 'xref-extra-section', `revision ${r + 1} has ${rev.sectionOffsets.length} cross-reference sections (at bytes ${rev.sectionOffsets.join(', ')}); an incremental update has one, so the others were hidden in earlier bytes`);
  }
  for (const o of rev.sectionOffsets) {
    if (!inRev(o)) log.reject(r, null, 'xref-outside-revision', `revision ${r + 1}'s cross-reference section is at byte ${o}, outside its own bytes (${rev.start}–${rev.end})`);
  }
  const p = rev.trailer.get('Prev');
  if (p !== prev.xrefOffset) {
    log.reject(r, null, 'prev-mismatch', `revision ${r + 1}'s /Prev is ${typeof p === 'number' ? p : 'missing'}, not the previous revision's cross-reference section (${prev.xrefOffset})`);
  }
  const after = doc.atRevision(r);
  const before = doc.atRevision(r - 1);
  // Entries that point outside the revision: shadow objects (Mainka et al. 2021) or bytes yet to come.
  for (const num of rev.objects) {
    const e = after.getXrefEntry(num);
    if (!e || e.type === 'free' || sameEntry(e, before.getXrefEntry(num))) continue;
    const at = location(after, e);
    if (at === undefined || !inRev(at)) {
      const where = at === undefined ? 'in an object stream that does not exist' : at < rev.start ? `at byte ${at}, in the bytes of an earlier revision (a shadow object)` : `at byte ${at}, past the end of its revision`;
      log.reject(r, `${num} ${e.type === 'offset' ? e.gen : 0}`, 'xref-shadow-entry', `revision ${r + 1} defines object ${num} ${where}; an incremental update writes the objects it defines in its own bytes`);
    }
  }
  if (rev.xrefKind === 'table') {
    const table = parseXrefTable(doc.source, rev.xrefOffset, rev.end);
    for (const num of table?.conflicts ?? []) {
      log.reject(r, `${num} 0`, 'xref-duplicate-entry', `revision ${r + 1}'s cross-reference table lists object ${num} twice with different locations; readers disagree on which one counts`);
    }
    const stm = rev.trailer.get('XRefStm');
    if (typeof stm === 'number') {
      if (!inRev(stm)) log.reject(r, null, 'xref-outside-revision', `revision ${r + 1}'s hybrid /XRefStm is at byte ${stm}, outside its own bytes`);
      else {
        let hybrid: Map<number, XrefEntry> | undefined;
        try {
          hybrid = hybridStreamEntries(after, stm);
        } catch (e) {
          if (!(e instanceof PdfError)) throw e;
        }
        if (!hybrid) log.reject(r, null, 'hybrid-xref-conflict', `revision ${r + 1}'s hybrid /XRefStm at byte ${stm} cannot be read, so what readers without hybrid support see cannot be compared`);
        else {
          for (const [num, e] of hybrid) {
            const t = table?.entries.get(num);
            if (t && t.type !== 'free' && !sameEntry(t, e)) {
              log.reject(r, `${num} 0`, 'hybrid-xref-conflict', `object ${num}: revision ${r + 1}'s xref table and its /XRefStm stream locate it differently (ISO 32000-2 §7.5.8.4); readers with and without hybrid support see different documents`);
            }
          }
        }
      }
    }
  } else {
    const size = rev.trailer.getInt('Size') ?? 0;
    const index = rev.trailer.getArray('Index')?.asNumbers() ?? [0, size];
    const ranges: [number, number][] = [];
    for (let i = 0; i + 1 < index.length; i += 2) ranges.push([index[i]!, index[i]! + index[i + 1]!]);
    ranges.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ranges.length; i++) {
      if (ranges[i]![0] < ranges[i - 1]![1]) {
        log.reject(r, null, 'xref-duplicate-entry', `revision ${r + 1}'s cross-reference stream lists objects ${ranges[i]![0]}–${ranges[i - 1]![1] - 1} twice (overlapping /Index); readers disagree on which entry counts`);
        break;
      }
    }
  }
}

/**
 * Incremental updates the cross-reference chain does not show: a `startxref … %%EOF` after the
 * signature that ends none of the revisions (a /Prev that skips it), and bytes after the last
 * %%EOF. `s` is the signature's revision; reports against it.
 */
export function checkUnaccountedBytes(doc: PdfDocument, s: number, log: ChangeLog): void {
  const revs = doc.revisions;
  const source = doc.source;
  const last = revs[revs.length - 1]!;
  const ends = new Set(revs.map((r: PdfRevision) => r.eofEnd - EOF.length));
  for (let at = findForward(source, EOF, revs[s]!.end); at >= 0; at = findForward(source, EOF, at + EOF.length)) {
    if (ends.has(at)) continue;
    const before = text(source.read(Math.max(0, at - 48), at));
    if (/startxref\s+\d+\s*$/.test(before)) {
      const r = revs.findIndex((x) => at >= x.start && at < x.end);
      log.reject(r < 0 ? revs.length - 1 : r, null, 'hidden-revision', `an incremental update ends at byte ${at + EOF.length} but the cross-reference chain skips it (a /Prev that jumps over it): its objects are invisible to the analysis and may not be to other readers`);
    }
  }
  if (last.end < source.length) {
    const n = source.length - last.end;
    const tail = source.read(last.end, last.end + Math.min(n, 1 << 20));
    let junk = false;
    for (const b of tail) if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0x0c && b !== 0x00) junk = true;
    if (!junk && n <= tail.length) return;
    const pdfLike = n > tail.length || /\d+\s+\d+\s+obj|xref|trailer|startxref|%%EOF/.test(text(tail.subarray(0, 1 << 16)));
    log.add(
      revs.length - 1,
      null,
      'trailing-data',
      pdfLike ? 'never' : 'always',
      pdfLike
        ? `${n} bytes after the last %%EOF hold PDF syntax that no cross-reference section lists; a reader that repairs the file would use them`
        : `${n} bytes of data after the last %%EOF that no reader uses`,
    );
  }
}
