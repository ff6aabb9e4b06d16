/**
 * Raising signed PDFs to PAdES B-LT and B-LTA (ETSI EN 319 142-1 §6.3) without touching their
 * signatures: validation data in the DSS, then an archive (document) time-stamp over everything.
 */
import type { HashAlgorithm, TimeStamper } from '@kyso/cms';
import { PdfDocument } from '@kyso/pdf';
import { PadesError } from '../errors.js';
import { addValidationDataWithReport, type AddValidationDataOptions } from './add-validation-data.js';
import { addDocumentTimestamp } from './document-timestamp.js';
import { signedEntries } from './signed-objects.js';

/** The long-term levels {@link extendPdf} raises to. */
export type LongTermLevel = 'B-LT' | 'B-LTA';

/** Options of {@link extendPdf}. */
export interface ExtendPdfOptions extends AddValidationDataOptions {
  readonly level: LongTermLevel;
  /**
   * The TSA: required for B-LTA (the archive time-stamp). For B-LT it is used only when a
   * signature has no time-stamp yet: a document time-stamp first makes it B-T (ETSI EN 319 142-1 §6.3).
   */
  readonly timeStamper?: TimeStamper;
  /** Hash for document time-stamps; default SHA-256. */
  readonly timestampDigestAlgorithm?: HashAlgorithm;
  /** Bytes reserved for each document time-stamp token; default 16 384. */
  readonly timestampContentsSize?: number;
}

/** What {@link extendPdfWithReport} did. */
export interface ExtendPdfReport {
  readonly pdf: Uint8Array;
  /** Revisions appended (0 to 3). */
  readonly revisionsAdded: number;
  /** Document time-stamps added (B-T for untimestamped signatures, the archive time-stamp). */
  readonly documentTimestamps: number;
  readonly added: { readonly certs: number; readonly ocsps: number; readonly crls: number };
  /** Missing paths or revocation data. */
  readonly problems: readonly string[];
}

/**
 * Raises every signature of an already-signed PDF to B-LT (the DSS with the certification paths,
 * OCSP responses and CRLs of each signature and time-stamp) or B-LTA (then a document
 * time-stamp over the whole file). Each step is an incremental update; no byte of the input
 * changes. Run it again later on a B-LTA file and it adds the validation data of the last
 * document time-stamp and a new archive time-stamp (ETSI EN 319 142-1 §5.4.3, renewal).
 *
 * Throws `PadesError`: `NOT_SIGNED`, `BAD_OPTIONS` (no `timeStamper` for B-LTA, another level),
 * `VALIDATION_DATA_INCOMPLETE` with `strict`, `SIGNATURE_TOO_LARGE` for a token larger than
 * `timestampContentsSize`.
 *
 * @example
 * ```ts
 * const lta = await extendPdf(signed, { level: 'B-LTA', timeStamper: httpTimeStamper({ url }), http: fetchHttpClient(), trustAnchors: [rootPem] });
 * ```
 */
export async function extendPdf(pdf: Uint8Array, options: ExtendPdfOptions): Promise<Uint8Array> {
  return (await extendPdfWithReport(pdf, options)).pdf;
}

/** {@link extendPdf}, also telling what was added and what is missing. */
export async function extendPdfWithReport(pdf: Uint8Array, options: ExtendPdfOptions): Promise<ExtendPdfReport> {
  if (options?.level !== 'B-LT' && options?.level !== 'B-LTA') {
    throw new PadesError('BAD_OPTIONS', `level must be B-LT or B-LTA, not ${String(options?.level)} (B-B and B-T are made when signing).`);
  }
  if (options.level === 'B-LTA' && !options.timeStamper) {
    throw new PadesError('BAD_OPTIONS', 'B-LTA needs a timeStamper for the archive time-stamp (httpTimeStamper({ url }) of @kyso/cms).');
  }
  const tsOptions = {
    ...(options.timestampDigestAlgorithm ? { digestAlgorithm: options.timestampDigestAlgorithm } : {}),
    ...(options.timestampContentsSize ? { contentsSize: options.timestampContentsSize } : {}),
  };
  const doc = PdfDocument.open(pdf);
  const entries = await signedEntries(doc);
  if (entries.length === 0) throw new PadesError('NOT_SIGNED', 'The PDF has no signature to extend; sign it first (kyso sign).');
  let current = pdf;
  let revisionsAdded = 0;
  let documentTimestamps = 0;
  // ETSI EN 319 142-1 §6.3: B-LT builds on B-T. A signature without a signature time-stamp and
  // without a later document time-stamp gets one now, when a TSA is at hand.
  const lastTs = Math.max(-1, ...entries.filter((e) => e.isDocumentTimestamp).map((e) => e.revision));
  const untimed = entries.some((e) => !e.isDocumentTimestamp && !e.objects.some((o) => o.kind === 'signature-timestamp') && e.revision > lastTs);
  if (untimed && options.timeStamper) {
    current = await addDocumentTimestamp(current, { timeStamper: options.timeStamper, ...tsOptions });
    revisionsAdded++;
    documentTimestamps++;
  }
  const lt = await addValidationDataWithReport(current, options);
  if (lt.pdf !== current) revisionsAdded++;
  current = lt.pdf;
  if (options.level === 'B-LTA') {
    current = await addDocumentTimestamp(current, { timeStamper: options.timeStamper!, ...tsOptions });
    revisionsAdded++;
    documentTimestamps++;
  }
  return Object.freeze({ pdf: current, revisionsAdded, documentTimestamps, added: lt.added, problems: lt.problems });
}
