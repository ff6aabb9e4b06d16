// @kyso/pdf: a lazy, lossless PDF reader and an incremental writer (ISO 32000-2). No crypto.
export { PdfError } from './errors.js';
export type { PdfErrorCode } from './errors.js';

export { PdfName } from './objects/pdf-name.js';
export { PdfRef } from './objects/pdf-ref.js';
export { PdfNull } from './objects/pdf-null.js';
export { PdfString } from './objects/pdf-string.js';
export type { ByteSpan } from './objects/pdf-string.js';
export { PdfArray } from './objects/pdf-array.js';
export { PdfDict } from './objects/pdf-dict.js';
export { PdfStream } from './objects/pdf-stream.js';
export { PdfRaw } from './objects/pdf-raw.js';
export type { PdfObject, PdfResolver } from './objects/pdf-object.js';
export { serializePdfObject, serializeIndirectObject, formatPdfNumber } from './objects/serialize.js';
export { pdfObjectsEqual } from './objects/equal.js';
export { formatPdfDate, parsePdfDate } from './objects/pdf-date.js';
export { decodePdfDocEncoding, encodePdfDocEncoding } from './objects/pdf-doc-encoding.js';

export { decodeStreamData, DEFAULT_MAX_DECODED_SIZE } from './filters/decode.js';
export type { DecodeOptions } from './filters/decode.js';

export { MemoryByteSource, findForward, readByteRanges } from './source/byte-source.js';
export { decodeHexDigits } from './parse/chars.js';
export type { ByteSource } from './source/byte-source.js';

export { PdfDocument } from './document/pdf-document.js';
export type { PdfOpenOptions, PdfReadStats } from './document/pdf-document.js';
export type { PdfRevision } from './document/revision.js';
export type { PdfPage } from './document/pdf-page.js';
export type { XrefEntry, XrefKind } from './xref/xref-entry.js';

export { IncrementalUpdate } from './writer/incremental-update.js';
export type { IncrementalIncrement, IncrementalResult } from './writer/incremental-update.js';

export { getAcroForm, listFields, listUnlistedSignatureFields, findField } from './acroform/fields.js';
export type { PdfField, PdfWidget } from './acroform/fields.js';
export { listSignatures } from './acroform/signatures.js';
export type { PdfSignatureInfo, PdfSignatureReference } from './acroform/signatures.js';

export { inspectPdf } from './inspect.js';
export type { PdfInspection } from './inspect.js';
