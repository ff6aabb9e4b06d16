import { PdfArray, PdfDict, PdfRef, type PdfDocument, type PdfObject } from '@kyso/pdf';

/** One node of the field tree (ISO 32000-2 §12.7.4), terminal or not, with inherited attributes. */
export interface FieldNode {
  /** Object number of the field dictionary, or undefined when it is direct. */
  readonly num: number | undefined;
  readonly dict: PdfDict;
  /** Fully qualified name (§12.7.4.2). */
  readonly name: string;
  /** /FT, inherited. */
  readonly type: string | undefined;
  /** True when the node has no field kids (its kids, if any, are widgets). */
  readonly terminal: boolean;
  /** /V, inherited, unresolved. */
  readonly value: PdfObject | undefined;
  /** The field's widget annotations (the field itself when merged). */
  readonly widgets: readonly { readonly num: number | undefined; readonly dict: PdfDict }[];
  /** Object number of an indirect /Kids array. */
  readonly kidsArrayNum: number | undefined;
}

/** The role an object plays in the interactive form of one revision. */
export interface FormRole {
  readonly field: FieldNode;
  /** `field`: the field dictionary; `widget`: a widget kid; `field-widget`: merged field and widget. */
  readonly role: 'field' | 'widget' | 'field-widget';
}

/** The interactive form of one revision, indexed by object number. */
export interface FormIndex {
  readonly acroFormNum: number | undefined;
  readonly acroForm: PdfDict | undefined;
  readonly fieldsArrayNum: number | undefined;
  readonly fields: readonly FieldNode[];
  readonly byNum: ReadonlyMap<number, FormRole>;
  readonly kidsArrays: ReadonlySet<number>;
}

/** Walks the field tree of `view` (every node, not only terminal fields as `listFields` does). */
export function indexForm(view: PdfDocument): FormIndex {
  const fields: FieldNode[] = [];
  const byNum = new Map<number, FormRole>();
  const kidsArrays = new Set<number>();
  const formObj = view.catalog.get('AcroForm');
  const acroForm = view.resolve(formObj);
  if (!(acroForm instanceof PdfDict)) return { acroFormNum: undefined, acroForm: undefined, fieldsArrayNum: undefined, fields, byNum, kidsArrays };
  const fieldsObj = acroForm.get('Fields');
  const list = view.resolve(fieldsObj);
  const seen = new Set<number>();
  const visit = (obj: PdfObject | undefined, parent: { name: string; type: string | undefined; value: PdfObject | undefined }, depth: number): void => {
    if (depth > 32) return;
    const num = obj instanceof PdfRef ? obj.num : undefined;
    if (num !== undefined) {
      if (seen.has(num)) return;
      seen.add(num);
    }
    const dict = view.resolve(obj);
    if (!(dict instanceof PdfDict)) return;
    const t = dict.getText('T', view);
    const name = t === undefined ? parent.name : parent.name ? `${parent.name}.${t}` : t;
    const type = dict.getName('FT', view) ?? parent.type;
    const value = dict.has('V') ? dict.get('V') : parent.value;
    const kidsObj = dict.get('Kids');
    const kids = view.resolve(kidsObj);
    const kidsArrayNum = kidsObj instanceof PdfRef ? kidsObj.num : undefined;
    if (kidsArrayNum !== undefined) kidsArrays.add(kidsArrayNum);
    const items = kids instanceof PdfArray ? kids.items : [];
    const kidDicts = items.map((k) => ({ k, d: view.resolve(k) }));
    const fieldKids = kidDicts.filter((x) => x.d instanceof PdfDict && x.d.has('T'));
    const me = { name, type, value };
    if (fieldKids.length > 0) {
      const node: FieldNode = { num, dict, name, type, terminal: false, value, widgets: [], kidsArrayNum };
      fields.push(node);
      if (num !== undefined) byNum.set(num, { field: node, role: 'field' });
      for (const { k } of kidDicts) visit(k, me, depth + 1);
      return;
    }
    const widgets: { num: number | undefined; dict: PdfDict }[] = [];
    if (kids instanceof PdfArray) {
      for (const { k, d } of kidDicts) if (d instanceof PdfDict) widgets.push({ num: k instanceof PdfRef ? k.num : undefined, dict: d });
    } else if (dict.getName('Subtype') === 'Widget' || dict.has('Rect')) widgets.push({ num, dict });
    const node: FieldNode = { num, dict, name, type, terminal: true, value, widgets, kidsArrayNum };
    fields.push(node);
    const merged = widgets.length === 1 && widgets[0]!.num === num && num !== undefined;
    if (num !== undefined) byNum.set(num, { field: node, role: merged ? 'field-widget' : 'field' });
    for (const w of widgets) if (w.num !== undefined && w.num !== num && !byNum.has(w.num)) byNum.set(w.num, { field: node, role: 'widget' });
  };
  if (list instanceof PdfArray) for (const f of list.items) visit(f, { name: '', type: undefined, value: undefined }, 0);
  return {
    acroFormNum: formObj instanceof PdfRef ? formObj.num : undefined,
    acroForm,
    fieldsArrayNum: fieldsObj instanceof PdfRef ? fieldsObj.num : undefined,
    fields,
    byNum,
    kidsArrays,
  };
}

