import { Inflate, Unzlib } from 'fflate';
import { PdfError } from '../errors.js';
import { OutputBuffer } from './output-buffer.js';

// Deflate expands at most ~1032:1, so pushing 1 KiB at a time bounds each step's output and lets
// the size cap stop a decompression bomb early.
const STEP = 1024;

/**
 * FlateDecode (ISO 32000-2 §7.4.4): zlib data, or raw deflate when the zlib header is missing.
 * Corrupt or truncated data yields the output already flushed before the damage (large streams),
 * or `PDF_BAD_STREAM` when nothing was.
 */
export function flateDecode(data: Uint8Array, limit: number): Uint8Array {
  const zlibHeader = data.length >= 2 && (data[0]! & 0x0f) === 8 && ((data[0]! << 8) | data[1]!) % 31 === 0;
  const out = new OutputBuffer(limit, Math.min(limit, Math.max(1024, data.length * 4)));
  const inflater = zlibHeader ? new Unzlib() : new Inflate();
  inflater.ondata = (chunk) => out.append(chunk);
  try {
    for (let i = 0; i < data.length; i += STEP) {
      const end = Math.min(data.length, i + STEP);
      inflater.push(data.subarray(i, end), end === data.length);
    }
    if (data.length === 0) inflater.push(new Uint8Array(0), true);
  } catch (cause) {
    if (cause instanceof PdfError) throw cause;
    if (out.length === 0) throw new PdfError('PDF_BAD_STREAM', 'A FlateDecode stream is corrupt and decodes to nothing.', { cause });
  }
  return out.result();
}
