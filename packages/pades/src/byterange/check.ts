import { trimDer } from '@kyso/core';
import { decodeHexDigits } from '@kyso/pdf';
import type { ByteRange } from './placeholder.js';

/** Random access to a file's bytes: an array, or anything with `length` and `read(start, end)` (a @kyso/pdf `ByteSource`). */
export type ByteAccess = Uint8Array | { readonly length: number; read(start: number, end: number): Uint8Array };

/** Bytes `[start, end)` of `b`. */
export function readBytes(b: ByteAccess, start: number, end: number): Uint8Array {
  return b instanceof Uint8Array ? b.subarray(start, end) : b.read(start, end);
}

/** How much of the file a signature's /ByteRange covers (cf. pyHanko's SignatureCoverageLevel). */
export type Coverage = 'entire-file' | 'entire-revision' | 'partial';

/** The location of one signature's /Contents hex string and the revision its dictionary belongs to. */
export interface ByteRangeContext {
  /** The whole file (in memory, or read on demand). */
  readonly bytes: ByteAccess;
  /** Offset of the `<` of this signature dictionary's /Contents string. */
  readonly contentsStart: number;
  /** Offset just past its `>`. */
  readonly contentsEnd: number;
  /** Offset just past the `%%EOF` of the revision that holds the signature dictionary. */
  readonly revisionEofEnd: number;
  /** Offset where that revision ends (after the end-of-line that may follow `%%EOF`); default: `revisionEofEnd` + 2. */
  readonly revisionEnd?: number;
}

/** The outcome of {@link checkByteRange}: every problem found, empty when the range is sound. */
export interface ByteRangeCheck {
  readonly ok: boolean;
  readonly range: ByteRange | null;
  readonly problems: readonly string[];
}

const isWs = (b: number | undefined) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x0c || b === 0x00;

/**
 * Checks a signature's /ByteRange as ISO 32000-2 §12.8.1 and ETSI EN 319 142-1 §5.4.2 require
 * and as the attacks on PDF signatures (USF, ISA, SWA) make necessary: exactly two ranges, the
 * first starting at 0, the gap being exactly this dictionary's /Contents hex string `<…>` and
 * nothing else (and inside it nothing but zero padding after the DER), and the second range
 * ending where the signature's revision ends (its `%%EOF`, optionally followed by an
 * end-of-line). Any problem means FORMAT_FAILURE.
 */
export function checkByteRange(raw: unknown, ctx: ByteRangeContext): ByteRangeCheck {
  const problems: string[] = [];
  if (!Array.isArray(raw) || raw.length !== 4 || !raw.every((n) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0)) {
    const n = Array.isArray(raw) ? raw.length : 0;
    return Object.freeze({
      ok: false,
      range: null,
      problems: Object.freeze([`/ByteRange must be four non-negative integers (two ranges), found ${Array.isArray(raw) ? `${n} entries` : 'no array'}`]),
    });
  }
  const range = raw as unknown as ByteRange;
  const [a, b, c, d] = range;
  const size = ctx.bytes.length;
  if (a !== 0) problems.push(`/ByteRange must start at 0, starts at ${a}`);
  if (b !== ctx.contentsStart) problems.push(`the first range ends at ${a + b}, but the /Contents string starts at ${ctx.contentsStart}`);
  if (c !== ctx.contentsEnd) problems.push(`the second range starts at ${c}, but the /Contents string ends at ${ctx.contentsEnd}`);
  if (c < a + b) problems.push('the two ranges overlap');
  if (c + d > size) problems.push(`the second range ends at ${c + d}, past the end of the file (${size})`);
  if (problems.length === 0) {
    // The gap holds only the hex string: "<" hex digits ">" (whitespace inside a hex string is legal, ISO 32000-2 §7.3.4.3).
    const gap = readBytes(ctx.bytes, b, c);
    if (gap[0] !== 0x3c || gap[gap.length - 1] !== 0x3e) problems.push('the gap between the ranges is not a hex string <...>');
    else {
      const inside = decodeHexDigits(gap, 1, gap.length - 1); // the bytes, or where a non-hex byte is
      if (typeof inside === 'number') problems.push(`the gap between the ranges holds a non-hex byte at ${b + inside}`);
      else {
        // Only zero padding may follow the DER element (its definite length says where it ends).
        const hidden = nonZeroBytes(inside.subarray(trimDer(inside).length));
        if (hidden > 0) problems.push(`the /Contents hides ${hidden} non-zero byte(s) after the signature's DER encoding (only zero padding may follow it)`);
      }
    }
    const end = c + d;
    if (end < ctx.revisionEofEnd) problems.push(`the signed bytes end at ${end}, before the end of the signature's revision (${ctx.revisionEofEnd})`);
    else if (end > (ctx.revisionEnd ?? ctx.revisionEofEnd + 2)) {
      problems.push(`the signed bytes run past the end of the signature's revision (${ctx.revisionEnd ?? ctx.revisionEofEnd}) to ${end}`);
    } else {
      // Only an end-of-line may follow %%EOF inside the signed range (ISO 32000-2 §7.5.5).
      const tail = readBytes(ctx.bytes, ctx.revisionEofEnd, end);
      for (let i = 0; i < tail.length; i++) {
        if (!isWs(tail[i])) {
          problems.push(`the signed bytes run past the end of the signature's revision (${ctx.revisionEofEnd}) to ${end}`);
          break;
        }
      }
    }
  }
  return Object.freeze({ ok: problems.length === 0, range, problems: Object.freeze(problems) });
}

/**
 * How many bytes are not zero, four at a time where they are aligned: the padding runs to ~20 KB
 * and this code runs once, uncompiled.
 */
function nonZeroBytes(bytes: Uint8Array): number {
  let count = 0;
  let i = 0;
  const at = bytes.byteOffset;
  const lead = Math.min(bytes.length, (4 - (at % 4)) % 4);
  for (; i < lead; i++) if (bytes[i] !== 0) count++;
  const n = (bytes.length - i) >>> 2;
  const words = n > 0 ? new Uint32Array(bytes.buffer, at + i, n) : new Uint32Array(0);
  for (let w = 0; w < words.length; w++) {
    if (words[w] === 0) continue;
    for (let k = i + w * 4; k < i + w * 4 + 4; k++) if (bytes[k] !== 0) count++;
  }
  for (i += words.length * 4; i < bytes.length; i++) if (bytes[i] !== 0) count++;
  return count;
}

/**
 * Coverage of a sound byte range: the whole file; the whole of its revision with later
 * incremental updates after it; or less (`partial`, which is never acceptable).
 */
export function coverageOf(range: ByteRange, fileBytes: ByteAccess | number, revisionEofEnd: number, isLastRevision?: boolean): Coverage {
  const end = range[2] + range[3];
  const length = typeof fileBytes === 'number' ? fileBytes : fileBytes.length;
  let tail = end;
  if (typeof fileBytes !== 'number' && length - end <= 64) {
    const rest = readBytes(fileBytes, end, length);
    while (tail < length && isWs(rest[tail - end])) tail++;
  }
  if ((tail === length || isLastRevision === true) && end >= revisionEofEnd) return 'entire-file';
  if (end >= revisionEofEnd) return 'entire-revision';
  return 'partial';
}
