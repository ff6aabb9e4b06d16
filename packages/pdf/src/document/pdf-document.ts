import { PdfError } from '../errors.js';
import { DEFAULT_MAX_DECODED_SIZE } from '../filters/decode.js';
import { PdfArray } from '../objects/pdf-array.js';
import { PdfDict } from '../objects/pdf-dict.js';
import { PdfNull } from '../objects/pdf-null.js';
import type { PdfObject, PdfResolver } from '../objects/pdf-object.js';
import { PdfRef } from '../objects/pdf-ref.js';
import { PdfStream } from '../objects/pdf-stream.js';
import { DEFAULT_MAX_DEPTH, Parser } from '../parse/parser.js';
import type { ByteSource } from '../source/byte-source.js';
import { MemoryByteSource } from '../source/byte-source.js';
import { IncrementalUpdate } from '../writer/incremental-update.js';
import { findStartXref, readXrefChain } from '../xref/read-xref.js';
import type { XrefLimits } from '../xref/read-xref.js';
import { scanFile } from '../xref/repair.js';
import type { ScanResult } from '../xref/repair.js';
import type { XrefEntry, XrefKind, XrefSection } from '../xref/xref-entry.js';
import type { PdfPage } from './pdf-page.js';
import { readIndirectObject, readObjectHeader } from './read-object.js';
import type { ReadContext } from './read-object.js';
import type { PdfRevision } from './revision.js';

/** Options of {@link PdfDocument.open}. Every limit guards against hostile files. */
export interface PdfOpenOptions {
  /** Deepest nesting of arrays/dictionaries (default 100). */
  maxDepth?: number;
  /** Most bytes one stream may decode to (default 256 MiB). */
  maxDecodedSize?: number;
  /** Most cross-reference entries in all sections together (default 2,000,000). */
  maxObjects?: number;
  /** Most cross-reference sections / revisions (default 10,000). */
  maxRevisions?: number;
  /**
   * Open an encrypted file anyway, to list its structure; strings and streams stay encrypted.
   * Default false: an encrypted file throws `PDF_ENCRYPTED`.
   */
  allowEncrypted?: boolean;
}

type ResolvedOptions = Required<PdfOpenOptions>;

/** Counters of the work done, to check laziness. */
export interface PdfReadStats {
  /** Indirect objects parsed (from the file or from object streams); cached objects are not counted again. */
  objectsParsed: number;
  /** Object streams decoded. */
  objectStreamsDecoded: number;
}

interface RevisionData {
  readonly info: PdfRevision;
  readonly entries: Map<number, XrefEntry>;
}

interface ObjectStreamData {
  readonly data: Uint8Array;
  readonly first: number;
  readonly pairs: [number, number][];
}

const OBJSTM_CACHE = 32;

/** @internal Shared state of a document and its revision views. */
export class DocumentCore {
  readonly cache = new Map<XrefEntry, PdfObject>();
  /** Decoded object streams by their xref entry (not their number: a later revision may redefine the number). */
  readonly objStms = new Map<XrefEntry, ObjectStreamData>();
  readonly inProgress = new Set<number>();
  readonly warnings: string[] = [];
  readonly stats: PdfReadStats = { objectsParsed: 0, objectStreamsDecoded: 0 };
  revisions: RevisionData[] = [];
  repaired = false;
  scan: ScanResult | undefined;
  headerVersion: string | undefined;

  constructor(
    readonly source: ByteSource,
    readonly options: ResolvedOptions,
  ) {}

  get limits(): XrefLimits {
    return { maxObjects: this.options.maxObjects, maxDecodedSize: this.options.maxDecodedSize, maxRevisions: this.options.maxRevisions };
  }

  warn(message: string): void {
    if (this.warnings.length < 1000) this.warnings.push(message);
  }

  ensureScan(ctx: ReadContext): ScanResult {
    this.scan ??= scanFile(this.source, ctx, this.limits);
    return this.scan;
  }
}

/**
 * A PDF opened for reading and incremental updating. Opening reads only the trailer and the
 * cross-reference chain; objects are parsed when first asked for, then cached.
 *
 * Objects returned are cached and shared: `clone()` a dictionary or array before changing it.
 *
 * @example
 * ```ts
 * const doc = PdfDocument.open(bytes);
 * doc.revisions.length;          // 1 for a file never updated
 * doc.getPage(0).mediaBox;       // [0, 0, 595.28, 841.89]
 * const up = doc.beginUpdate();
 * const ref = up.allocate();
 * up.set(ref, PdfDict.of({ Type: PdfName.of('Foo') }));
 * const { bytes } = up.finish(); // bytes starts with the original, byte for byte
 * ```
 */
