import type { PdfDict } from '../objects/pdf-dict.js';
import type { XrefKind } from '../xref/xref-entry.js';

/**
 * One revision of a PDF: the original file, or one incremental update (ISO 32000-2 §7.5.6).
 * Revision `i` spans bytes `[start, end)`; the file as it was after revision `i` is
 * `bytes.subarray(0, end)`.
 */
export interface PdfRevision {
  /** 0 for the original file, then 1, 2, … for each update, oldest first. */
  readonly index: number;
  /** First byte of this revision (the previous revision's `end`, or 0). */
  readonly start: number;
  /** Byte just after this revision's `%%EOF` line, its EOL included. */
  readonly end: number;
  /**
   * Offset just after this revision's `%%EOF` marker, before its EOL (equal to `end` when no EOL
   * follows). When a file lacking a final EOL is updated, the writer adds one, and that byte
   * counts into `end`: a signature of the original covers `[0, eofEnd)`.
   */
  readonly eofEnd: number;
  /** Offset that this revision's `startxref` points to. */
  readonly xrefOffset: number;
  /** Whether this revision's cross-reference section is a classic table or a stream. */
  readonly xrefKind: XrefKind;
  /** True for a hybrid-reference table (a table whose trailer has /XRefStm, §7.5.8.4). */
  readonly hybrid: boolean;
  /** The revision's trailer (an xref stream's dictionary for stream sections). */
  readonly trailer: PdfDict;
  /** Object numbers this revision defines (in-use entries of its sections), ascending. */
  readonly objects: readonly number[];
  /** Object numbers this revision marks free, ascending. */
  readonly freed: readonly number[];
  /** Offsets of every xref section in the revision (two for a linearized original). */
  readonly sectionOffsets: readonly number[];
}
