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