export class PdfDocument implements PdfResolver {
  /** @internal */
  readonly core: DocumentCore;
  /** Index of the newest revision this object sees (the last one, except for {@link PdfDocument.atRevision} views). */
  readonly revisionIndex: number;
  private pageIndexCache: Map<string, number> | undefined;

  private constructor(core: DocumentCore, revisionIndex: number) {
    this.core = core;
    this.revisionIndex = revisionIndex;
  }

  /**
   * Opens a PDF from bytes or a {@link ByteSource}. Throws `PDF_ENCRYPTED` for encrypted files
   * (decrypt first, e.g. `qpdf --decrypt in.pdf out.pdf`), `PDF_NOT_PDF` when nothing PDF-like is
   * found, `PDF_LIMIT` when a limit is exceeded. A damaged cross-reference is repaired by
   * scanning, and {@link PdfDocument.repaired} says so.
   */
  static open(input: Uint8Array | ByteSource, options: PdfOpenOptions = {}): PdfDocument {
    const source = input instanceof Uint8Array ? new MemoryByteSource(input) : input;
    if (source.length === 0) throw new PdfError('PDF_NOT_PDF', 'The file is empty (0 bytes): it is not a PDF.');
    const opts: ResolvedOptions = {
      maxDepth: options.maxDepth ?? DEFAULT_MAX_DEPTH,
      maxDecodedSize: options.maxDecodedSize ?? DEFAULT_MAX_DECODED_SIZE,
      maxObjects: options.maxObjects ?? 2_000_000,
      maxRevisions: options.maxRevisions ?? 10_000,
      allowEncrypted: options.allowEncrypted ?? false,
    };
    const core = new DocumentCore(source, opts);
    const head = String.fromCharCode(...source.read(0, 1024));
    core.headerVersion = /%PDF-(\d+\.\d+)/.exec(head)?.[1];
    if (core.headerVersion === undefined) core.warn('The file has no %PDF- header in its first 1024 bytes.');
    const doc = new PdfDocument(core, 0);
    const ctx = doc.readContext(false);
    try {
      const startxref = findStartXref(source);
      if (startxref === undefined) throw new PdfError('PDF_BAD_XREF', 'No startxref at the end of the file.');
      const sections = readXrefChain(source, startxref, ctx, core.limits);
      core.revisions = revisionsFromSections(source, sections);
      const root = core.revisions[core.revisions.length - 1]!.info.trailer.get('Root');
      if (!(root instanceof PdfRef)) throw new PdfError('PDF_BAD_XREF', 'The trailer has no /Root.');
    } catch (e) {
      if (e instanceof PdfError && (e.code === 'PDF_LIMIT' || e.code === 'PDF_TOO_DEEP')) throw e;
      if (!(e instanceof PdfError)) throw e;
      core.warn(`The cross-reference data is damaged (${e.message}); it was rebuilt by scanning the file.`);
      core.repaired = true;
      core.revisions = revisionsFromScan(source, core.ensureScan(ctx));
    }
    const view = new PdfDocument(core, core.revisions.length - 1);
    if (view.trailer.has('Encrypt') && !opts.allowEncrypted) {
      throw new PdfError(
        'PDF_ENCRYPTED',
        'The PDF is encrypted (its trailer has /Encrypt); kyso does not decrypt PDFs. Decrypt it first, e.g. `qpdf --decrypt --password=PASSWORD in.pdf out.pdf`, then use the decrypted copy.',
      );
    }
    return view;
  }

  /** @internal */
  readContext(resolveLengths = true): ReadContext {
    return {
      maxDepth: this.core.options.maxDepth,
      warn: (m) => this.core.warn(m),
      resolveLength: (ref) => {
        if (!resolveLengths) return undefined;
        try {
          const v = this.resolve(ref);
          return typeof v === 'number' ? v : undefined;
        } catch {
          return undefined;
        }
      },
    };
  }

  /** The bytes this document reads from. */
  get source(): ByteSource {
    return this.core.source;
  }

