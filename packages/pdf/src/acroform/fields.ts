import type { PdfDocument } from '../document/pdf-document.js';
import { PdfError } from '../errors.js';
import { PdfArray } from '../objects/pdf-array.js';
import { PdfDict } from '../objects/pdf-dict.js';
import type { PdfObject } from '../objects/pdf-object.js';
import { PdfRef } from '../objects/pdf-ref.js';

/** A widget annotation of a field (ISO 32000-2 §12.5.6.19). */
export interface PdfWidget {
  /** The widget's reference (undefined when it is a direct object). */
  readonly ref: PdfRef | undefined;
  readonly dict: PdfDict;
  /** /Rect as numbers. */
  readonly rect: number[] | undefined;
  /**
   * The 0-based index of the page the widget is on (from /P, or by searching the pages' /Annots).
   * Found when first read: on a long document it costs reading the page tree.
   */
  readonly pageIndex: number | undefined;
}

/** A terminal form field (§12.7.4) with its inheritable attributes resolved (§12.7.4.1, Table 226). */
export interface PdfField {
  /** Fully qualified name: the partial names from the root, joined by "." (§12.7.4.2). */
  readonly name: string;
  /** This field's own /T. */
  readonly partialName: string;
  /** The field dictionary's reference (undefined when direct). */
  readonly ref: PdfRef | undefined;
  readonly dict: PdfDict;
  /** /FT, inherited: "Btn", "Tx", "Ch" or "Sig". */
  readonly type: string | undefined;
  /** /V, inherited, not resolved (a signature field's /V is usually a reference). */
  readonly value: PdfObject | undefined;
  /** /Ff, inherited (0 when absent). */
  readonly flags: number;
  /** The field's widgets (the field itself when field and widget are merged). */
  readonly widgets: readonly PdfWidget[];
  /** /Lock of a signature field (§12.7.5.5, Table 233). */
  readonly lock: PdfDict | undefined;
  /** /SV, the seed value dictionary of a signature field (§12.7.5.5, Table 234). */
  readonly seedValue: PdfDict | undefined;
}

/** The catalog's /AcroForm dictionary (§12.7.3), or undefined. */
export function getAcroForm(doc: PdfDocument): PdfDict | undefined {
  return doc.catalog.getDict('AcroForm', doc);
}

/** Every terminal field of the interactive form, in /Fields order (depth first). */
export function listFields(doc: PdfDocument): PdfField[] {
  const form = getAcroForm(doc);
  const fields = form?.getArray('Fields', doc);
  if (!fields) return [];
  const out: PdfField[] = [];
  const seen = new Set<string>();
  const pageOf = pageFinder(doc);
  type Inherited = { name: string; type: string | undefined; value: PdfObject | undefined; flags: number };
  const visit = (obj: PdfObject | undefined, parent: Inherited, depth: number) => {
    if (depth > 32) return;
    const ref = obj instanceof PdfRef ? obj : undefined;
    if (ref) {
      if (seen.has(ref.key)) return;
      seen.add(ref.key);
    }
    const dict = doc.resolve(obj);
    if (!(dict instanceof PdfDict)) return;
    const t = dict.getText('T', doc);
    const me: Inherited = {
      name: t === undefined ? parent.name : parent.name ? `${parent.name}.${t}` : t,
      type: dict.getName('FT', doc) ?? parent.type,
      value: dict.has('V') ? dict.get('V') : parent.value,
      flags: dict.getInt('Ff', doc) ?? parent.flags,
    };
    const kids = dict.getArray('Kids', doc);
    const kidDicts = (kids?.items ?? []).map((k) => ({ k, d: doc.resolve(k) }));
    const fieldKids = kidDicts.filter((x) => x.d instanceof PdfDict && x.d.has('T'));
    if (kids && fieldKids.length > 0) {
      for (const { k } of fieldKids) visit(k, me, depth + 1);
      return;
    }
    const widgets: PdfWidget[] = [];
    if (kids) {
      for (const { k, d } of kidDicts) if (d instanceof PdfDict) widgets.push(makeWidget(doc, k instanceof PdfRef ? k : undefined, d, pageOf));
    } else if (dict.getName('Subtype') === 'Widget' || dict.has('Rect')) widgets.push(makeWidget(doc, ref, dict, pageOf));
    out.push({
      name: me.name,
      partialName: t ?? '',
      ref,
      dict,
      type: me.type,
      value: me.value,
      flags: me.flags,
      widgets,
      lock: dict.getDict('Lock', doc),
      seedValue: dict.getDict('SV', doc),
    });
  };
  for (const f of fields.items) visit(f, { name: '', type: undefined, value: undefined, flags: 0 }, 0);
  return out;
}

