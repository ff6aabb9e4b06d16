import type { PdfDict } from '../objects/pdf-dict.js';
import type { PdfRef } from '../objects/pdf-ref.js';

/** A page with its inherited attributes resolved (ISO 32000-2 §7.7.3.3, §7.7.3.4). */
export interface PdfPage {
  /** 0-based page index. */
  readonly index: number;
  /** The page object's reference (undefined only for a direct page object, which is malformed). */
  readonly ref: PdfRef | undefined;
  /** The page dictionary itself (shared: clone before changing). */
  readonly dict: PdfDict;
  /** /MediaBox, inherited if needed. */
  readonly mediaBox: number[] | undefined;
  /** /CropBox, inherited if needed, defaulting to the media box. */
  readonly cropBox: number[] | undefined;
  /** /Rotate normalised to 0, 90, 180 or 270. */
  readonly rotate: number;
  /** /Resources, inherited if needed. */
  readonly resources: PdfDict | undefined;
}