  /** Every revision up to this view's, oldest first. */
  get revisions(): readonly PdfRevision[] {
    return this.core.revisions.slice(0, this.revisionIndex + 1).map((r) => r.info);
  }

  /** The trailer of this view's newest revision. */
  get trailer(): PdfDict {
    return this.core.revisions[this.revisionIndex]!.info.trailer;
  }

  /** True when the cross-reference data was damaged and rebuilt by scanning (report it as a warning). */
  get repaired(): boolean {
    return this.core.repaired;
  }

  /** Problems that the reader worked around (wrong /Length, repaired offsets, …). */
  get warnings(): readonly string[] {
    return this.core.warnings;
  }

  /** Work counters, to check that reading stays lazy. */
  get stats(): Readonly<PdfReadStats> {
    return this.core.stats;
  }

  /** True for a view made by {@link PdfDocument.atRevision} of an earlier revision. */
  get isReadOnly(): boolean {
    return this.revisionIndex !== this.core.revisions.length - 1;
  }

  /** The version in the `%PDF-x.y` header, if any. */
  get headerVersion(): string | undefined {
    return this.core.headerVersion;
  }

  /** The PDF version: the later of the header's and the catalog's /Version (§7.2.2, §7.7.2). */
  get version(): string {
    const header = this.core.headerVersion ?? '1.0';
    let cat: string | undefined;
    try {
      cat = this.catalog.getName('Version');
    } catch {
      cat = undefined;
    }
    if (cat && /^\d+\.\d+$/.test(cat) && Number(cat) > Number(header)) return cat;
    return header;
  }

  /** One more than the highest object number in use (the trailer /Size, or more when objects exceed it). */
  get size(): number {
    let max = 0;
    for (let i = 0; i <= this.revisionIndex; i++) {
      for (const n of this.core.revisions[i]!.entries.keys()) if (n + 1 > max) max = n + 1;
    }
    // An absurd /Size (more than maxObjects) is ignored: the entries say how many objects there are.
    const declared = this.trailer.getInt('Size') ?? 0;
    return declared <= this.core.options.maxObjects ? Math.max(max, declared) : max;
  }

  /** The /Root reference of the trailer. */
  get catalogRef(): PdfRef {
    const root = this.trailer.get('Root');
    if (!(root instanceof PdfRef)) throw new PdfError('PDF_SYNTAX', 'The trailer has no /Root reference.');
    return root;
  }

  /** The document catalog (§7.7.2). */
  get catalog(): PdfDict {
    const cat = this.resolve(this.catalogRef);
    if (!(cat instanceof PdfDict)) throw new PdfError('PDF_SYNTAX', 'The /Root of the trailer is not a dictionary.');
    return cat;
  }

  /** The cross-reference entry that this view uses for object `num`. */
  getXrefEntry(num: number): XrefEntry | undefined {
    for (let i = this.revisionIndex; i >= 0; i--) {
      const e = this.core.revisions[i]!.entries.get(num);
      if (e) return e;
    }
    return undefined;
  }

  /** Index of the newest revision (up to this view's) whose xref defines or frees object `num`. */
  revisionOfObject(num: number): number | undefined {
    for (let i = this.revisionIndex; i >= 0; i--) if (this.core.revisions[i]!.entries.has(num)) return i;
    return undefined;
  }

  /** Follows indirect references (at most 32 hops; a loop throws `PDF_REFERENCE_CYCLE`). */
  resolve(obj: PdfObject | undefined): PdfObject | undefined {
    let o = obj;
    for (let hops = 0; o instanceof PdfRef; hops++) {
      if (hops >= 32) throw new PdfError('PDF_REFERENCE_CYCLE', `References chain more than 32 times from ${String(obj)}; the file is malformed.`);
      o = this.getObject(o);
    }
    return o;
  }

  /**
   * The object `ref` names (§7.3.10): `PdfNull` when it is free or undefined. Parses it on first
   * use. An object whose parsing needs itself throws `PDF_REFERENCE_CYCLE`.
   */
  getObject(ref: PdfRef | number): PdfObject {
    const num = typeof ref === 'number' ? ref : ref.num;
    const entry = this.getXrefEntry(num);
    if (!entry || entry.type === 'free') return PdfNull.instance;
    const cached = this.core.cache.get(entry);
    if (cached !== undefined) return cached;
    if (this.core.inProgress.has(num)) {
      throw new PdfError('PDF_REFERENCE_CYCLE', `Object ${num} refers to itself while it is being read; the file is malformed.`);
    }
    this.core.inProgress.add(num);
    let obj: PdfObject;
    try {
      obj = this.load(num, entry, true);
    } finally {
      this.core.inProgress.delete(num);
    }
    this.core.cache.set(entry, obj);
    return obj;
  }