/** The field whose fully qualified name is `name`, or undefined. */
export function findField(doc: PdfDocument, name: string): PdfField | undefined {
  return listFields(doc).find((f) => f.name === name);
}

/**
 * Signature fields that a page's /Annots holds but that the AcroForm's /Fields does not reach
 * (`listed`: what {@link listFields} found). ISO 32000-2 §12.7.3.1 wants every field listed
 * there; some producers leave signature fields out, and poppler's pdfsig lists them all the same.
 *
 * Finding every one means reading every page, which on a 2,000-page file costs more than
 * verifying it. So the pages are read only when the AcroForm lists no signature field at all;
 * otherwise only the objects that incremental updates wrote are looked at, which is where any
 * signature added after the first revision is (signing writes the field's /V). A first-revision
 * signature missing from a form that lists other signature fields is not found.
 */
export function listUnlistedSignatureFields(doc: PdfDocument, listed: readonly PdfField[]): PdfField[] {
  const known = new Set<string>();
  for (const f of listed) {
    if (f.ref) known.add(f.ref.key);
    for (const w of f.widgets) if (w.ref) known.add(w.ref.key);
  }
  const pageOf = pageFinder(doc);
  const out: PdfField[] = [];
  const consider = (ref: PdfRef, onPage: number | undefined) => {
    if (known.has(ref.key)) return;
    const dict = doc.resolve(ref);
    if (!(dict instanceof PdfDict) || dict.getName('Subtype') !== 'Widget') return;
    // Only a widget that a page shows: a page's /Annots is where pdfsig finds them too.
    const page = onPage ?? pageOf(ref, dict, true);
    if (page === undefined) return;
    const field = fieldOfWidget(doc, ref, dict, page);
    if (field.type !== 'Sig' || (field.ref && known.has(field.ref.key))) return;
    known.add(ref.key);
    if (field.ref) known.add(field.ref.key);
    out.push(field);
  };
  if (!listed.some((f) => f.type === 'Sig')) {
    for (const [i, page] of readablePages(doc)) {
      for (const a of page.getArray('Annots', doc)?.items ?? []) if (a instanceof PdfRef) consider(a, i);
    }
    return out;
  }
  for (let r = 1; r < doc.revisions.length; r++) {
    for (const num of doc.revisions[r]!.objects) {
      const entry = doc.getXrefEntry(num);
      const ref = PdfRef.of(num, entry?.type === 'offset' ? entry.gen : 0);
      const dict = doc.resolve(ref);
      if (!(dict instanceof PdfDict)) continue;
      if (dict.getName('Subtype') === 'Widget') consider(ref, undefined);
      // A field whose widgets are its kids: signing wrote the field (its /V), not the widgets.
      for (const k of dict.getArray('Kids', doc)?.items ?? []) if (k instanceof PdfRef) consider(k, undefined);
    }
  }
  return out;
}

