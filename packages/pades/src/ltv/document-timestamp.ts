/**
 * Document time-stamps (ISO 32000-2 §12.8.5, ETSI EN 319 142-1 §5.4.3): a signature dictionary
 * `/Type /DocTimeStamp /SubFilter /ETSI.RFC3161` whose /Contents is an RFC 3161 TimeStampToken
 * over the digest of its /ByteRange. Added after a DSS it makes the signatures PAdES B-LTA.
 */
import { latin1 } from '@kyso/core';
import { HASH_LENGTH, type HashAlgorithm, type TimeStamper } from '@kyso/cms';
import { listFields, PdfArray, PdfDict, PdfDocument, PdfName, PdfRaw, PdfStream, PdfString } from '@kyso/pdf';
import { BYTE_RANGE_PLACEHOLDER, byteRangeFor, contentsPlaceholder, embedContents, formatByteRange, type PlaceholderOffsets } from '../byterange/placeholder.js';
import { PadesError } from '../errors.js';
import { appendToArray, editableDict, malformed } from '../fields/editable.js';
import { registerSignatureField } from '../fields/signature-form.js';
import { digestByteRange } from '../sign/digest-ranges.js';

/** Options of {@link addDocumentTimestamp}. */
export interface AddDocumentTimestampOptions {
  /** The RFC 3161 time-stamping authority (`httpTimeStamper({ url })` of @kyso/cms). */
  readonly timeStamper: TimeStamper;
  /** Hash of the byte ranges sent to the TSA; default SHA-256. */
  readonly digestAlgorithm?: HashAlgorithm;
  /** Bytes reserved for the token; default 16 384 (a token with the TSA's chain fits). */
  readonly contentsSize?: number;
  /** Name of the new (invisible) field; default `DocTimeStamp<n>`. */
  readonly field?: string;
}

/** Widget flags Print (3) + Locked (8) (ISO 32000-2 §12.5.3). */
const WIDGET_FLAGS = 132;
const DEFAULT_SIZE = 16384;

/**
 * Appends a document time-stamp to `pdf`: an incremental update with a new invisible signature
 * field whose value is a `/Type /DocTimeStamp` dictionary (`/Filter /Adobe.PPKLite /SubFilter
 * /ETSI.RFC3161`), then the TimeStampToken of the TSA over the /ByteRange digest in /Contents.
 * Earlier bytes are not touched, so every signature stays valid. Throws `PadesError`
 * `SIGNATURE_TOO_LARGE` when the token does not fit `contentsSize`, `BAD_OPTIONS` for misuse.
 *
 * @example
 * ```ts
 * const lta = await addDocumentTimestamp(ltPdf, { timeStamper: httpTimeStamper({ url: tsaUrl }) });
 * ```
 */