  private load(num: number, entry: XrefEntry, mayRepair: boolean): PdfObject {
    if (entry.type === 'free') return PdfNull.instance;
    if (entry.type === 'compressed') return this.loadCompressed(num, entry.stream, entry.index);
    let problem: string;
    try {
      const io = readIndirectObject(this.core.source, entry.offset, this.readContext());
      if (io.num === num) {
        this.core.stats.objectsParsed++;
        return io.obj;
      }
      problem = `holds object ${io.num}`;
    } catch (e) {
      if (e instanceof PdfError && (e.code === 'PDF_LIMIT' || e.code === 'PDF_TOO_DEEP' || e.code === 'PDF_REFERENCE_CYCLE')) throw e;
      problem = `cannot be read (${(e as Error).message})`;
    }
    if (!mayRepair) throw new PdfError('PDF_SYNTAX', `Object ${num}: the offset ${entry.offset} ${problem}.`);
    // §7.5.4 offsets are wrong: find the object by scanning, and say the file was repaired.
    const scan = this.core.ensureScan(this.readContext(false));
    this.core.repaired = true;
    const found = scan.entries.get(num);
    this.core.warn(`The xref offset of object ${num} (${entry.offset}) ${problem}; ${found ? 'found it by scanning' : 'it was not found by scanning'}.`);
    if (!found || (found.type === 'offset' && found.offset === entry.offset)) return PdfNull.instance;
    return this.load(num, found, false);
  }

  private objectStream(streamNum: number): ObjectStreamData {
    // The entry as this view sees it: a revision view must not read a later redefinition.
    const e = this.getXrefEntry(streamNum);
    if (!e || e.type !== 'offset') throw new PdfError('PDF_SYNTAX', `Object stream ${streamNum} is not a plain object in the file.`);
    const cached = this.core.objStms.get(e);
    if (cached) {
      // Refresh its place in the LRU order.
      this.core.objStms.delete(e);
      this.core.objStms.set(e, cached);
      return cached;
    }
    const s = this.getObject(streamNum);
    if (!(s instanceof PdfStream)) throw new PdfError('PDF_SYNTAX', `Object ${streamNum} should be an object stream but is not a stream.`);
    const n = s.dict.getInt('N', this) ?? 0;
    const first = s.dict.getInt('First', this) ?? 0;
    const data = s.decode({ maxDecodedSize: this.core.options.maxDecodedSize, resolver: this });
    // §7.5.7: each header pair takes at least 4 bytes, so a larger /N is absurd.
    if (n < 0 || n * 4 > data.length || first < 0 || first > data.length) {
      throw new PdfError('PDF_LIMIT', `Object stream ${streamNum} claims ${n} objects (/First ${first}) in ${data.length} bytes.`);
    }
    const p = new Parser(data, -1, true, this.core.options.maxDepth);
    const pairs: [number, number][] = [];
    for (let i = 0; i < n; i++) pairs.push([p.readInt(), p.readInt()]);
    const os = { data, first, pairs };
    this.core.stats.objectStreamsDecoded++;
    this.core.objStms.set(e, os);
    if (this.core.objStms.size > OBJSTM_CACHE) this.core.objStms.delete(this.core.objStms.keys().next().value!);
    return os;
  }

  private loadCompressed(num: number, streamNum: number, index: number): PdfObject {
    const os = this.objectStream(streamNum);
    let pair = os.pairs[index];
    if (!pair || pair[0] !== num) pair = os.pairs.find((x) => x[0] === num);
    if (!pair) {
      this.core.warn(`Object ${num} is not in object stream ${streamNum}.`);
      return PdfNull.instance;
    }
    const start = os.first + pair[1];
    if (start >= os.data.length) throw new PdfError('PDF_SYNTAX', `Object ${num} lies outside its object stream ${streamNum}.`);
    const p = new Parser(os.data.subarray(start), -1, true, this.core.options.maxDepth);
    this.core.stats.objectsParsed++;
    return p.parseObject();
  }

