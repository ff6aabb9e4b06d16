/**
 * A first object-level comparison of the revisions after a signature (cf. pyHanko's
 * diff_analysis): every object that a later incremental update adds, changes or frees is
 * classified, and judged against the signature's permissions — DocMDP (ISO 32000-2 §12.8.2.2,
 * Table 257), FieldMDP locks (§12.8.2.4) and, per ETSI EN 319 142-1 §5.4, DSS and document
 * timestamps, which are always allowed. Anything not recognised as harmless is disallowed; the
 * complete attack-resistant analysis is a later piece of work.
 */
import { listFields, pdfObjectsEqual, PdfArray, PdfDict, PdfNull, PdfRef, PdfStream, type PdfDocument, type PdfObject } from '@kyso/pdf';
import { lockCovers, type DocMdpPermission, type FieldLock } from '../mdp/permissions.js';
import type { Change, ModificationsAfter } from './report.js';

/** The permissions a signature imposes on later revisions. */
export interface ModificationPolicy {
  /** The document's certification (applies to every signature), or null when not certified. */
  readonly docMdp: DocMdpPermission | null;
  /** FieldMDP locks in effect for this signature (its own and earlier signatures'). */
  readonly locks: readonly FieldLock[];
}

/** The outcome for one signature. */
export interface ModificationAnalysis {
  readonly status: ModificationsAfter;
  readonly changes: readonly Change[];
}

/** Keys of the catalog whose change is judged separately (AcroForm) or always allowed (DSS; ETSI EN 319 142-1 §5.4.2). */
const CATALOG_ALLOWED = new Set(['DSS', 'Extensions']);
/** AcroForm keys that filling and signing may change (ISO 32000-2 §12.7.3 Table 224). */
const ACROFORM_ALLOWED = new Set(['SigFlags', 'DR', 'DA', 'NeedAppearances']);
/** Field keys that filling a field changes. */
const FILL_KEYS = new Set(['V', 'AS', 'AP']);

/**
 * Compares each revision after `signatureRevision` (0-based) with the one before it.
 */
export function analyseModifications(doc: PdfDocument, signatureRevision: number, policy: ModificationPolicy): ModificationAnalysis {
  const last = doc.revisions.length - 1;
  const changes: Change[] = [];
  if (signatureRevision >= last) return Object.freeze({ status: 'none', changes: Object.freeze([]) });
  const level: DocMdpPermission = policy.docMdp ?? 3;
  const fieldNames = new Map<number, string>();
  for (const f of listFields(doc)) {
    if (f.ref) fieldNames.set(f.ref.num, f.name);
    for (const w of f.widgets) if (w.ref) fieldNames.set(w.ref.num, f.name);
  }
  const locked = (num: number) => {
    const name = fieldNames.get(num);
    return name !== undefined && policy.locks.some((l) => lockCovers(l, name));
  };

  for (let r = signatureRevision + 1; r <= last; r++) {
    const before = doc.atRevision(r - 1);
    const after = doc.atRevision(r);
    const rev = doc.revisions[r]!;
    const add = (object: string | null, kind: string, allowed: boolean, detail: string) => changes.push(Object.freeze({ revision: r + 1, object, kind, allowed, detail }));
    const catalogBefore = before.catalogRef;
    const catalogAfter = after.catalogRef;
    if (!catalogBefore.equals(catalogAfter)) add(null, 'catalog-replaced', false, `the trailer's /Root changed from ${catalogBefore.key} to ${catalogAfter.key}`);
    const acroFormRef = refOf(after.catalog.get('AcroForm')) ?? refOf(before.catalog.get('AcroForm'));
    const infoRef = refOf(after.trailer.get('Info'));
    const dssRef = refOf(after.catalog.get('DSS'));

    for (const num of rev.objects) {
      const oldObj = before.getObject(num);
      const newObj = after.getObject(num);
      const entry = after.getXrefEntry(num);
      const key = `${num} ${entry?.type === 'offset' ? entry.gen : 0}`;
      if (oldObj instanceof PdfNull) {
        classifyNew(newObj, key, level, add);
        continue;
      }
      if (pdfObjectsEqual(oldObj, newObj)) continue;
      // Cross-reference and object streams are containers: the objects inside are compared on their own.
      const oldType = typeName(oldObj);
      if (oldObj instanceof PdfStream && (oldType === 'XRef' || oldType === 'ObjStm') && newObj instanceof PdfStream && typeName(newObj) === oldType) continue;
      if (num === catalogAfter.num) {
        classifyCatalog(before, after, oldObj, newObj, key, level, add);
        continue;
      }
      if (acroFormRef && num === acroFormRef.num && oldObj instanceof PdfDict && newObj instanceof PdfDict) {
        classifyAcroForm(after, oldObj, newObj, key, level, add);
        continue;
      }
      if (infoRef && num === infoRef.num) {
        add(key, 'metadata', true, 'the document information dictionary was updated');
        continue;
      }
      if ((dssRef && num === dssRef.num) || typeName(newObj) === 'DSS' || typeName(newObj) === 'VRI') {
        add(key, 'dss', true, 'the document security store was updated (ETSI EN 319 142-1 §5.4.2)');
        continue;
      }
      if (oldObj instanceof PdfArray && newObj instanceof PdfArray) {
        classifyArray(after, oldObj, newObj, key, level, add);
        continue;
      }
      if (oldObj instanceof PdfDict && newObj instanceof PdfDict) {
        classifyDict(after, num, oldObj, newObj, key, level, locked(num), add);
        continue;
      }
      add(key, 'object-modified', false, `object ${key} (${describe(oldObj)}) was changed`);
    }
    for (const num of rev.freed) {
      if (before.getObject(num) instanceof PdfNull) continue;
      add(`${num} 0`, 'object-deleted', false, `object ${num} was deleted`);
    }
  }
  const status: ModificationsAfter = changes.length === 0 ? 'none' : changes.every((c) => c.allowed) ? 'allowed' : 'disallowed';
  return Object.freeze({ status, changes: Object.freeze(changes) });
}

