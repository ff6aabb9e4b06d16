/**
 * The object-level comparison of one incremental update with the revision before it (cf.
 * pyHanko's diff_analysis, whose reject-by-default design this follows): every object the update
 * redefines, frees or adds is explained by one rule, and what no rule explains is disallowed.
 *
 * Objects that existed before are judged by the role they had (catalog, interactive form, field,
 * widget, page, annotation list, DSS, metadata, signature dictionary) and only the keys that role
 * may change are accepted. New objects are judged through whatever now refers to them — a new
 * field in /Fields, a new annotation in a page's /Annots, a new /V — and, since an unchanged old
 * object may already refer to a number nothing defined yet, through a search for such references.
 */
import { pdfObjectsEqual, PdfArray, PdfDict, PdfName, PdfNull, PdfRef, PdfStream, PdfString, type PdfDocument, type PdfObject } from '@kyso/pdf';
import { lockCovers } from '../../mdp/permissions.js';
import type { ChangeLog, Permission } from './change-log.js';
import { findDanglingReferences, type DanglingReference } from './dangling.js';
import { sameLocation } from './xref-entries.js';
import { indexForm, indexPages, isVisibleWidget, type FieldNode, type FormIndex, type FormRole, type PageIndex } from './roles.js';

/** Catalog keys that may change, each judged below (cf. pyHanko's ROOT_EXEMPT_STRICT_COMPARISON). */
const DSS_KEYS = new Set(['Type', 'Certs', 'OCSPs', 'CRLs', 'VRI']);
const VRI_ENTRY_KEYS = new Set(['Type', 'TU', 'TS', 'Cert', 'OCSP', 'CRL']);
/** AcroForm keys that form filling may change (ISO 32000-2 §12.7.3, Table 224). */
const ACROFORM_FILL_KEYS = new Set(['DR', 'DA', 'NeedAppearances', 'Q']);
/** Keys that filling a field or its widget changes (cf. pyHanko's VALUE_UPDATE_KEYS, without /F: flags can hide a widget). */
const FILL_KEYS = new Set(['V', 'AS', 'AP', 'DA', 'Q', 'Ff', 'Type']);
/** Keys that signing an existing, empty signature field changes. */
const SIGN_KEYS = new Set(['V', 'AP', 'AS', 'Lock', 'Ff', 'Type', 'DA', 'MK']);
/** Keys that may change on a field nobody fills (Acrobat sets /Ff liberally). */
const ALWAYS_KEYS = new Set(['Ff', 'Type']);
/**
 * Annotation types accepted as comments where annotations are allowed. Others (FreeText, Stamp,
 * Square, Redact, Ink, Widget without a field, …) can paint over the page and replace what it
 * shows: that is the Evil Annotation Attack (Mainka et al. 2021), so they are disallowed.
 */
export const COMMENT_ANNOTATIONS: ReadonlySet<string> = new Set(['Text', 'Popup', 'Highlight', 'Underline', 'Squiggly', 'StrikeOut', 'Caret', 'Link', 'FileAttachment', 'Sound']);

const refNum = (o: PdfObject | undefined) => (o instanceof PdfRef ? o.num : undefined);

function dictOf(o: PdfObject | undefined): PdfDict | undefined {
  if (o instanceof PdfDict) return o;
  if (o instanceof PdfStream) return o.dict;
  return undefined;
}

function describe(o: PdfObject | undefined): string {
  const d = dictOf(o);
  if (!d) return o instanceof PdfArray ? 'an array' : o instanceof PdfNull ? 'null' : 'a value';
  const t = d.getName('Type') ?? d.getName('Subtype') ?? (d.has('FT') ? 'field' : undefined);
  return `${o instanceof PdfStream ? 'a stream' : 'a dictionary'}${t ? ` /${t}` : ''}`;
}

function changedKeys(a: PdfDict, b: PdfDict): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => !pdfObjectsEqual(a.get(k), b.get(k)));
}

/** A verdict on something new: what it needs and what to say about it. */
interface Verdict {
  readonly kind: string;
  readonly permission: Permission;
  readonly detail: string;
}

/** Compares revision `r` (0-based) with revision `r - 1`, reporting into `log`. */
export class RevisionDiff {
  private readonly before: PdfDocument;
  private readonly after: PdfDocument;
  private readonly formBefore: FormIndex;
  private readonly formAfter: FormIndex;
  private pagesCache: PageIndex | undefined;
  private dssCache: DssIndex | undefined;
  /** Objects that revision r defines and r - 1 did not: number → generation. */
  private readonly fresh = new Map<number, number>();
  /** New objects already judged through a reference to them. */
  private readonly judged = new Set<number>();
  private readonly fieldVerdicts = new Map<FieldNode, Verdict>();

  constructor(
    private readonly doc: PdfDocument,
    private readonly r: number,
    private readonly log: ChangeLog,
  ) {
    this.before = doc.atRevision(r - 1);
    this.after = doc.atRevision(r);
    this.formBefore = indexForm(this.before);
    this.formAfter = indexForm(this.after);
  }

