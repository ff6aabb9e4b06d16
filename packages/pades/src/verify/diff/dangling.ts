/**
 * Dangling references: an object of an earlier revision that refers to an object number nothing
 * defines yet (a reference to a free or missing object is the null object, ISO 32000-2 §7.3.10).
 * A later update that defines that number changes what the old object shows without touching it —
 * the shadow attacks' way to "hide" content in a signed document and reveal it afterwards.
 * Unchanged old objects are not compared by the diff, so their references are searched here: in
 * the file's bytes before the update and in the object streams in use, each hit kept only when it
 * lies inside an object that is live (its cross-reference entry points there).
 */
import { PdfError, PdfStream, type ByteSource, type PdfDocument } from '@kyso/pdf';

const LATIN1 = new TextDecoder('latin1');
const CHUNK = 1 << 20;

/** A live object of revision `r - 1` that refers to one of `targets`. */
export interface DanglingReference {
  /** The referenced (newly defined) object number. */
  readonly target: number;
  /** The old object that refers to it. */
  readonly from: number;
}

/**
 * Finds live objects of `before` (the view of the revision before the update) that refer to any
 * of `targets` (object number → generation), objects that `before` does not define.
 */
export function findDanglingReferences(before: PdfDocument, targets: ReadonlyMap<number, number>): DanglingReference[] {
  if (targets.size === 0) return [];
  const out: DanglingReference[] = [];
  const found = new Set<string>();
  const note = (target: number, from: number) => {
    const k = `${target}>${from}`;
    if (found.has(k)) return;
    found.add(k);
    out.push({ target, from });
  };
  const end = before.revisions[before.revisions.length - 1]!.end;
  // The references to the targets in the file's bytes, then the object around each of them.
  const refs = referencesIn(before.source);
  for (let k = 0; k < refs.at.length && refs.r[k]! < end; k++) {
    const num = refs.num[k]!;
    if (targets.get(num) !== refs.gen[k]) continue;
    const owner = ownerAt(before, refs.at[k]!);
    if (owner !== undefined && owner !== num) note(num, owner);
  }
  // Objects inside object streams (ISO 32000-2 §7.5.7): decode each stream in use. Only a
  // cross-reference stream (or a repair scan) can place objects in them: a file whose revisions
  // each have one cross-reference table has none to look for.
  const streams = new Set<number>();
  const seen = new Set<number>();
  const hasStreams = before.repaired || before.revisions.some((r) => r.xrefKind === 'stream' || r.hybrid || r.sectionOffsets.length > 1);
  for (let i = hasStreams ? before.revisions.length - 1 : -1; i >= 0; i--) {
    for (const n of before.revisions[i]!.objects) {
      if (seen.has(n)) continue;
      seen.add(n);
      const e = before.getXrefEntry(n);
      if (e?.type === 'compressed') streams.add(e.stream);
    }
  }
  const anyRef = /(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+R(?![A-Za-z0-9_])/g;
  for (const sn of streams) {
    let data: Uint8Array;
    let first: number;
    let pairs: [number, number][];
    try {
      const s = before.getObject(sn);
      if (!(s instanceof PdfStream)) continue;
      data = s.decode({ resolver: before });
      first = s.dict.getInt('First', before) ?? 0;
      const head = LATIN1.decode(data.subarray(0, Math.min(first, data.length))).trim().split(/\s+/).map(Number);
      pairs = [];
      for (let i = 0; i + 1 < head.length; i += 2) pairs.push([head[i]!, head[i + 1]!]);
    } catch (e) {
      if (e instanceof PdfError) continue;
      throw e;
    }
    const text = LATIN1.decode(data);
    anyRef.lastIndex = 0;
    for (let m = anyRef.exec(text); m; m = anyRef.exec(text)) {
      const num = Number(m[1]);
      if (targets.get(num) !== Number(m[2])) continue;
      const rel = m.index - first;
      let owner: number | undefined;
      let best = -1;
      for (const [n, off] of pairs) {
        if (off <= rel && off > best) {
          best = off;
          owner = n;
        }
      }
      if (owner === undefined || owner === num) continue;
      const e = before.getXrefEntry(owner);
      if (e?.type === 'compressed' && e.stream === sn) note(num, owner);
    }
  }
  return out;
}

/** The file's `num gen R` references, in file order: where each starts and where its `R` is, its number and generation. */
export interface References {
  readonly at: number[];
  readonly r: number[];
  readonly num: number[];
  readonly gen: number[];
}

/** The references of each file, found in one pass: every signature and revision asks about the same bytes. */
const referenceCache = new WeakMap<ByteSource, References>();
/** Searches begun on chunks that someone else read ({@link scanReferencesAlong}), finished on first use. */
const pendingScans = new WeakMap<ByteSource, ReferenceScan>();

/** Bytes that may separate the tokens of a reference: PDF white-space (ISO 32000-2 Table 1) and what other readers also accept (VT, NBSP). */
const SEPARATOR = new Uint8Array(256);
for (const b of [0x00, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0]) SEPARATOR[b] = 1;
const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
const isWordChar = (b: number | undefined) => b !== undefined && (isDigit(b) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f);

/**
 * Every `num gen R` in the whole file, found from its `R`s (a native byte search: a 40 MB file
 * holds a few thousand) by reading the two numbers backwards. The file is read once, in chunks,
 * unless the signatures' hash pass has already shown this search most of it
 * ({@link scanReferencesAlong}).
 * @internal
 */
export function referencesIn(source: ByteSource): References {
  const cached = referenceCache.get(source);
  if (cached) return cached;
  const refs = (pendingScans.get(source) ?? new ReferenceScan(source)).finish();
  pendingScans.delete(source);
  referenceCache.set(source, refs);
  return refs;
}

/**
 * Lets the search of {@link referencesIn} run on the chunks of a file that another pass reads
 * anyway (the hash of the signatures' byte ranges, from byte 0 on), so that a document whose
 * later revisions are analysed is not read a second time. Returns what to call with each chunk,
 * in file order; the search reads what the pass did not show it when it is first needed.
 * @internal
 */
export function scanReferencesAlong(source: ByteSource): (chunk: Uint8Array, start: number) => void {
  if (referenceCache.has(source)) return () => undefined; // searched already (a second verification of the same document)
  const scan = pendingScans.get(source) ?? new ReferenceScan(source);
  pendingScans.set(source, scan);
  return (chunk, start) => scan.add(chunk, start);
}

/** The search of {@link referencesIn}, fed the file's bytes in order, chunk by chunk. */
class ReferenceScan {
  private readonly refs: References = { at: [], r: [], num: [], gen: [] };
  /** Where the next chunk must start: the file before it has been searched. */
  private next = 0;

  constructor(private readonly source: ByteSource) {}

  /** Searches bytes `[start, start + chunk.length)` of the file; a chunk that does not start where the last one ended is left for {@link finish}. */
  add(chunk: Uint8Array, start: number): void {
    if (start !== this.next || chunk.length === 0) return;
    // What follows an `R` decides whether it is a keyword: past the chunk, the file says.
    const after = start + chunk.length < this.source.length ? () => this.source.read(start + chunk.length, start + chunk.length + 1)[0] : () => undefined;
    const search = searchable(chunk);
    for (let i = search.indexOf(0x52); i >= 0; i = search.indexOf(0x52, i + 1)) {
      if (isWordChar(i + 1 < chunk.length ? chunk[i + 1] : after())) continue;
      let ref = referenceEndingAt(chunk, i, start === 0);
      if (ref === EDGE) ref = referenceBefore(this.source, start + i); // it begins in the previous chunk
      if (!ref) continue;
      this.refs.at.push(start + i - ref.length);
      this.refs.r.push(start + i);
      this.refs.num.push(ref.num);
      this.refs.gen.push(ref.gen);
    }
    this.next = start + chunk.length;
  }

  /** Searches the rest of the file and returns every reference found, in file order. */
  finish(): References {
    const source = this.source;
    // A file in memory is searched whole; a file on disk through one reused buffer (fresh 1 MiB
    // arrays cost page faults and garbage collection).
    const scratch = !source.inMemory && source.readInto ? new Uint8Array(CHUNK) : undefined;
    while (this.next < source.length) {
      const start = this.next;
      const end = source.inMemory ? source.length : Math.min(source.length, start + CHUNK);
      const chunk = scratch ? scratch.subarray(0, source.readInto!(scratch.subarray(0, end - start), start)) : source.read(start, end);
      if (chunk.length === 0) break; // the file ended early
      this.add(chunk, start);
    }
    return this.refs;
  }
}

/** `b` with the fastest `indexOf` at hand: Node's Buffer searches with memchr, twice as fast as a typed array's. */
function searchable(b: Uint8Array): { indexOf(byte: number, from?: number): number } {
  const NodeBuffer = (globalThis as { Buffer?: { from(a: ArrayBufferLike, offset: number, length: number): Uint8Array } }).Buffer;
  return NodeBuffer ? NodeBuffer.from(b.buffer, b.byteOffset, b.length) : b;
}

/** What {@link referenceEndingAt} answers when the bytes before it are needed. */
const EDGE = 'edge';
type Reference = { num: number; gen: number; length: number };

/**
 * The reference `num gen R` whose `R` is at `i` in `b` (the regular expression
 * `(?<![0-9])\d{1,10}\s+\d{1,5}\s+R` read backwards): its numbers and its length before the
 * `R`; null when there is none; {@link EDGE} when it may begin before `b` (unless `b` starts the file).
 */
function referenceEndingAt(b: Uint8Array, i: number, startsFile: boolean): Reference | null | typeof EDGE {
  let j = i - 1;
  let edge = false;
  const separators = (): boolean => {
    const from = j;
    while (j >= 0 && SEPARATOR[b[j]!]) j--;
    if (j < 0) edge = true;
    return j < from && j >= 0;
  };
  const digits = (max: number): number | null => {
    let value = 0;
    let scale = 1;
    const from = j;
    while (j >= 0 && isDigit(b[j]) && from - j < max) {
      value += (b[j]! - 0x30) * scale;
      scale *= 10;
      j--;
    }
    if (j < 0) edge = true;
    return j < from && !isDigit(b[j]) ? value : null;
  };
  const found = separators() ? digits(5) : null;
  const gen = found !== null && separators() ? found : null;
  const num = gen !== null ? digits(10) : null;
  if (edge && !startsFile) return EDGE;
  return num === null || gen === null ? null : { num, gen, length: i - (j + 1) };
}

/** {@link referenceEndingAt} for an `R` at file offset `at`, reading as far back as the reference needs. */
function referenceBefore(source: ByteSource, at: number): Reference | null {
  for (let back = 4096; ; back *= 4) {
    const from = Math.max(0, at - back);
    const ref = referenceEndingAt(source.read(from, at + 1), at - from, from === 0);
    if (ref !== EDGE) return ref;
  }
}

const HEADER = /(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj(?![A-Za-z0-9_])|endobj/g;

/**
 * The live object whose bytes contain offset `at`: the last `n g obj` header before it with no
 * `endobj` in between, whose cross-reference entry (in `view`) points there. Looks back at most
 * 16 MiB; undefined when no live object holds the offset (a trailer, a superseded object).
 */
function ownerAt(view: PdfDocument, at: number): number | undefined {
  for (let back = 1 << 16; back <= 1 << 24; back *= 4) {
    const from = Math.max(0, at - back);
    const text = LATIN1.decode(view.source.read(from, at));
    let last: { num: number; at: number } | null = null;
    let closed = false;
    HEADER.lastIndex = 0;
    for (let m = HEADER.exec(text); m; m = HEADER.exec(text)) {
      if (m[0] === 'endobj') closed = true;
      else {
        last = { num: Number(m[1]), at: from + m.index };
        closed = false;
      }
    }
    if (closed) return undefined;
    if (last) {
      const e = view.getXrefEntry(last.num);
      // The xref offset points at the header, or at the whitespace before it.
      return e?.type === 'offset' && e.offset <= last.at && last.at - e.offset < 16 ? last.num : undefined;
    }
    if (from === 0) return undefined;
  }
  return undefined;
}
