import { KysoError } from '@kyso/core';

/**
 * Codes of {@link AppearanceError}:
 * - `BAD_TEMPLATE`: an appearance template (JSON) is malformed; the message names the field.
 * - `MISSING_FONT`: a template uses a font key for which no font bytes were given.
 * - `MISSING_IMAGE`: a template draws an image (signature, seal) that the data does not provide.
 * - `BAD_IMAGE`: image bytes are neither PNG nor JPEG, or cannot be read.
 * - `ANCHOR_NOT_FOUND`: the anchor text does not occur on the page(s) searched.
 * - `PAGE_NOT_FOUND`: a page number outside the document.
 * - `BAD_PLACEMENT`: a rectangle or page geometry that cannot be used (zero size, bad /Rotate).
 */
export type AppearanceErrorCode =
  | 'BAD_TEMPLATE'
  | 'MISSING_FONT'
  | 'MISSING_IMAGE'
  | 'BAD_IMAGE'
  | 'ANCHOR_NOT_FOUND'
  | 'PAGE_NOT_FOUND'
  | 'BAD_PLACEMENT';

/** What the visible-appearance code of @kyso/pades throws on misuse or unusable input. */
export class AppearanceError extends KysoError {
  declare readonly code: AppearanceErrorCode;

  constructor(code: AppearanceErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