  private get pages(): PageIndex {
    this.pagesCache ??= indexPages(this.before);
    return this.pagesCache;
  }

  private get dss(): DssIndex {
    this.dssCache ??= indexDss(this.before);
    return this.dssCache;
  }

  private key(num: number, view: PdfDocument = this.after): string {
    const e = view.getXrefEntry(num);
    return `${num} ${e?.type === 'offset' ? e.gen : 0}`;
  }

  private definedBefore(num: number): boolean {
    const e = this.before.getXrefEntry(num);
    return e !== undefined && e.type !== 'free';
  }

  private add(object: string | null, kind: string, permission: Permission, detail: string): void {
    this.log.add(this.r, object, kind, permission, detail);
  }

  private reject(object: string | null, kind: string, detail: string): void {
    this.log.reject(this.r, object, kind, detail);
  }

  /** Runs the comparison. */
  run(): void {
    const rev = this.doc.revisions[this.r]!;
    this.compareTrailers();
    for (const num of rev.freed) {
      if (this.definedBefore(num)) this.reject(this.key(num, this.before), 'object-deleted', `object ${num} (${describe(this.before.getObject(num))}) was deleted`);
    }
    const modified: number[] = [];
    for (const num of rev.objects) {
      const eb = this.before.getXrefEntry(num);
      const ea = this.after.getXrefEntry(num);
      if (!ea || ea.type === 'free') continue;
      if (!eb || eb.type === 'free') {
        this.fresh.set(num, ea.type === 'offset' ? ea.gen : 0);
        continue;
      }
      if (sameLocation(this.before, this.after, eb, ea)) continue;
      modified.push(num);
    }
    for (const num of modified) {
      const oldObj = this.before.getObject(num);
      const newObj = this.after.getObject(num);
      if (pdfObjectsEqual(oldObj, newObj)) continue;
      this.classifyModified(num, oldObj, newObj);
    }
    this.classifyUnreferencedNew();
    this.checkDangling();
  }

  private compareTrailers(): void {
    const tb = this.before.trailer;
    const ta = this.after.trailer;
    if (!pdfObjectsEqual(tb.get('Root'), ta.get('Root'))) {
      this.reject(null, 'catalog-replaced', `the trailer's /Root changed from ${String(tb.get('Root'))} to ${String(ta.get('Root'))}: another document catalog`);
    }
    const ib = tb.get('Info');
    const ia = ta.get('Info');
    if (!pdfObjectsEqual(ib, ia) && ia !== undefined) {
      const n = refNum(ia);
      if (n !== undefined) this.judged.add(n);
      this.judgeInfo(n === undefined ? null : this.key(n), this.after.resolve(ia));
    }
    if (ta.has('Encrypt') && !pdfObjectsEqual(tb.get('Encrypt'), ta.get('Encrypt'))) this.reject(null, 'encryption-changed', 'the trailer\'s /Encrypt changed');
  }

  private classifyModified(num: number, oldObj: PdfObject, newObj: PdfObject): void {
    const key = this.key(num);
    const oldType = dictOf(oldObj)?.getName('Type');
    // Cross-reference and object streams are containers: the objects in them are compared on their own.
    if (oldObj instanceof PdfStream && oldType === 'XRef') {
      if (newObj instanceof PdfStream && newObj.dict.getName('Type') === 'XRef') return;
    }
    if (oldObj instanceof PdfStream && oldType === 'ObjStm' && newObj instanceof PdfStream && newObj.dict.getName('Type') === 'ObjStm') {
      this.checkObjectStreamReuse(num, key);
      return;
    }
    if (num === this.before.catalogRef.num) return this.classifyCatalog(key, oldObj, newObj);
    if (num === this.formBefore.acroFormNum) {
      if (oldObj instanceof PdfDict && newObj instanceof PdfDict) return this.compareAcroForms(key, oldObj, newObj);
      return this.reject(key, 'acroform-modified', `the /AcroForm ${key} was replaced by ${describe(newObj)}`);
    }
    if (num === this.formBefore.fieldsArrayNum) return this.compareFieldLists(key, num, oldObj, newObj);
    const role = this.formBefore.byNum.get(num);
    if (role) return this.classifyField(key, role, oldObj, newObj);
    if (this.formBefore.kidsArrays.has(num)) return this.reject(key, 'field-modified', `the /Kids of a form field (${key}) were changed`);
    if (num === refNum(this.before.trailer.get('Info'))) return this.judgeInfo(key, newObj, num);
    if (num === refNum(this.before.catalog.get('Metadata'))) return this.judgeMetadataStream(key, num, newObj);
    if (this.dss.all.has(num)) return this.classifyDss(key, num, oldObj, newObj);
    if (oldType === 'Sig' || oldType === 'DocTimeStamp' || this.isSignatureValue(num)) {
      return this.reject(key, 'signature-modified', `signature dictionary ${key} was changed after it was signed`);
    }
    const oldDict = dictOf(oldObj);
    if (oldObj instanceof PdfDict && (oldType === 'Page' || this.pages.pages.has(num))) return this.classifyPage(key, oldObj, newObj);
    const annotsOwner = this.pages.annotsArrays.get(num);
    if (annotsOwner !== undefined) return this.compareAnnotationLists(key, num, this.before.resolve(oldObj), this.after.resolve(newObj));
    if (oldDict && oldObj instanceof PdfDict && oldDict.has('Subtype') && (oldType === 'Annot' || oldDict.has('Rect'))) return this.classifyAnnotation(key, oldObj, newObj);
    const draws = this.pages.drawing.has(num);
    const what = this.pages.treeNodes.has(num) ? 'the page tree' : draws ? `${describe(oldObj)} that draws a page (content, resources, fonts or images)` : describe(oldObj);
    const changed = oldObj instanceof PdfDict && newObj instanceof PdfDict ? `: /${changedKeys(oldObj, newObj).join(', /')} changed` : '';
    this.reject(key, this.pages.treeNodes.has(num) ? 'page-tree-modified' : 'object-modified', `object ${key} (${what}) was changed${changed}; an object the signed revision used may only change in the ways form filling, signing and annotating need`);
  }

