import { listSignatures, type PdfDocument, type PdfSignatureInfo } from '@kyso/pdf';
import { PadesError } from '../errors.js';
import { certificationSignature, DOCMDP_PERMISSION_NAMES, docMdpPermissionOf, lockCovers, readFieldLock, type DocMdpPermission, type FieldLock } from './permissions.js';

/** The DocMDP and FieldMDP restrictions that the existing signatures of a document impose. */
export interface DocumentRestrictions {
  /** The certification's permission, or null for a document that is not certified. */
  readonly docMdp: DocMdpPermission | null;
  /** The strictest PDF 2.0 /Lock /P of a signed, locking field (ISO 32000-2 Table 236), or null. */
  readonly lockPermission: DocMdpPermission | null;
  /** FieldMDP locks of the signatures applied so far (ISO 32000-2 §12.8.2.4), with the locking field's name. */
  readonly fieldLocks: readonly { readonly by: string; readonly lock: FieldLock }[];
  readonly signatures: readonly PdfSignatureInfo[];
}

/** Reads the restrictions of `doc` (certification, FieldMDP locks). */
export function readRestrictions(doc: PdfDocument): DocumentRestrictions {
  const signatures = listSignatures(doc);
  let docMdp: DocMdpPermission | null = null;
  const cert = certificationSignature(doc.catalog, doc);
  if (cert) docMdp = docMdpPermissionOf(cert, doc);
  for (const s of signatures) {
    const p = docMdpPermissionOf(s.dict, doc);
    if (p !== null) docMdp = docMdp === null ? p : (Math.min(docMdp, p) as DocMdpPermission);
  }
  const fieldLocks: { by: string; lock: FieldLock }[] = [];
  let lockPermission: DocMdpPermission | null = null;
  for (const s of signatures) {
    const ref = s.references.find((r) => r.transformMethod === 'FieldMDP');
    const lock = readFieldLock(ref?.transformParams, doc) ?? readFieldLock(s.field.lock, doc);
    if (lock) fieldLocks.push({ by: s.field.name, lock });
    const fieldLock = readFieldLock(s.field.lock, doc);
    if (fieldLock?.permission !== undefined) {
      lockPermission = lockPermission === null ? fieldLock.permission : (Math.min(lockPermission, fieldLock.permission) as DocMdpPermission);
    }
  }
  return Object.freeze({ docMdp, lockPermission, fieldLocks: Object.freeze(fieldLocks), signatures: Object.freeze(signatures) });
}

/**
 * Refuses to add a signature that the document's certification or locks forbid:
 * DocMDP P=1 forbids any change (ISO 32000-2 §12.8.2.2, Table 257); P=2 and P=3 allow signing,
 * and — as pyHanko and Acrobat's validation accept — adding a new signature field to sign;
 * a FieldMDP lock (§12.8.2.4) forbids signing a field it covers.
 */
export function assertSigningAllowed(r: DocumentRestrictions, fieldName: string, fieldExists: boolean, certify: boolean): void {
  const effective = r.docMdp === null ? r.lockPermission : r.lockPermission === null ? r.docMdp : Math.min(r.docMdp, r.lockPermission);
  if (effective === 1) {
    const by = r.docMdp === 1 ? 'certified with DocMDP' : 'locked by a signature field with /Lock';
    throw new PadesError(
      'DOCMDP_FORBIDS',
      `The document is ${by} ${DOCMDP_PERMISSION_NAMES[1]}; adding a signature would invalidate the certification. Sign the original (uncertified) document instead.`,
    );
  }
  if (certify && r.signatures.length > 0) {
    throw new PadesError(
      'CERTIFICATION_NOT_FIRST',
      `The document already has ${r.signatures.length} signature(s); only the first signature may certify a document (ISO 32000-2 §12.8.2.2.1). Sign without certify.`,
    );
  }
  if (fieldExists) {
    const l = r.fieldLocks.find((x) => lockCovers(x.lock, fieldName));
    if (l) {
      throw new PadesError('FIELD_LOCKED', `The field "${fieldName}" is locked by the signature in "${l.by}" (FieldMDP /Action /${l.lock.action}); signing it would invalidate that signature. Sign another (or a new) field.`);
    }
  }
}
