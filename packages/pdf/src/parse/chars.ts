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