  /** A /V of some signature field in the revision before (its signature dictionary). */
  private isSignatureValue(num: number): boolean {
    return this.formBefore.fields.some((f) => f.type === 'Sig' && refNum(f.value) === num);
  }

  private checkObjectStreamReuse(num: number, key: string): void {
    // The stream number is reused; if objects of earlier revisions still live in it, they now read from the new stream.
    const seen = new Set<number>();
    for (let i = this.r - 1; i >= 0; i--) {
      for (const n of this.doc.revisions[i]!.objects) {
        if (seen.has(n)) continue;
        seen.add(n);
        const e = this.after.getXrefEntry(n);
        if (e?.type === 'compressed' && e.stream === num && (this.after.revisionOfObject(n) ?? this.r) < this.r) {
          this.reject(key, 'object-stream-redefined', `object stream ${key} was replaced while object ${n} of an earlier revision still lives in it: that object now reads from the new stream (a shadow replace)`);
          return;
        }
      }
    }
  }

  private classifyCatalog(key: string, oldObj: PdfObject, newObj: PdfObject): void {
    if (!(oldObj instanceof PdfDict) || !(newObj instanceof PdfDict)) return this.reject(key, 'catalog-modified', 'the catalog was replaced by something that is not a dictionary');
    for (const k of changedKeys(oldObj, newObj)) {
      const a = oldObj.get(k);
      const b = newObj.get(k);
      const verb = a === undefined ? 'added' : b === undefined ? 'removed' : 'changed';
      switch (k) {
        case 'AcroForm': {
          const nb = refNum(b);
          if (nb !== undefined && !this.definedBefore(nb)) this.judged.add(nb);
          if (refNum(a) !== undefined && refNum(a) === nb) break;
          const fa = this.before.resolve(a);
          const fb = this.after.resolve(b);
          if (!(fb instanceof PdfDict)) this.reject(key, 'acroform-modified', `the catalog's /AcroForm was ${verb} and is no longer a dictionary`);
          else this.compareAcroForms(key, fa instanceof PdfDict ? fa : PdfDict.of(), fb);
          break;
        }
        case 'DSS':
          this.judgeNewDss(key, b);
          break;
        case 'Extensions':
        case 'MarkInfo':
          if (this.after.resolve(b) instanceof PdfDict || b === undefined) this.add(key, 'catalog-extensions', 'always', `the catalog's /${k} was ${verb}`);
          else this.reject(key, 'catalog-modified', `the catalog's /${k} is not a dictionary`);
          break;
        case 'Version':
          if (this.after.resolve(b) instanceof PdfName) this.add(key, 'catalog-version', 'always', `the catalog's /Version was ${verb}`);
          else this.reject(key, 'catalog-modified', 'the catalog\'s /Version is not a name');
          break;
        case 'Metadata': {
          const n = refNum(b);
          if (n !== undefined) this.judged.add(n);
          this.judgeMetadataStream(key, n, this.after.resolve(b));
          break;
        }
        default:
          this.reject(key, 'catalog-modified', `the catalog's /${k} was ${verb}${CATALOG_NOTES[k] ?? ''}`);
      }
    }
  }

