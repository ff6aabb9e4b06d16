import type { PdfDocument } from '../document/pdf-document.js';
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
  let annotPages: Map<string, number> | undefined;
  const pageOfWidget = (ref: PdfRef | undefined, dict: PdfDict): number | undefined => {
    const p = dict.getRef('P');
    if (p) {
      const i = doc.pageIndexOf(p);
      if (i !== undefined) return i;
    }
    if (!ref) return undefined;
    annotPages ??= annotationPages(doc);
    return annotPages.get(ref.key);
  };
  const widget = (ref: PdfRef | undefined, dict: PdfDict): PdfWidget => {
    let page: { index: number | undefined } | undefined;
    return {
      ref,
      dict,
      rect: dict.getArray('Rect', doc)?.asNumbers(doc),
      get pageIndex() {
        page ??= { index: pageOfWidget(ref, dict) };
        return page.index;
      },
    };
  };
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
      for (const { k, d } of kidDicts) if (d instanceof PdfDict) widgets.push(widget(k instanceof PdfRef ? k : undefined, d));
    } else if (dict.getName('Subtype') === 'Widget' || dict.has('Rect')) widgets.push(widget(ref, dict));
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

function annotationPages(doc: PdfDocument): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = 0; i < doc.pageCount; i++) {
    const annots = doc.getPage(i).dict.get('Annots', doc);
    if (annots instanceof PdfArray) for (const a of annots.items) if (a instanceof PdfRef) map.set(a.key, i);
  }
  return map;
}
