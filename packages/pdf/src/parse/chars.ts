/** PDF white-space (ISO 32000-2 §7.2.3, Table 1). */
export function isWhite(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
}
/** PDF delimiters (§7.2.3, Table 2). */
export function isDelimiter(c: number): boolean {
  return c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;
}
/** Regular characters: neither white-space nor delimiter. */
export function isRegular(c: number): boolean {
  return !isWhite(c) && !isDelimiter(c);
}
export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** Hex digit values by byte; -1 for white-space (allowed inside a hex string, §7.3.4.3), -2 for anything else. */
export const HEX_DIGIT = new Int8Array(256).fill(-2);
for (let i = 0; i < 10; i++) HEX_DIGIT[0x30 + i] = i;
for (let i = 0; i < 6; i++) HEX_DIGIT[0x41 + i] = HEX_DIGIT[0x61 + i] = 10 + i;
for (const w of [0x20, 0x0a, 0x0d, 0x09, 0x0c, 0x00]) HEX_DIGIT[w] = -1;

/** Two hex digits (the first in the low byte) → their byte value; -1 for anything else. */
const HEX_PAIR = new Int16Array(65536).fill(-1);
for (let a = 0; a < 256; a++) {
  if (HEX_DIGIT[a]! < 0) continue;
  for (let b = 0; b < 256; b++) if (HEX_DIGIT[b]! >= 0) HEX_PAIR[a | (b << 8)] = (HEX_DIGIT[a]! << 4) | HEX_DIGIT[b]!;
}

/**
 * The bytes of the hex digits in `bytes[start, end)` (ISO 32000-2 §7.3.4.3: white-space is
 * ignored, an odd last digit reads as if followed by 0), or the index of the first byte that is
 * neither a hex digit nor white-space. Two digits at a time while no white-space comes: a
 * signature's /Contents is ~20 KB of digits, decoded once per verification by code that runs
 * uncompiled. @internal
 */
export function decodeHexDigits(bytes: Uint8Array, start: number, end: number): Uint8Array | number {
  const out = new Uint8Array((end - start + 1) >> 1);
  let n = 0;
  let i = start;
  for (; i + 1 < end; i += 2) {
    const v = HEX_PAIR[bytes[i]! | (bytes[i + 1]! << 8)]!;
    if (v < 0) break;
    out[n++] = v;
  }
  let hi = -1;
  for (; i < end; i++) {
    const v = HEX_DIGIT[bytes[i]!]!;
    if (v >= 0) {
      if (hi < 0) hi = v;
      else {
        out[n++] = (hi << 4) | v;
        hi = -1;
      }
    } else if (v === -2) return i;
  }
  if (hi >= 0) out[n++] = hi << 4;
  return n === out.length ? out : out.slice(0, n);
}
