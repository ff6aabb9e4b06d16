/**
 * The base of every error kyso throws. `code` is a stable string that programs can switch on;
 * `message` says what went wrong and what to do next; `cause` keeps the underlying error.
 *
 * Verification never throws for a bad signature (it returns a report); a `KysoError` means
 * misuse or input that cannot be processed at all.
 *
 * @example
 * ```ts
 * try { await signPdf(bytes, opts); }
 * catch (e) { if (e instanceof KysoError && e.code === 'PDF_ENCRYPTED') { ... } }
 * ```
 */
export class KysoError extends Error {
  /** A stable, upper-snake-case identifier such as `PDF_ENCRYPTED` or `P12_BAD_PASSWORD`. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** Returns true when `e` is a {@link KysoError}, optionally with the given code. */
export function isKysoError(e: unknown, code?: string): e is KysoError {
  return e instanceof KysoError && (code === undefined || e.code === code);
}