  private compareAcroForms(key: string, oldForm: PdfDict, newForm: PdfDict): void {
    for (const k of changedKeys(oldForm, newForm)) {
      const a = oldForm.get(k);
      const b = newForm.get(k);
      if (k === 'Fields') {
        const nb = refNum(b);
        if (nb !== undefined && refNum(a) === nb) continue; // the array object is judged on its own
        if (nb !== undefined && !this.definedBefore(nb)) this.judged.add(nb);
        this.compareFieldLists(key, undefined, this.before.resolve(a) ?? PdfArray.of(), this.after.resolve(b));
      } else if (k === 'SigFlags') {
        const fa = typeof a === 'number' ? a : 0;
        const fb = this.after.resolve(b);
        if (typeof fb === 'number' && (fa & ~fb) === 0) this.add(key, 'acroform-updated', 'always', `/AcroForm /SigFlags was set to ${fb}`);
        else this.reject(key, 'acroform-modified', '/AcroForm /SigFlags lost flags');
      } else if (ACROFORM_FILL_KEYS.has(k)) this.add(key, 'acroform-updated', 'form-filling', `/AcroForm /${k} was ${a === undefined ? 'added' : 'changed'} (form filling)`);
      else this.reject(key, 'acroform-modified', `/AcroForm /${k} was ${a === undefined ? 'added' : b === undefined ? 'removed' : 'changed'}${k === 'XFA' ? ' (an XFA form replaces how the whole form is shown)' : ''}`);
    }
  }

  /** /AcroForm /Fields may only grow, by new signature fields. */
  private compareFieldLists(key: string, num: number | undefined, oldObj: PdfObject | undefined, newObj: PdfObject | undefined): void {
    if (!(newObj instanceof PdfArray)) return this.reject(key, 'field-removed', '/AcroForm /Fields is no longer an array');
    if (num !== undefined && this.pages.drawing.has(num)) return this.reject(key, 'object-modified', `the /Fields array ${key} also draws a page; it cannot be changed`);
    const oldItems = oldObj instanceof PdfArray ? oldObj.items : [];
    for (const x of oldItems) {
      if (!newObj.items.some((y) => pdfObjectsEqual(x, y))) this.reject(key, 'field-removed', `form field ${String(x)} was removed from /AcroForm /Fields`);
    }
    for (const y of newObj.items) {
      if (oldItems.some((x) => pdfObjectsEqual(x, y))) continue;
      const n = refNum(y);
      if (n === undefined) {
        this.reject(key, 'form-field-added', 'a direct field dictionary was added to /AcroForm /Fields');
        continue;
      }
      if (this.definedBefore(n)) {
        this.reject(key, 'form-field-added', `object ${n}, which existed before, was added to /AcroForm /Fields`);
        continue;
      }
      const node = this.formAfter.byNum.get(n)?.field;
      const v = node ? this.judgeNewField(node) : { kind: 'form-field-added', permission: 'never' as const, detail: `${y.toString()} in /AcroForm /Fields is not a field dictionary` };
      this.add(this.key(n), v.kind, v.permission, v.detail);
    }
  }

  /**
   * A field that did not exist before. Only signature fields may be added (pyHanko's
   * SigFieldCreationRule); an invisible one is always allowed (document timestamps need it), a
   * visible one only when it is signed in the same update — a visible, empty signature field can
   * show anything over the page (the Sneaky Signature Attack, Mainka et al. 2021).
   */
  private judgeNewField(node: FieldNode): Verdict {
    const cached = this.fieldVerdicts.get(node);
    if (cached) return cached;
    const v = this.judgeNewFieldUncached(node);
    this.fieldVerdicts.set(node, v);
    if (node.num !== undefined) this.judged.add(node.num);
    for (const w of node.widgets) if (w.num !== undefined) this.judged.add(w.num);
    return v;
  }

  private judgeNewFieldUncached(node: FieldNode): Verdict {
    const name = `"${node.name}"`;
    if (!node.terminal) return { kind: 'form-field-added', permission: 'never', detail: `a field hierarchy ${name} was added; only signature fields may be added` };
    if (node.type !== 'Sig') return { kind: 'form-field-added', permission: 'never', detail: `a new /${node.type ?? '?'} field ${name} was added; adding fields is not form filling` };
    for (const w of node.widgets) {
      if (w.num !== undefined && this.definedBefore(w.num)) return { kind: 'form-field-added', permission: 'never', detail: `the new signature field ${name} uses object ${w.num}, which existed before, as its widget` };
      const t = w.dict.getName('Type');
      if (t !== undefined && t !== 'Annot') return { kind: 'form-field-added', permission: 'never', detail: `the widget of the new signature field ${name} has /Type /${t}` };
    }
    const visible = node.widgets.some((w) => isVisibleWidget(w.dict, this.after));
    if (node.value === undefined) {
      return visible
        ? { kind: 'signature-field-added', permission: 'never', detail: `a visible signature field ${name} without a signature was added: its appearance can cover the page (Sneaky Signature Attack)` }
        : { kind: 'signature-field-added', permission: 'always', detail: `an invisible signature field ${name} was added` };
    }
    const sig = this.judgeSignatureValue(node, visible);
    if (sig.permission === 'never') return sig;
    return { kind: 'signature-field-added', permission: sig.permission, detail: `${visible ? 'a visible' : 'an invisible'} signature field ${name} was added and signed` };
  }