/** The terminal field of widget `ref` (itself when merged, else the nearest ancestor with a /T), with its inherited attributes. */
function fieldOfWidget(doc: PdfDocument, ref: PdfRef, dict: PdfDict, page: number): PdfField {
  // The widget and its ancestors, nearest first.
  const chain: { ref: PdfRef | undefined; dict: PdfDict }[] = [{ ref, dict }];
  const seen = new Set<string>([ref.key]);
  for (let d = dict; chain.length < 32; ) {
    const parentRef = d.get('Parent');
    if (parentRef instanceof PdfRef && seen.has(parentRef.key)) break;
    const parent = doc.resolve(parentRef);
    if (!(parent instanceof PdfDict)) break;
    if (parentRef instanceof PdfRef) seen.add(parentRef.key);
    chain.push({ ref: parentRef instanceof PdfRef ? parentRef : undefined, dict: parent });
    d = parent;
  }
  const terminal = chain.find((c) => c.dict.has('T')) ?? chain[0]!;
  const from = chain.indexOf(terminal);
  const inherited = <T>(read: (d: PdfDict) => T | undefined): T | undefined => {
    for (let i = from; i < chain.length; i++) {
      const v = read(chain[i]!.dict);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  const names = chain.slice(from).map((c) => c.dict.getText('T', doc)).filter((t): t is string => t !== undefined);
  return {
    name: names.reverse().join('.'),
    partialName: terminal.dict.getText('T', doc) ?? '',
    ref: terminal.ref,
    dict: terminal.dict,
    type: inherited((d) => d.getName('FT', doc)),
    value: inherited((d) => (d.has('V') ? d.get('V') : undefined)),
    flags: inherited((d) => d.getInt('Ff', doc)) ?? 0,
    widgets: [makeWidget(doc, ref, dict, () => page)],
    lock: terminal.dict.getDict('Lock', doc),
    seedValue: terminal.dict.getDict('SV', doc),
  };
}

type PageOf = (ref: PdfRef | undefined, dict: PdfDict, shown?: boolean) => number | undefined;

/** A widget whose page index is found when first read (from /P, else by reading every page's /Annots). */
function makeWidget(doc: PdfDocument, ref: PdfRef | undefined, dict: PdfDict, pageOf: PageOf): PdfWidget {
  let page: { index: number | undefined } | undefined;
  return {
    ref,
    dict,
    rect: dict.getArray('Rect', doc)?.asNumbers(doc),
    get pageIndex() {
      page ??= { index: pageOf(ref, dict) };
      return page.index;
    },
  };
}

/**
 * The page a widget is on: its /P, else the page whose /Annots lists it, found by reading every
 * page once (the first time it is needed). `shown`: only a page whose /Annots lists it (a page
 * shows no widget it does not list), so a /P that names a page that does not list it is not enough.
 */
function pageFinder(doc: PdfDocument): PageOf {
  let annotPages: Map<string, number> | undefined;
  return (ref, dict, shown = false) => {
    const p = dict.getRef('P');
    const i = p ? doc.pageIndexOf(p) : undefined;
    if (i !== undefined && (!shown || (ref && lists(doc, p!, ref)))) return i;
    if (!ref) return undefined;
    annotPages ??= annotationPages(doc);
    return annotPages.get(ref.key);
  };
}

/** Whether the /Annots of `page` lists `annot`. */
function lists(doc: PdfDocument, page: PdfRef, annot: PdfRef): boolean {
  const d = doc.resolve(page);
  return d instanceof PdfDict && (d.getArray('Annots', doc)?.items.some((a) => a instanceof PdfRef && a.key === annot.key) ?? false);
}

function annotationPages(doc: PdfDocument): Map<string, number> {
  const map = new Map<string, number>();
  for (const [i, page] of readablePages(doc)) {
    const annots = page.get('Annots', doc);
    if (annots instanceof PdfArray) for (const a of annots.items) if (a instanceof PdfRef) map.set(a.key, i);
  }
  return map;
}

/** The page dictionaries in order, up to the first that cannot be read (a page tree whose /Count overstates it). */
function* readablePages(doc: PdfDocument): Generator<[number, PdfDict]> {
  for (let i = 0; i < doc.pageCount; i++) {
    let page: PdfDict;
    try {
      page = doc.getPage(i).dict;
    } catch (e) {
      if (e instanceof PdfError) return;
      throw e;
    }
    yield [i, page];
  }
}