/** Annotation flags Hidden (2) and NoView (6) (ISO 32000-2 §12.5.3, Table 167). */
const INVISIBLE_FLAGS = 2 | 32;

/** Whether a widget shows anything: a non-empty /Rect and neither Hidden nor NoView (cf. pyHanko's is_annot_visible). */
export function isVisibleWidget(d: PdfDict, view: PdfDocument): boolean {
  const rect = d.getArray('Rect', view)?.asNumbers(view);
  if (!rect || rect.length !== 4) return false;
  const area = Math.abs((rect[2]! - rect[0]!) * (rect[3]! - rect[1]!));
  const flags = d.getInt('F', view) ?? 0;
  return area > 0 && (flags & INVISIBLE_FLAGS) === 0;
}

/** Where the pages of a revision are: page dictionaries, their /Annots arrays, and what draws them. */
export interface PageIndex {
  /** Page dictionary number → 0-based page index. */
  readonly pages: ReadonlyMap<number, number>;
  /** Indirect /Annots array number → page dictionary number. */
  readonly annotsArrays: ReadonlyMap<number, number>;
  /** Page tree nodes (/Pages) and their /Kids arrays. */
  readonly treeNodes: ReadonlySet<number>;
  /**
   * Objects that draw the pages: /Contents streams and arrays, /Resources dictionaries, their
   * category dictionaries and the resources they name (one level), and the page tree.
   */
  readonly drawing: ReadonlySet<number>;
}

/** Walks the page tree of `view` (every node; reads page dictionaries and their resource dictionaries, no streams). */
export function indexPages(view: PdfDocument): PageIndex {
  const pages = new Map<number, number>();
  const annotsArrays = new Map<number, number>();
  const treeNodes = new Set<number>();
  const drawing = new Set<number>();
  const seen = new Set<number>();
  const refNum = (o: PdfObject | undefined) => (o instanceof PdfRef ? o.num : undefined);
  const addRef = (o: PdfObject | undefined) => {
    const n = refNum(o);
    if (n !== undefined) drawing.add(n);
  };
  const addResources = (res: PdfObject | undefined) => {
    addRef(res);
    const d = view.resolve(res);
    if (!(d instanceof PdfDict)) return;
    for (const [, cat] of d.entries()) {
      addRef(cat);
      const c = view.resolve(cat);
      if (c instanceof PdfDict) for (const [, v] of c.entries()) addRef(v);
      else if (c instanceof PdfArray) for (const v of c.items) addRef(v);
    }
  };
  let index = 0;
  const walk = (obj: PdfObject | undefined, depth: number): void => {
    if (depth > 64) return;
    const num = refNum(obj);
    if (num !== undefined) {
      if (seen.has(num)) return;
      seen.add(num);
    }
    const node = view.resolve(obj);
    if (!(node instanceof PdfDict)) return;
    const kidsObj = node.get('Kids');
    const kids = view.resolve(kidsObj);
    if (node.getName('Type') !== 'Page' && kids instanceof PdfArray) {
      if (num !== undefined) {
        treeNodes.add(num);
        drawing.add(num);
      }
      const k = refNum(kidsObj);
      if (k !== undefined) {
        treeNodes.add(k);
        drawing.add(k);
      }
      addResources(node.get('Resources'));
      for (const kid of kids.items) walk(kid, depth + 1);
      return;
    }
    if (num !== undefined) {
      pages.set(num, index);
      drawing.add(num);
    }
    const annots = refNum(node.get('Annots'));
    if (annots !== undefined && num !== undefined) annotsArrays.set(annots, num);
    const contents = node.get('Contents');
    addRef(contents);
    const c = view.resolve(contents);
    if (c instanceof PdfArray) for (const item of c.items) addRef(item);
    addResources(node.get('Resources'));
    index++;
  };
  walk(view.catalog.get('Pages'), 0);
  return { pages, annotsArrays, treeNodes, drawing };
}