  /** The /V of a signature field signed in this update: a new signature or document timestamp dictionary. */
  private judgeSignatureValue(node: FieldNode, visible: boolean): Verdict {
    const name = `"${node.name}"`;
    const n = refNum(node.value);
    if (n === undefined) return { kind: 'signature-added', permission: 'never', detail: `the signature of field ${name} is not an indirect object` };
    const key = this.key(n);
    if (this.definedBefore(n)) {
      const v: Verdict = { kind: 'signature-modified', permission: 'never', detail: `field ${name} was given object ${n}, which existed before, as its signature` };
      this.add(key, v.kind, v.permission, v.detail);
      return v;
    }
    this.judged.add(n);
    const d = this.after.getObject(n);
    const type = d instanceof PdfDict ? (d.getName('Type') ?? 'Sig') : undefined;
    let v: Verdict;
    if (type === 'DocTimeStamp') v = { kind: 'document-timestamp-added', permission: visible ? 'signing' : 'always', detail: `a document timestamp was added in field ${name} (ETSI EN 319 142-1 §5.4.3)` };
    else if (type === 'Sig') v = { kind: 'signature-added', permission: 'signing', detail: `a signature was added in field ${name}` };
    else v = { kind: 'signature-added', permission: 'never', detail: `the signature of field ${name} is ${describe(d)}, not a signature dictionary` };
    this.add(key, v.kind, v.permission, v.detail);
    return v;
  }

  private isLocked(name: string): boolean {
    return this.log.policy.locks.some((l) => lockCovers(l, name));
  }

  private classifyField(key: string, role: FormRole, oldObj: PdfObject, newObj: PdfObject): void {
    const node = role.field;
    if (!(oldObj instanceof PdfDict) || !(newObj instanceof PdfDict)) return this.reject(key, 'field-modified', `form field ${key} ("${node.name}") was replaced by ${describe(newObj)}`);
    const changed = changedKeys(oldObj, newObj);
    const name = `"${node.name}"`;
    if (changed.includes('Type') && newObj.getName('Type') !== 'Annot' && !(role.role === 'field' && newObj.get('Type') === undefined)) {
      return this.reject(key, 'field-modified', `the /Type of form field ${name} was changed`);
    }
    if (changed.every((k) => ALWAYS_KEYS.has(k))) return this.add(key, 'field-flags', 'always', `the flags of form field ${name} were updated`);
    if (!node.terminal) return this.reject(key, 'field-modified', `form field node ${name}: /${changed.join(', /')} changed`);
    if (node.type === 'Sig') {
      const wasSigned = node.value !== undefined;
      const after = this.formAfter.fields.find((f) => f.name === node.name && f.num === node.num);
      const nowSigned = after?.value !== undefined;
      if (wasSigned || !nowSigned) {
        return this.reject(
          key,
          wasSigned ? 'signature-modified' : 'field-modified',
          wasSigned
            ? `signature field ${name} was changed after it was signed (/${changed.join(', /')}): its value and appearance are part of what was signed`
            : `empty signature field ${name} was changed (/${changed.join(', /')}) without being signed; its appearance can cover the page (Sneaky Signature Attack)`,
        );
      }
      const bad = changed.filter((k) => !SIGN_KEYS.has(k) || (k === 'Lock' && oldObj.has('Lock')));
      if (bad.length) return this.reject(key, 'field-modified', `signature field ${name} was signed and /${bad.join(', /')} changed as well`);
      if (this.isLocked(node.name)) return this.reject(key, 'locked-field-modified', `signature field ${name} is locked by a FieldMDP lock (ISO 32000-2 §12.8.2.4) but was signed`);
      const visible = node.widgets.some((w) => isVisibleWidget(w.dict, this.before));
      const sig = role.role === 'widget' ? { permission: 'signing' as const } : this.judgeSignatureValue(after!, visible);
      if (sig.permission === 'never') return;
      return this.add(key, 'signature-field-filled', sig.permission, `signature field ${name} was signed`);
    }
    const bad = changed.filter((k) => !FILL_KEYS.has(k));
    if (bad.length) return this.reject(key, 'field-modified', `form field ${name}: /${bad.join(', /')} changed (only /V, /AS, /AP, /DA, /Q and /Ff change when a field is filled)`);
    if (this.isLocked(node.name)) return this.reject(key, 'locked-field-modified', `form field ${name} is locked by a FieldMDP lock (ISO 32000-2 §12.8.2.4) but was changed`);
    this.add(key, 'form-fill', 'form-filling', `form field ${name} was filled`);
  }

