import { PdfArray, PdfDict, PdfName, PdfString, type PdfObject, type PdfResolver } from '@kyso/pdf';

/**
 * DocMDP access permissions (ISO 32000-2 §12.8.2.2, Table 257 /P):
 * 1 no changes; 2 form filling, page-template instantiation and signing; 3 as 2 plus annotations.
 */
export type DocMdpPermission = 1 | 2 | 3;

/** What each DocMDP permission allows, as error messages and reports name it. */
export const DOCMDP_PERMISSION_NAMES: Readonly<Record<DocMdpPermission, string>> = Object.freeze({
  1: 'P=1: no changes are permitted',
  2: 'P=2: only form filling and signing are permitted',
  3: 'P=3: only form filling, signing and annotations are permitted',
});

/** A FieldMDP lock (ISO 32000-2 §12.7.5.5 /Lock, §12.8.2.4 FieldMDP transform parameters). */
export interface FieldLock {
  /** All fields, only `fields`, or every field except `fields`. */
  readonly action: 'All' | 'Include' | 'Exclude';
  /** Fully qualified field names for Include and Exclude. */
  readonly fields?: readonly string[];
  /** PDF 2.0: DocMDP permissions that apply once the locking signature is applied (Table 236 /P). */
  readonly permission?: DocMdpPermission;
}

/** True when `lock` covers the field named `fieldName`. */
export function lockCovers(lock: FieldLock, fieldName: string): boolean {
  const fields = lock.fields ?? [];
  if (lock.action === 'All') return true;
  if (lock.action === 'Include') return fields.includes(fieldName);
  return !fields.includes(fieldName);
}

/** Reads a /Lock dictionary or FieldMDP /TransformParams; `null` when it is not one. */
export function readFieldLock(d: PdfDict | undefined, r: PdfResolver): FieldLock | null {
  if (!d) return null;
  const action = d.getName('Action', r);
  if (action !== 'All' && action !== 'Include' && action !== 'Exclude') return null;
  const arr = d.getArray('Fields', r);
  const fields: string[] = [];
  if (arr) for (let i = 0; i < arr.length; i++) {
    const s = arr.get(i, r);
    if (s instanceof PdfString) fields.push(s.toText());
  }
  const p = d.getInt('P', r);
  return Object.freeze({
    action,
    ...(action === 'All' ? {} : { fields: Object.freeze(fields) }),
    ...(p === 1 || p === 2 || p === 3 ? { permission: p } : {}),
  });
}

/** The /Lock or /TransformParams dictionary of `lock` (ISO 32000-2 Table 236 / Table 258). */
export function fieldLockDict(lock: FieldLock, type: 'SigFieldLock' | 'TransformParams'): PdfDict {
  const d = PdfDict.of({ Type: PdfName.of(type), Action: PdfName.of(lock.action) });
  if (lock.action !== 'All') d.set('Fields', PdfArray.of((lock.fields ?? []).map((f) => PdfString.fromText(f))));
  if (type === 'SigFieldLock' && lock.permission !== undefined) d.set('P', lock.permission);
  if (type === 'TransformParams') d.set('V', PdfName.of('1.2'));
  return d;
}

/** A /Reference entry of a signature dictionary (ISO 32000-2 §12.8.1 Table 256). */
export interface SignatureReference {
  readonly method: 'DocMDP' | 'FieldMDP' | 'UR' | string;
  readonly params: PdfDict | undefined;
}

/** The /Reference entries of a signature dictionary. */
export function readReferences(sig: PdfDict, r: PdfResolver): SignatureReference[] {
  const refs = sig.getArray('Reference', r);
  const out: SignatureReference[] = [];
  if (!refs) return out;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs.get(i, r);
    if (!(ref instanceof PdfDict)) continue;
    out.push({ method: ref.getName('TransformMethod', r) ?? '', params: ref.getDict('TransformParams', r) });
  }
  return out;
}

/** The DocMDP permission of a certification signature dictionary, or `null` when it has no DocMDP reference (§12.8.2.2: /P defaults to 2). */
export function docMdpPermissionOf(sig: PdfDict, r: PdfResolver): DocMdpPermission | null {
  const ref = readReferences(sig, r).find((x) => x.method === 'DocMDP');
  if (!ref) return null;
  const p = ref.params?.getInt('P', r) ?? 2;
  return p === 1 || p === 3 ? p : 2;
}

/** The certification signature dictionary of a document: catalog /Perms /DocMDP (ISO 32000-2 §12.8.4). */
export function certificationSignature(catalog: PdfDict, r: PdfResolver): PdfDict | undefined {
  const perms = catalog.getDict('Perms', r);
  const sig = perms?.get('DocMDP', r);
  return sig instanceof PdfDict ? sig : undefined;
}

/** The /Reference entry that certifies with permission `p` (ISO 32000-2 §12.8.2.2). */
export function docMdpReference(p: DocMdpPermission): PdfDict {
  return PdfDict.of({
    Type: PdfName.of('SigRef'),
    TransformMethod: PdfName.of('DocMDP'),
    TransformParams: PdfDict.of({ Type: PdfName.of('TransformParams'), P: p, V: PdfName.of('1.2') }),
  });
}

/** The /Reference entry that records a FieldMDP lock (ISO 32000-2 §12.8.2.4). */
export function fieldMdpReference(lock: FieldLock): PdfDict {
  return PdfDict.of({
    Type: PdfName.of('SigRef'),
    TransformMethod: PdfName.of('FieldMDP'),
    TransformParams: fieldLockDict(lock, 'TransformParams'),
  });
}

/** Type guard for a value that is a PDF name equal to `value`. */
export function isName(o: PdfObject | undefined, value: string): boolean {
  return o instanceof PdfName && o.value === value;
}