  /**
   * A read-only view of the document as it was after revision `index` (0 = the original file):
   * objects resolve through the cross-reference sections up to that revision only.
   */
  atRevision(index: number): PdfDocument {
    if (!Number.isInteger(index) || index < 0 || index >= this.core.revisions.length) {
      throw new PdfError('PDF_MISUSE', `No revision ${index}: the file has ${this.core.revisions.length} (0 to ${this.core.revisions.length - 1}).`);
    }
    return new PdfDocument(this.core, index);
  }

  /** The number of pages: the root page tree node's /Count (§7.7.3.2). */
  get pageCount(): number {
    const pages = this.catalog.getDict('Pages', this);
    const n = pages?.getInt('Count', this);
    return n !== undefined && n >= 0 ? n : 0;
  }

  /** Page `index` (0-based), with inherited /Resources, /MediaBox, /CropBox, /Rotate (§7.7.3.4). Walks only the tree nodes on its path. */
  getPage(index: number): PdfPage {
    const rootRef = this.catalog.get('Pages');
    const root = this.resolve(rootRef);
    if (!(root instanceof PdfDict)) throw new PdfError('PDF_NO_PAGE', 'The catalog has no /Pages tree.');
    if (!Number.isInteger(index) || index < 0) throw new PdfError('PDF_NO_PAGE', `No page ${index}.`);
    const seen = new Set<string>();
    let node = root;
    let remaining = index;
    const inherited: Record<string, PdfObject | undefined> = {};
    const take = (d: PdfDict) => {
      for (const k of INHERITABLE) if (d.has(k)) inherited[k] = d.get(k);
    };
    for (let depth = 0; depth < 64; depth++) {
      take(node);
      const kids = node.getArray('Kids', this);
      if (!kids) throw new PdfError('PDF_NO_PAGE', `No page ${index}: a page tree node has no /Kids.`);
      let descended = false;
      // When /Count equals the number of kids, the kids are usually all pages (pdf.js makes the
      // same bet): try the direct hit first, and fall back to walking the kids if it is not a page.
      if (node.getInt('Count', this) === kids.length && remaining < kids.length) {
        const kidRef = kids.items[remaining];
        const kid = this.resolve(kidRef);
        if (kid instanceof PdfDict && !kid.has('Kids') && kid.getName('Type') !== 'Pages') {
          take(kid);
          return makePage(index, kidRef instanceof PdfRef ? kidRef : undefined, kid, inherited, this);
        }
      }
      for (const kidRef of kids.items) {
        if (kidRef instanceof PdfRef) {
          if (seen.has(kidRef.key)) throw new PdfError('PDF_REFERENCE_CYCLE', 'The page tree loops back on itself.');
        }
        const kid = this.resolve(kidRef);
        if (!(kid instanceof PdfDict)) continue;
        const isNode = kid.getName('Type') === 'Pages' || (kid.has('Kids') && kid.getName('Type') !== 'Page');
        if (isNode) {
          const count = kid.getInt('Count', this) ?? 0;
          if (remaining < count) {
            if (kidRef instanceof PdfRef) seen.add(kidRef.key);
            node = kid;
            descended = true;
            break;
          }
          remaining -= count;
        } else {
          if (remaining === 0) {
            take(kid);
            return makePage(index, kidRef instanceof PdfRef ? kidRef : undefined, kid, inherited, this);
          }
          remaining--;
        }
      }
      if (!descended) throw new PdfError('PDF_NO_PAGE', `No page ${index}: the document has ${this.pageCount} pages.`);
    }
    throw new PdfError('PDF_NO_PAGE', 'The page tree is deeper than 64 levels.');
  }

  /** The 0-based index of the page whose reference is `ref`, or undefined (walks the whole tree once, then caches). */
  pageIndexOf(ref: PdfRef): number | undefined {
    const fast = this.pageIndexByParents(ref);
    if (fast !== undefined) return fast;
    if (!this.pageIndexCache) {
      const map = new Map<string, number>();
      const seen = new Set<string>();
      let n = 0;
      const walk = (nodeObj: PdfObject | undefined, depth: number) => {
        if (depth > 64) return;
        if (nodeObj instanceof PdfRef) {
          if (seen.has(nodeObj.key)) return;
          seen.add(nodeObj.key);
        }
        const node = this.resolve(nodeObj);
        if (!(node instanceof PdfDict)) return;
        const kids = node.getArray('Kids', this);
        if (kids && node.getName('Type') !== 'Page') for (const k of kids.items) walk(k, depth + 1);
        else {
          if (nodeObj instanceof PdfRef) map.set(nodeObj.key, n);
          n++;
        }
      };
      walk(this.catalog.get('Pages'), 0);
      this.pageIndexCache = map;
    }
    return this.pageIndexCache.get(ref.key);
  }