  private classifyPage(key: string, oldObj: PdfDict, newObj: PdfObject): void {
    if (!(newObj instanceof PdfDict)) return this.reject(key, 'page-modified', `page ${key} was replaced by ${describe(newObj)}`);
    for (const k of changedKeys(oldObj, newObj)) {
      if (k !== 'Annots') {
        this.reject(key, 'page-modified', `page ${key}: /${k} was ${oldObj.has(k) ? (newObj.has(k) ? 'changed' : 'removed') : 'added'}; what a signed page shows may not change`);
        continue;
      }
      const a = oldObj.get(k);
      const b = newObj.get(k);
      if (refNum(a) !== undefined && refNum(a) === refNum(b)) continue; // the array object is judged on its own
      const nb = refNum(b);
      if (nb !== undefined && this.definedBefore(nb) && nb !== refNum(a)) {
        this.reject(key, 'page-modified', `page ${key}: /Annots now points to object ${nb}, which existed before`);
        continue;
      }
      if (nb !== undefined) this.judged.add(nb);
      this.compareAnnotationLists(key, undefined, this.before.resolve(a), this.after.resolve(b));
    }
  }

  /** A page's /Annots may only grow, by widgets of new signature fields or (where allowed) comments. */
  private compareAnnotationLists(key: string, num: number | undefined, oldObj: PdfObject | undefined, newObj: PdfObject | undefined): void {
    if (num !== undefined && this.pages.drawing.has(num)) return this.reject(key, 'object-modified', `the /Annots array ${key} is also used to draw a page; it cannot be changed`);
    const oldItems = oldObj instanceof PdfArray ? oldObj.items : [];
    const newItems = newObj instanceof PdfArray ? newObj.items : [];
    if (newObj !== undefined && !(newObj instanceof PdfArray)) return this.reject(key, 'annotation-removed', `/Annots ${key} is no longer an array`);
    for (const x of oldItems) {
      if (!newItems.some((y) => pdfObjectsEqual(x, y))) this.reject(key, 'annotation-removed', `annotation ${String(x)} was removed from a page`);
    }
    for (const y of newItems) {
      if (oldItems.some((x) => pdfObjectsEqual(x, y))) continue;
      const v = this.judgeNewAnnotation(y);
      const n = refNum(y);
      this.add(n === undefined ? key : this.key(n), v.kind, v.permission, v.detail);
    }
  }

  private judgeNewAnnotation(item: PdfObject): Verdict {
    const n = refNum(item);
    if (n !== undefined && this.definedBefore(n)) return { kind: 'annotation-added', permission: 'never', detail: `object ${n}, which existed before, was added to a page's annotations` };
    if (n !== undefined) this.judged.add(n);
    const d = this.after.resolve(item);
    if (!(d instanceof PdfDict)) return { kind: 'annotation-added', permission: 'never', detail: `${describe(d)} was added to a page's annotations` };
    const subtype = d.getName('Subtype') ?? '?';
    const role = n !== undefined ? this.formAfter.byNum.get(n) : undefined;
    if (subtype === 'Widget' || role) {
      if (!role) return { kind: 'annotation-added', permission: 'never', detail: `a widget annotation that belongs to no form field was added: it can show anything over the page` };
      if (role.field.num !== undefined && this.definedBefore(role.field.num)) return { kind: 'form-field-added', permission: 'never', detail: `a new widget was added to the existing field "${role.field.name}"` };
      return this.judgeNewField(role.field);
    }
    if (COMMENT_ANNOTATIONS.has(subtype)) return { kind: 'annotation-added', permission: 'annotations', detail: `a /${subtype} annotation was added` };
    return {
      kind: 'annotation-added',
      permission: 'never',
      detail: `a /${subtype} annotation was added: it can paint over and replace what the page shows (Evil Annotation Attack); only comment annotations (${[...COMMENT_ANNOTATIONS].join(', ')}) are accepted`,
    };
  }

  private classifyAnnotation(key: string, oldObj: PdfDict, newObj: PdfObject): void {
    const subtype = oldObj.getName('Subtype') ?? '?';
    if (!(newObj instanceof PdfDict) || newObj.getName('Subtype') !== subtype) return this.reject(key, 'annotation-modified', `annotation ${key} (/${subtype}) was replaced by ${describe(newObj)}`);
    if (COMMENT_ANNOTATIONS.has(subtype)) return this.add(key, 'annotation-modified', 'annotations', `a /${subtype} annotation was modified`);
    this.reject(key, 'annotation-modified', `a /${subtype} annotation was modified: it can paint over what the page shows`);
  }

  /** The document information dictionary (ISO 32000-2 §14.3.3): text entries only, and used for nothing else. */
  private judgeInfo(key: string | null, obj: PdfObject | undefined, num?: number): void {
    if (!(obj instanceof PdfDict)) return this.reject(key, 'metadata', `the document information dictionary is ${describe(obj)}`);
    if (num !== undefined && (this.pages.drawing.has(num) || this.formBefore.byNum.has(num))) {
      return this.reject(key, 'object-modified', `the document information dictionary ${key} is also used by a page or a form field; changing it changes them`);
    }
    for (const [k, v] of obj.entries()) {
      if (!(v instanceof PdfString || v instanceof PdfName || typeof v === 'number' || typeof v === 'boolean' || v instanceof PdfNull)) {
        return this.reject(key, 'metadata', `the document information dictionary's /${k} is ${describe(v)}, not text`);
      }
    }
    this.add(key, 'metadata', 'always', 'the document information dictionary was updated');
  }

