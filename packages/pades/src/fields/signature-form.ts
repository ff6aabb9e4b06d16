import { PdfArray, PdfDict, PdfRef, type IncrementalUpdate, type PdfDocument } from '@kyso/pdf';
import { appendToArray, editableDict } from './editable.js';

/** AcroForm /SigFlags SignaturesExist (1) + AppendOnly (2) (ISO 32000-2 §12.7.3, Table 225). */
const SIG_FLAGS = 3;

/**
 * The interactive form (ISO 32000-2 §12.7.3) as this update writes it, with `field` added to
 * /Fields (when given) and /SigFlags 3 set. A missing /AcroForm is created as an indirect object,
 * as Acrobat writes it: poppler's signer (pdfsig -add-signature) does not update a direct one.
 */
export function registerSignatureField(doc: PdfDocument, up: IncrementalUpdate, field: PdfRef | undefined): PdfDict {
  const formObj = doc.catalog.get('AcroForm');
  let acroForm: PdfDict;
  if (formObj instanceof PdfRef && doc.getObject(formObj) instanceof PdfDict) acroForm = editableDict(doc, up, formObj);
  else {
    const cat = editableDict(doc, up, doc.catalogRef);
    const f = cat.get('AcroForm');
    if (f instanceof PdfDict) acroForm = f;
    else {
      acroForm = PdfDict.of({ Fields: PdfArray.of([]) });
      const formRef = up.allocate();
      up.set(formRef, acroForm);
      cat.set('AcroForm', formRef);
    }
  }
  if (field) appendToArray(doc, up, acroForm, 'Fields', field);
  const flags = acroForm.getInt('SigFlags', doc) ?? 0;
  if ((flags & SIG_FLAGS) !== SIG_FLAGS) acroForm.set('SigFlags', flags | SIG_FLAGS);
  return acroForm;
}