  /**
   * The page index found by climbing /Parent links (§7.7.3.3) and counting the kids before each
   * step, which reads only the path and its earlier siblings; undefined when the links are
   * inconsistent (the caller then walks the whole tree).
   */
  private pageIndexByParents(ref: PdfRef): number | undefined {
    try {
      const page = this.resolve(ref);
      if (!(page instanceof PdfDict) || page.getName('Type') === 'Pages') return undefined;
      const rootRef = this.catalog.getRef('Pages');
      let index = 0;
      let child: PdfRef = ref;
      let childDict: PdfDict = page;
      const seen = new Set<string>([ref.key]);
      for (let depth = 0; depth < 64; depth++) {
        const parentRef = childDict.getRef('Parent');
        if (!parentRef) return rootRef === undefined || child.equals(rootRef) ? index : undefined;
        if (seen.has(parentRef.key)) return undefined;
        seen.add(parentRef.key);
        const parent = this.resolve(parentRef);
        if (!(parent instanceof PdfDict)) return undefined;
        const kids = parent.getArray('Kids', this);
        if (!kids) return undefined;
        const at = kids.items.findIndex((k) => k instanceof PdfRef && k.equals(child));
        if (at < 0) return undefined;
        const allLeaves = parent.getInt('Count', this) === kids.length;
        for (let i = 0; i < at; i++) {
          if (allLeaves) index++;
          else {
            const sib = this.resolve(kids.items[i]);
            if (!(sib instanceof PdfDict)) continue;
            index += sib.has('Kids') && sib.getName('Type') !== 'Page' ? (sib.getInt('Count', this) ?? 0) : 1;
          }
        }
        child = parentRef;
        childDict = parent;
      }
      return undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Checks every in-use offset of this view against the object header found there. A wrong one
   * marks the document repaired (the writer then writes a complete cross-reference section).
   * Returns true when all offsets were right.
   */
  checkXref(): boolean {
    let ok = true;
    const seen = new Set<number>();
    for (let i = this.revisionIndex; i >= 0; i--) {
      for (const [num, e] of this.core.revisions[i]!.entries) {
        if (seen.has(num)) continue;
        seen.add(num);
        if (e.type !== 'offset') continue;
        if (readObjectHeader(this.core.source, e.offset)?.num !== num) ok = false;
      }
    }
    if (!ok) {
      this.core.ensureScan(this.readContext(false));
      this.core.repaired = true;
      this.core.warn('Some cross-reference offsets are wrong; the objects were found by scanning.');
    }
    return ok;
  }

  /** Starts an incremental update (§7.5.6) on top of the last revision. */
  beginUpdate(): IncrementalUpdate {
    if (this.isReadOnly) throw new PdfError('PDF_MISUSE', 'This is a read-only view of an earlier revision; update the document itself.');
    return new IncrementalUpdate(this);
  }
}

const INHERITABLE = ['Resources', 'MediaBox', 'CropBox', 'Rotate'] as const;

function makePage(index: number, ref: PdfRef | undefined, dict: PdfDict, inherited: Record<string, PdfObject | undefined>, r: PdfResolver): PdfPage {
  const box = (o: PdfObject | undefined) => {
    const a = r.resolve(o);
    return a instanceof PdfArray ? a.asNumbers(r) : undefined;
  };
  const rot = r.resolve(inherited['Rotate']);
  const res = r.resolve(inherited['Resources']);
  const mediaBox = box(inherited['MediaBox']);
  const cropBox = box(inherited['CropBox']);
  return {
    index,
    ref,
    dict,
    mediaBox,
    cropBox: cropBox ?? mediaBox,
    rotate: typeof rot === 'number' ? ((((Math.trunc(rot / 90) * 90) % 360) + 360) % 360) : 0,
    resources: res instanceof PdfDict ? res : undefined,
  };
}

function revisionsFromSections(source: ByteSource, newestFirst: XrefSection[]): RevisionData[] {
  const groups: { sections: XrefSection[]; end: number }[] = [];
  for (const s of [...newestFirst].reverse()) {
    const last = groups[groups.length - 1];
    // A section before the end of the previous revision belongs to it: a linearized file's
    // first-page section (ISO 32000-2 Annex F) precedes the main one it points to with /Prev.
    if (last && s.offset < last.end) {
      last.sections.push(s);
      last.end = Math.max(last.end, s.end);
    } else groups.push({ sections: [s], end: s.end });
  }
  let start = 0;
  return groups.map((g, index) => {
    // One section (the usual case) is taken as is; several are merged, the newest winning.
    let entries = g.sections[0]!.entries;
    if (g.sections.length > 1) {
      entries = new Map<number, XrefEntry>();
      for (const s of g.sections) for (const [n, e] of s.entries) entries.set(n, e);
    }
    const newest = g.sections[g.sections.length - 1]!;
    const trailer = [...g.sections].reverse().find((s) => s.trailer.has('Root'))?.trailer ?? newest.trailer;
    const info = makeRevisionInfo(source, index, start, g.end, newest.offset, newest.kind, newest.hybridStreamOffset !== undefined, trailer, entries, g.sections.map((s) => s.offset));
    start = g.end;
    return { info, entries };
  });
}

function makeRevisionInfo(source: ByteSource, index: number, start: number, end: number, xrefOffset: number, xrefKind: XrefKind, hybrid: boolean, trailer: PdfDict, entries: Map<number, XrefEntry>, sectionOffsets: number[]): PdfRevision {
  const objects: number[] = [];
  const freed: number[] = [];
  // forEach, not for-of with [n, e]: destructuring each entry costs ~4x as much in cold code.
  entries.forEach((e, n) => (e.type === 'free' ? freed : objects).push(n));
  // Usually in order already (a table lists its objects by number): a check costs less than a sort.
  sortNumbers(objects);
  sortNumbers(freed);
  let eofEnd = end;
  const tail = source.read(Math.max(0, end - 7), end);
  let k = tail.length;
  if (tail[k - 1] === 0x0a) k--;
  if (tail[k - 1] === 0x0d) k--;
  if (k >= 5 && String.fromCharCode(...tail.subarray(k - 5, k)) === '%%EOF') eofEnd = end - (tail.length - k);
  return Object.freeze({ index, start, end, eofEnd, xrefOffset, xrefKind, hybrid, trailer, objects: Object.freeze(objects), freed: Object.freeze(freed), sectionOffsets: Object.freeze(sectionOffsets) });
}

function sortNumbers(a: number[]): void {
  for (let i = 1; i < a.length; i++) {
    if (a[i - 1]! > a[i]!) {
      a.sort((x, y) => x - y);
      return;
    }
  }
}

function revisionsFromScan(source: ByteSource, scan: ScanResult): RevisionData[] {
  const length = source.length;
  const ends = scan.eofEnds.filter((e) => e <= length);
  const lastObj = scan.candidates.length ? scan.candidates[scan.candidates.length - 1]!.position : 0;
  if (ends.length === 0 || ends[ends.length - 1]! <= lastObj) ends.push(length);
  const out: RevisionData[] = [];
  let start = 0;
  for (const end of ends) {
    const inSpan = scan.candidates.filter((c) => c.position >= start && c.position < end);
    const trailers = scan.trailers.filter((t) => t.position >= start && t.position < end);
    if (inSpan.length === 0 && trailers.length === 0 && out.length > 0) {
      start = end;
      continue;
    }
    const entries = new Map<number, XrefEntry>();
    for (const c of inSpan) entries.set(c.num, c.entry);
    const t = trailers[trailers.length - 1];
    const trailer = out.length === ends.length - 1 || !t ? scan.trailer : t.dict;
    out.push({ info: makeRevisionInfo(source, out.length, start, end, t?.xrefOffset ?? -1, t?.kind ?? 'table', t?.dict.has('XRefStm') ?? false, trailer, entries, t ? [t.xrefOffset] : []), entries });
    start = end;
  }
  // The newest revision's trailer is the repaired one, so /Root resolves.
  const last = out[out.length - 1]!;
  if (last.info.trailer !== scan.trailer) {
    out[out.length - 1] = { entries: last.entries, info: Object.freeze({ ...last.info, trailer: scan.trailer }) };
  }
  return out;
}