  /** XMP metadata (ISO 32000-2 §14.3.2): a /Metadata /XML stream, used for nothing else. */
  private judgeMetadataStream(key: string, num: number | undefined, obj: PdfObject | undefined): void {
    if (obj === undefined) return this.add(key, 'metadata', 'always', 'the XMP metadata was removed');
    if (!(obj instanceof PdfStream) || obj.dict.getName('Type') !== 'Metadata' || obj.dict.getName('Subtype') !== 'XML') {
      return this.reject(key, 'metadata', `the catalog's /Metadata is ${describe(obj)}, not an XMP /Metadata stream`);
    }
    if (num !== undefined && this.definedBefore(num) && this.pages.drawing.has(num)) {
      return this.reject(key, 'object-modified', `metadata stream ${key} also draws a page; changing it changes the page`);
    }
    this.add(key, 'metadata', 'always', 'the XMP metadata was updated');
  }

  /** A new or replaced /DSS (ETSI EN 319 142-1 §5.4.2): its structure only; its streams are data. */
  private judgeNewDss(key: string, value: PdfObject | undefined): void {
    const n = refNum(value);
    if (n !== undefined && !this.definedBefore(n)) this.judged.add(n);
    if (value === undefined) return this.add(key, 'dss', 'always', 'the document security store was removed');
    const d = this.after.resolve(value);
    const problem = d instanceof PdfDict ? dssProblem(d, this.after) : 'it is not a dictionary';
    if (problem) return this.reject(key, 'dss', `the document security store is malformed: ${problem}`);
    this.add(key, 'dss', 'always', 'the document security store was updated (ETSI EN 319 142-1 §5.4.2)');
  }

  private classifyDss(key: string, num: number, oldObj: PdfObject, newObj: PdfObject): void {
    const dss = this.dss;
    if (num === dss.dss) {
      const problem = newObj instanceof PdfDict ? dssProblem(newObj, this.after) : 'it is not a dictionary';
      if (problem) return this.reject(key, 'dss', `the document security store is malformed: ${problem}`);
      return this.add(key, 'dss', 'always', 'the document security store was updated (ETSI EN 319 142-1 §5.4.2)');
    }
    if (num === dss.vri) {
      if (!(oldObj instanceof PdfDict) || !(newObj instanceof PdfDict)) return this.reject(key, 'dss', 'the /VRI dictionary was replaced by something else');
      for (const k of changedKeys(oldObj, newObj)) {
        if (oldObj.has(k)) return this.reject(key, 'dss', `the /VRI entry /${k} was changed or removed`);
        if (!/^[0-9A-Fa-f]{40}$/.test(k)) return this.reject(key, 'dss', `the /VRI key /${k} is not a SHA-1 hash`);
      }
      return this.add(key, 'dss', 'always', 'validation data (VRI) was added (ETSI EN 319 142-1 §5.4.2)');
    }
    if (dss.vriEntries.has(num)) {
      if (!(newObj instanceof PdfDict) || newObj.keys().some((k) => !VRI_ENTRY_KEYS.has(k))) return this.reject(key, 'dss', 'a /VRI entry has unexpected content');
      return this.add(key, 'dss', 'always', 'a /VRI entry was updated');
    }
    if (dss.arrays.has(num)) {
      if (this.pages.drawing.has(num)) return this.reject(key, 'object-modified', `DSS array ${key} also draws a page; it cannot be changed`);
      if (!(newObj instanceof PdfArray) || !newObj.items.every((x) => x instanceof PdfRef && this.after.getObject(x) instanceof PdfStream)) {
        return this.reject(key, 'dss', `DSS array ${key} must hold references to streams`);
      }
      return this.add(key, 'dss', 'always', 'validation data (certificates, OCSP responses, CRLs) was added');
    }
    this.reject(key, 'dss', `validation data ${key} that existed was rewritten`);
  }

  /** New objects no reference led to: listed when they mean something (a signature, a field, validation data). */
  private classifyUnreferencedNew(): void {
    for (const [num] of this.fresh) {
      if (this.judged.has(num)) continue;
      const d = dictOf(this.after.getObject(num));
      if (!d) continue;
      const type = d.getName('Type');
      const key = this.key(num);
      if (type === 'Sig') this.add(key, 'signature-added', 'signing', 'a signature dictionary was added');
      else if (type === 'DocTimeStamp') this.add(key, 'document-timestamp-added', 'always', 'a document timestamp was added (ETSI EN 319 142-1 §5.4.3)');
      else if (type === 'DSS' || type === 'VRI') this.add(key, 'dss', 'always', 'validation data was added (ETSI EN 319 142-1 §5.4.2)');
      else if (d.has('FT') && d.has('T')) this.reject(key, 'form-field-added', `a /${d.getName('FT') ?? '?'} field "${d.getText('T') ?? '?'}" was added outside the form`);
    }
  }

