import { PdfError } from '../errors.js';

/** A growable byte buffer that refuses to grow past `limit` (decoded-size cap against bombs). */
export class OutputBuffer {
  private buf: Uint8Array;
  length = 0;
  constructor(
    private readonly limit: number,
    initial = 1024,
  ) {
    this.buf = new Uint8Array(Math.max(16, Math.min(initial, limit)));
  }
  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need > this.limit) {
      throw new PdfError('PDF_LIMIT', `A stream decodes to more than ${this.limit} bytes (the maxDecodedSize limit); raise the limit if the file is trusted.`);
    }
    if (need <= this.buf.length) return;
    let n = this.buf.length * 2;
    while (n < need) n *= 2;
    const next = new Uint8Array(Math.min(n, Math.max(need, this.limit)));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }
  push(b: number): void {
    if (this.length >= this.buf.length) this.ensure(1);
    this.buf[this.length++] = b;
  }
  append(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }
  result(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}
