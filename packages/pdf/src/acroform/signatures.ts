import type { PdfDocument } from '../document/pdf-document.js';
import { PdfArray } from '../objects/pdf-array.js';
import { PdfDict } from '../objects/pdf-dict.js';
import { PdfRef } from '../objects/pdf-ref.js';
import type { ByteSpan } from '../objects/pdf-string.js';
import type { PdfField } from './fields.js';
import { listFields, listUnlistedSignatureFields } from './fields.js';

/** One /Reference entry of a signature dictionary: a signature reference dictionary (ISO 32000-2 §12.8.1, Table 257). */
export interface PdfSignatureReference {
  /** /TransformMethod: "DocMDP", "UR3" or "FieldMDP". */
  readonly transformMethod: string | undefined;
  /** /TransformParams (for DocMDP: /P 1|2|3; for FieldMDP: /Action, /Fields). */
  readonly transformParams: PdfDict | undefined;
  readonly dict: PdfDict;
}

/** A signature field's signature dictionary (§12.8.1, Table 255) with what verification needs. */
export interface PdfSignatureInfo {
  readonly field: PdfField;
  /** The signature dictionary's reference (undefined when it is direct in the field). */
  readonly ref: PdfRef | undefined;
  readonly dict: PdfDict;
  /** /Type: "Sig" or "DocTimeStamp" (absent /Type is read as "Sig"). */
  readonly type: string;
  readonly filter: string | undefined;
  readonly subFilter: string | undefined;
  /** /ByteRange as numbers (pairs of offset, length). */
  readonly byteRange: number[] | undefined;
  /** /Contents bytes (the DER of the CMS object, with its zero padding). */
  readonly contents: Uint8Array | undefined;
  /** Absolute span of the /Contents string in the file, `<` to `>` inclusive (undefined inside an object stream). */
  readonly contentsSpan: ByteSpan | undefined;
  /** /M, the signing time as written (a PDF date string). */
  readonly signingTime: string | undefined;
  readonly name: string | undefined;
  readonly reason: string | undefined;
  readonly location: string | undefined;
  readonly contactInfo: string | undefined;
  readonly references: readonly PdfSignatureReference[];
  /** Index of the revision that wrote the signature dictionary. */
  readonly revision: number | undefined;
  /**
   * False for a signature field that the AcroForm's /Fields does not list, found through its
   * page's /Annots (see {@link listUnlistedSignatureFields}): ISO 32000-2 §12.7.3.1 wants it listed.
   */
  readonly inAcroForm: boolean;
}

/**
 * Every signed signature field (FT Sig with a /V dictionary) of the AcroForm, in field order; with
 * `unlisted: true`, then those only a page's /Annots holds, as {@link listUnlistedSignatureFields}
 * finds them (verification wants them; it may read every page of a document without signatures).
 */
export function listSignatures(doc: PdfDocument, options: { unlisted?: boolean } = {}): PdfSignatureInfo[] {
  const out: PdfSignatureInfo[] = [];
  const listed = listFields(doc);
  const unlisted = new Set(options.unlisted ? listUnlistedSignatureFields(doc, listed) : []);
  for (const field of [...listed, ...unlisted]) {
    if (field.type !== 'Sig' || field.value === undefined) continue;
    const ref = field.value instanceof PdfRef ? field.value : undefined;
    const dict = doc.resolve(field.value);
    if (!(dict instanceof PdfDict)) continue;
    const contents = dict.getString('Contents', doc);
    const refs = dict.get('Reference', doc);
    const references: PdfSignatureReference[] = [];
    if (refs instanceof PdfArray) {
      for (const r of refs.items) {
        const d = doc.resolve(r);
        if (d instanceof PdfDict) references.push({ transformMethod: d.getName('TransformMethod', doc), transformParams: d.getDict('TransformParams', doc), dict: d });
      }
    }
    out.push({
      field,
      ref,
      dict,
      type: dict.getName('Type', doc) ?? 'Sig',
      filter: dict.getName('Filter', doc),
      subFilter: dict.getName('SubFilter', doc),
      byteRange: dict.getArray('ByteRange', doc)?.asNumbers(doc),
      contents: contents?.bytes,
      contentsSpan: contents?.span,
      signingTime: dict.getString('M', doc)?.toLatin1(),
      name: dict.getText('Name', doc),
      reason: dict.getText('Reason', doc),
      location: dict.getText('Location', doc),
      contactInfo: dict.getText('ContactInfo', doc),
      references,
      revision: ref ? doc.revisionOfObject(ref.num) : field.ref ? doc.revisionOfObject(field.ref.num) : undefined,
      inAcroForm: !unlisted.has(field),
    });
  }
  return out;
}