  /** New object numbers that old, unchanged objects already referred to. */
  private checkDangling(): void {
    const targets = new Map<number, number>();
    for (const [num, gen] of this.fresh) {
      const t = dictOf(this.after.getObject(num))?.getName('Type');
      if (t === 'XRef' || t === 'ObjStm') continue;
      targets.set(num, gen);
    }
    // Every signature before this revision asks the same question: search the file once.
    let perFile = danglingCache.get(this.doc.source);
    if (!perFile) danglingCache.set(this.doc.source, (perFile = new Map()));
    let found = perFile.get(this.r);
    if (!found) perFile.set(this.r, (found = findDanglingReferences(this.before, targets)));
    for (const d of found) {
      this.reject(
        this.key(d.target),
        'dangling-reference',
        `object ${d.from} of an earlier revision refers to object ${d.target}, which did not exist when it was signed; defining it now changes what object ${d.from} shows without changing it (shadow attack)`,
      );
    }
  }
}

/** Dangling references per file and revision (the search reads the whole file). */
const danglingCache = new WeakMap<object, Map<number, DanglingReference[]>>();

const CATALOG_NOTES: Record<string, string> = {
  Perms: ' (certification can only be set by the first signature)',
  OpenAction: ' (an action run when the document opens)',
  AA: ' (actions run on document events)',
  Names: ' (name trees hold JavaScript, embedded files and destinations)',
  OCProperties: ' (optional content can hide or show parts of pages)',
  Pages: ' (another page tree)',
};

/** Where the DSS of a revision lives. */
interface DssIndex {
  readonly dss: number | undefined;
  readonly vri: number | undefined;
  readonly vriEntries: ReadonlySet<number>;
  readonly arrays: ReadonlySet<number>;
  /** Every indirect object of the DSS (streams too). */
  readonly all: ReadonlySet<number>;
}

function indexDss(view: PdfDocument): DssIndex {
  const all = new Set<number>();
  const arrays = new Set<number>();
  const vriEntries = new Set<number>();
  const dssObj = view.catalog.get('DSS');
  const dss = refNum(dssObj);
  const d = view.resolve(dssObj);
  let vri: number | undefined;
  const addArray = (o: PdfObject | undefined) => {
    const n = refNum(o);
    if (n !== undefined) {
      arrays.add(n);
      all.add(n);
    }
    const a = view.resolve(o);
    if (a instanceof PdfArray) for (const x of a.items) if (x instanceof PdfRef) all.add(x.num);
  };
  if (dss !== undefined) all.add(dss);
  if (d instanceof PdfDict) {
    for (const k of ['Certs', 'OCSPs', 'CRLs']) addArray(d.get(k));
    const vriObj = d.get('VRI');
    vri = refNum(vriObj);
    if (vri !== undefined) all.add(vri);
    const v = view.resolve(vriObj);
    if (v instanceof PdfDict) {
      for (const [, entry] of v.entries()) {
        const en = refNum(entry);
        if (en !== undefined) {
          vriEntries.add(en);
          all.add(en);
        }
        const ed = view.resolve(entry);
        if (ed instanceof PdfDict) {
          for (const k of ['Cert', 'OCSP', 'CRL']) addArray(ed.get(k));
          const ts = refNum(ed.get('TS'));
          if (ts !== undefined) all.add(ts);
        }
      }
    }
  }
  return { dss, vri, vriEntries, arrays, all };
}

/** What is wrong with a DSS dictionary, or null (ETSI EN 319 142-1 §5.4.2.2, Table 5). */
function dssProblem(d: PdfDict, view: PdfDocument): string | null {
  for (const k of d.keys()) if (!DSS_KEYS.has(k)) return `unexpected key /${k}`;
  for (const k of ['Certs', 'OCSPs', 'CRLs']) {
    const a = view.resolve(d.get(k));
    if (a !== undefined && !(a instanceof PdfArray)) return `/${k} is not an array`;
  }
  const vri = view.resolve(d.get('VRI'));
  if (vri !== undefined && !(vri instanceof PdfDict)) return '/VRI is not a dictionary';
  for (const [k, entry] of vri instanceof PdfDict ? vri.entries() : []) {
    if (!/^[0-9A-Fa-f]{40}$/.test(k)) return `the /VRI key /${k} is not a SHA-1 hash`;
    const e = view.resolve(entry);
    if (!(e instanceof PdfDict)) return `the /VRI entry /${k} is not a dictionary`;
    for (const ek of e.keys()) if (!VRI_ENTRY_KEYS.has(ek)) return `the /VRI entry /${k} has an unexpected key /${ek}`;
  }
  return null;
}