export async function addDocumentTimestamp(pdf: Uint8Array, options: AddDocumentTimestampOptions): Promise<Uint8Array> {
  if (!options?.timeStamper || typeof options.timeStamper.timestamp !== 'function') {
    throw new PadesError('BAD_OPTIONS', 'addDocumentTimestamp needs a timeStamper (httpTimeStamper({ url }) of @kyso/cms).');
  }
  const alg = options.digestAlgorithm ?? 'SHA-256';
  if (!(alg in HASH_LENGTH) || (alg as string) === 'SHA-1') throw new PadesError('BAD_OPTIONS', `digestAlgorithm must be SHA-256, SHA-384 or SHA-512, not ${String(alg)}.`);
  const size = options.contentsSize ?? DEFAULT_SIZE;
  if (!Number.isSafeInteger(size) || size < 512) throw new PadesError('BAD_OPTIONS', `contentsSize must be an integer of at least 512 bytes, not ${size}.`);
  const doc = PdfDocument.open(pdf);
  const names = new Set(listFields(doc).map((f) => f.name));
  const fieldName = options.field ?? firstFree(names);
  if (names.has(fieldName)) throw new PadesError('BAD_OPTIONS', `A field named "${fieldName}" exists already; give another name for the document time-stamp.`);
  if (fieldName.includes('.')) throw new PadesError('BAD_OPTIONS', `A new field's name cannot contain "." (ISO 32000-2 §12.7.4.2): "${fieldName}".`);
  if (doc.pageCount < 1) throw malformed('it has no pages');

  const up = doc.beginUpdate();
  const tsRef = up.allocate();
  // ISO 32000-2 §12.8.5, Table 255: /Type /DocTimeStamp; /ByteRange and /Contents first.
  up.set(
    tsRef,
    PdfDict.of({
      Type: PdfName.of('DocTimeStamp'),
      Filter: PdfName.of('Adobe.PPKLite'),
      SubFilter: PdfName.of('ETSI.RFC3161'),
      ByteRange: PdfRaw.fromString(BYTE_RANGE_PLACEHOLDER),
      Contents: PdfRaw.fromString(contentsPlaceholder(size)),
      Prop_Build: PdfDict.of({ App: PdfDict.of({ Name: PdfName.of('kyso') }) }),
    }),
  );
  const page = doc.getPage(0);
  if (!page.ref) throw malformed('page 0 is a direct object');
  const apRef = up.allocate();
  up.set(apRef, PdfStream.fromData(new Uint8Array(0), PdfDict.of({ Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: PdfArray.of([0, 0, 0, 0]) }), { compress: false }));
  const widgetRef = up.allocate();
  up.set(
    widgetRef,
    PdfDict.of({
      Type: PdfName.of('Annot'),
      Subtype: PdfName.of('Widget'),
      FT: PdfName.of('Sig'),
      T: PdfString.fromText(fieldName),
      V: tsRef,
      F: WIDGET_FLAGS,
      Rect: PdfArray.of([0, 0, 0, 0]),
      P: page.ref,
      AP: PdfDict.of({ N: apRef }),
    }),
  );
  appendToArray(doc, up, editableDict(doc, up, page.ref), 'Annots', widgetRef);
  registerSignatureField(doc, up, widgetRef);

  const inc = up.finishIncrement();
  const base = inc.baseLength;
  const rel = locate(inc.increment, inc.offsets.get(tsRef.num)! - base, size);
  const placeholders: PlaceholderOffsets = { byteRangeAt: rel.byteRangeAt + base, contentsStart: rel.contentsStart + base, contentsEnd: rel.contentsEnd + base };
  const bytes = new Uint8Array(base + inc.increment.length);
  bytes.set(pdf.subarray(0, base), 0);
  if (base > pdf.length) bytes.fill(0x0a, pdf.length, base);
  bytes.set(inc.increment, base);
  const range = byteRangeFor(placeholders, bytes.length);
  bytes.set(latin1(formatByteRange(range)), placeholders.byteRangeAt);
  const digest = await digestByteRange(bytes, range, alg, {});
  const token = await options.timeStamper.timestamp(digest, alg);
  embedContents(bytes, placeholders, token);
  return bytes;
}

function firstFree(names: ReadonlySet<string>): string {
  for (let i = 1; ; i++) if (!names.has(`DocTimeStamp${i}`)) return `DocTimeStamp${i}`;
}

/** The /ByteRange and /Contents placeholders of the dictionary written at `objStart` in `bytes`. */
function locate(bytes: Uint8Array, objStart: number, size: number): PlaceholderOffsets {
  const find = (needle: string): number => {
    const n = latin1(needle);
    const end = Math.min(bytes.length - n.length, objStart + 1024 + size * 2);
    outer: for (let i = objStart; i <= end; i++) {
      for (let j = 0; j < n.length; j++) if (bytes[i + j] !== n[j]) continue outer;
      return i;
    }
    return -1;
  };
  const br = find(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}`);
  const ct = find('/Contents <');
  if (br < 0 || ct < 0) throw new PadesError('BAD_STATE', 'The document time-stamp placeholders were not found in the written update; this is a bug in kyso.');
  const contentsStart = ct + '/Contents '.length;
  return { byteRangeAt: br + '/ByteRange '.length, contentsStart, contentsEnd: contentsStart + size * 2 + 2 };
}