type Add = (object: string | null, kind: string, allowed: boolean, detail: string) => void;

function refOf(o: PdfObject | undefined): PdfRef | undefined {
  return o instanceof PdfRef ? o : undefined;
}

function dictOf(o: PdfObject | undefined): PdfDict | undefined {
  if (o instanceof PdfDict) return o;
  if (o instanceof PdfStream) return o.dict;
  return undefined;
}

function typeName(o: PdfObject | undefined): string | undefined {
  return dictOf(o)?.getName('Type');
}

function describe(o: PdfObject | undefined): string {
  const d = dictOf(o);
  if (!d) return o instanceof PdfArray ? 'an array' : 'a value';
  const t = d.getName('Type') ?? d.getName('Subtype') ?? (d.has('FT') ? 'field' : undefined);
  return `${o instanceof PdfStream ? 'stream' : 'dictionary'}${t ? ` /${t}` : ''}`;
}

const isSignatureWidget = (d: PdfDict | undefined, r: PdfDocument) => d !== undefined && d.getName('FT', r) === 'Sig';

/** New objects: only the meaningful ones are listed; a new object changes nothing until an old one refers to it. */
function classifyNew(obj: PdfObject, key: string, level: DocMdpPermission, add: Add): void {
  const d = dictOf(obj);
  if (!d) return;
  const type = d.getName('Type');
  if (type === 'Sig') add(key, 'signature-added', level >= 2, level >= 2 ? 'a signature was added' : 'a signature was added, but the certification allows no changes (P=1)');
  else if (type === 'DocTimeStamp') add(key, 'document-timestamp-added', true, 'a document timestamp was added (ETSI EN 319 142-1 §5.4.3)');
  else if (type === 'DSS' || type === 'VRI') add(key, 'dss', true, 'validation data was added (ETSI EN 319 142-1 §5.4.2)');
  else if (d.getName('FT') === 'Sig') add(key, 'signature-field-added', true, `signature field "${d.getString('T')?.toText() ?? '?'}" was added`);
  else if (d.has('FT')) add(key, 'form-field-added', false, `a ${d.getName('FT')} form field was added`);
}

function classifyCatalog(before: PdfDocument, after: PdfDocument, oldObj: PdfObject, newObj: PdfObject, key: string, level: DocMdpPermission, add: Add): void {
  if (!(oldObj instanceof PdfDict) || !(newObj instanceof PdfDict)) {
    add(key, 'catalog-modified', false, 'the catalog was replaced by something that is not a dictionary');
    return;
  }
  const keys = new Set([...oldObj.keys(), ...newObj.keys()]);
  for (const k of keys) {
    const a = oldObj.get(k);
    const b = newObj.get(k);
    if (pdfObjectsEqual(a, b)) continue;
    if (CATALOG_ALLOWED.has(k)) add(key, k === 'DSS' ? 'dss' : 'catalog-extensions', true, `the catalog's /${k} was ${a === undefined ? 'added' : 'updated'}`);
    else if (k === 'AcroForm') {
      const fa = before.resolve(a);
      const fb = after.resolve(b);
      if (fa === undefined && fb instanceof PdfDict) classifyAcroForm(after, PdfDict.of(), fb, key, level, add);
      else if (fa instanceof PdfDict && fb instanceof PdfDict) {
        if (a instanceof PdfRef && b instanceof PdfRef && !a.equals(b)) add(key, 'acroform-replaced', false, 'the catalog points to another /AcroForm');
        else classifyAcroForm(after, fa, fb, key, level, add);
      } else add(key, 'acroform-replaced', false, 'the catalog\'s /AcroForm was removed or replaced');
    } else add(key, 'catalog-modified', false, `the catalog's /${k} was ${a === undefined ? 'added' : b === undefined ? 'removed' : 'changed'}`);
  }
}

