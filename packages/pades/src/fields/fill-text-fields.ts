import { PdfDict, PdfDocument, PdfString, listFields } from '@kyso/pdf';
import { buildAppearance, type AppearanceFonts } from '../appearance/build.js';
import { copyGraphInto } from '../appearance/pdf-update.js';
import type { AppearanceTemplate } from '../appearance/template.js';
import { PadesError } from '../errors.js';
import { editableDict } from './editable.js';

/** Options of {@link fillTextFields}. */
export interface FillTextFieldsOptions {
  /** Font bytes (`loadDefaultFonts()` from `@kyso/pades/node`); the text is drawn in `regular`, or `font`. */
  readonly fonts: AppearanceFonts;
  readonly font?: string;
  /** Size in points; the text shrinks to fit the widget. Default 13 (Decree 30/2020 body text). */
  readonly size?: number;
  readonly align?: 'left' | 'center' | 'right';
}

/**
 * Fills text fields (ISO 32000-2 §12.7.4.3) as an incremental update: each field's /V, and an
 * appearance stream drawn in the embedded Vietnamese font, so every reader shows the same text.
 * Under a certification with DocMDP P = 2 or 3 this is allowed form filling (§12.8.2.2), which
 * is how the number and date of issuance ("Số: 15/QĐ-UBND", "ngày 04 tháng 12 năm 2026") get
 * into a document that was certified when it was drafted.
 *
 * @example
 * ```ts
 * const numbered = await fillTextFields(pdf, { so_van_ban: 'Số: 15/QĐ-UBND', ngay_ban_hanh: { text: 'Bắc Ninh, ngày 04 tháng 12 năm 2026', font: 'italic' } }, { fonts });
 * ```
 */
export async function fillTextFields(
  pdf: Uint8Array,
  values: Readonly<Record<string, string | { readonly text: string; readonly font?: string; readonly size?: number }>>,
  options: FillTextFieldsOptions,
): Promise<Uint8Array> {
  const doc = PdfDocument.open(pdf);
  const fields = listFields(doc);
  const up = doc.beginUpdate();
  for (const [name, value] of Object.entries(values)) {
    const field = fields.find((f) => f.name === name);
    if (!field) throw new PadesError('FIELD_NOT_FOUND', `The document has no form field "${name}"; its fields are: ${fields.map((f) => f.name).join(', ') || 'none'}.`);
    if (field.type !== 'Tx') throw new PadesError('FIELD_NOT_FOUND', `The field "${name}" is not a text field (it is /FT /${field.type ?? '?'}).`);
    if (!field.ref) throw new PadesError('FIELD_NOT_FOUND', `The field "${name}" is not an indirect object, so it cannot be updated incrementally.`);
    const one = typeof value === 'string' ? { text: value } : value;
    const text = one.text.normalize('NFC');
    const style = { ...options, ...(one.font ? { font: one.font } : {}), ...(one.size ? { size: one.size } : {}) };
    editableDict(doc, up, field.ref).set('V', PdfString.fromText(text));
    for (const w of field.widgets) {
      const rect = w.rect;
      if (!w.ref || rect?.length !== 4) continue;
      const width = Math.abs(rect[2]! - rect[0]!);
      const height = Math.abs(rect[3]! - rect[1]!);
      const ap = await buildAppearance(textTemplate(style), { fields: { value: text } }, { width, height, fonts: options.fonts });
      const widget = editableDict(doc, up, w.ref);
      widget.set('AP', PdfDict.of({ N: copyGraphInto(up, ap.graph) }));
      widget.delete('AS');
    }
  }
  // The field values now have appearances of their own (§12.7.3.3: NeedAppearances false).
  const acroRef = doc.catalog.getRef('AcroForm');
  if (acroRef) {
    const acro = doc.getObject(acroRef);
    if (acro instanceof PdfDict && acro.has('NeedAppearances')) editableDict(doc, up, acroRef).set('NeedAppearances', false);
  }
  return up.finish().bytes;
}

function textTemplate(o: FillTextFieldsOptions): AppearanceTemplate {
  return {
    kyso: 'appearance-template/1',
    name: 'text-field',
    size: { width: 100, height: 20 },
    elements: [
      {
        type: 'text',
        box: { x: 0, y: 0, width: 1, height: 1 },
        lines: ['{fields.value}'],
        font: o.font ?? 'regular',
        size: o.size ?? 13,
        minSize: 6,
        align: o.align ?? 'center',
        valign: 'middle',
        padding: 1,
      },
    ],
  };
}