function classifyAcroForm(after: PdfDocument, oldForm: PdfDict, newForm: PdfDict, key: string, level: DocMdpPermission, add: Add): void {
  const keys = new Set([...oldForm.keys(), ...newForm.keys()]);
  for (const k of keys) {
    const a = oldForm.get(k);
    const b = newForm.get(k);
    if (pdfObjectsEqual(a, b)) continue;
    if (ACROFORM_ALLOWED.has(k)) add(key, 'acroform-updated', level >= 2, `/AcroForm /${k} was updated`);
    else if (k === 'Fields') {
      const fa = after.resolve(a);
      const fb = after.resolve(b);
      if (a instanceof PdfRef && b instanceof PdfRef && a.equals(b)) continue; // the array object itself is judged on its own
      classifyArray(after, fa instanceof PdfArray ? fa : PdfArray.of(), fb instanceof PdfArray ? fb : PdfArray.of(), key, level, add);
    } else add(key, 'acroform-modified', false, `/AcroForm /${k} was ${a === undefined ? 'added' : b === undefined ? 'removed' : 'changed'}`);
  }
}

/** An array (page /Annots, /AcroForm /Fields) may only grow, by signature widgets (P ≥ 2) or annotations (P = 3). */
function classifyArray(after: PdfDocument, oldArr: PdfArray, newArr: PdfArray, key: string, level: DocMdpPermission, add: Add): void {
  const kept = oldArr.items.every((x) => newArr.items.some((y) => pdfObjectsEqual(x, y)));
  if (!kept) {
    add(key, 'array-modified', false, `entries were removed from or replaced in array ${key}`);
    return;
  }
  const added = newArr.items.filter((y) => !oldArr.items.some((x) => pdfObjectsEqual(x, y)));
  for (const item of added) {
    const d = dictOf(after.resolve(item));
    const what = item instanceof PdfRef ? item.key : 'a direct object';
    if (isSignatureWidget(d, after)) add(key, 'signature-field-added', true, `signature field ${what} was added to ${key}`);
    else if (d?.getName('Type') === 'Annot' || d?.has('Subtype')) {
      add(key, 'annotation-added', level >= 3, `annotation ${what} (/${d?.getName('Subtype') ?? '?'}) was added${level < 3 ? ` but the certification allows annotations only with P=3` : ''}`);
    } else add(key, 'array-modified', false, `${what} was added to array ${key}`);
  }
}

function classifyDict(after: PdfDocument, num: number, oldD: PdfDict, newD: PdfDict, key: string, level: DocMdpPermission, isLocked: boolean, add: Add): void {
  const changed = [...new Set([...oldD.keys(), ...newD.keys()])].filter((k) => !pdfObjectsEqual(oldD.get(k), newD.get(k)));
  const type = oldD.getName('Type');
  if (type === 'Page') {
    for (const k of changed) {
      if (k === 'Annots') {
        const a = after.resolve(oldD.get(k));
        const b = after.resolve(newD.get(k));
        classifyArray(after, a instanceof PdfArray ? a : PdfArray.of(), b instanceof PdfArray ? b : PdfArray.of(), key, level, add);
      } else add(key, 'page-modified', false, `page object ${key}: /${k} was changed`);
    }
    return;
  }
  if (type === 'Sig' || type === 'DocTimeStamp') {
    add(key, 'signature-modified', false, `signature dictionary ${key} was changed`);
    return;
  }
  const isField = oldD.has('FT') || oldD.has('T') || oldD.has('Parent');
  const isWidget = oldD.getName('Subtype') === 'Widget';
  if (isField || isWidget) {
    const ft = oldD.getName('FT', after) ?? (isWidget ? 'widget' : 'field');
    const bad = changed.filter((k) => !FILL_KEYS.has(k));
    if (bad.length) {
      add(key, 'field-modified', false, `form field/widget ${key}: /${bad.join(', /')} changed (only /V, /AS and /AP may change when filling or signing)`);
      return;
    }
    if (isLocked) {
      add(key, 'locked-field-modified', false, `form field ${key} is locked by a FieldMDP lock (ISO 32000-2 §12.8.2.4) but was changed`);
      return;
    }
    if (ft === 'Sig') {
      const filledNow = !oldD.has('V') && newD.has('V');
      const vChanged = changed.includes('V');
      if (vChanged && !filledNow) add(key, 'signature-modified', false, `signature field ${key}: its signature was replaced or removed`);
      else add(key, 'signature-field-filled', level >= 2, `signature field ${key} was signed${level < 2 ? ' but the certification allows no changes (P=1)' : ''}`);
      return;
    }
    add(key, 'form-fill', level >= 2, `form field ${key} was filled${level < 2 ? ' but the certification allows no changes (P=1)' : ''}`);
    return;
  }
  if (oldD.getName('Type') === 'Annot' || (oldD.has('Subtype') && oldD.has('Rect'))) {
    add(key, 'annotation-modified', level >= 3, `annotation ${key} was modified${level < 3 ? ' but the certification allows annotations only with P=3' : ''}`);
    return;
  }
  void num;
  add(key, 'object-modified', false, `object ${key} (${describe(oldD)}) was changed: /${changed.join(', /')}`);
}
