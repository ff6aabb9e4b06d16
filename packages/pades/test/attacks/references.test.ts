// The search for references that the dangling-reference check (src/verify/diff/dangling.ts) runs
// over a whole file: found from each `R` by reading the numbers backwards, in 1 MiB chunks.
import { MemoryByteSource } from '@kyso/pdf';
import { describe, expect, it } from 'vitest';
import { referencesIn } from '../../src/verify/diff/dangling.js';

const CHUNK = 1 << 20;
const bytes = (...parts: (string | number)[]) => {
  const text = parts.map((p) => (typeof p === 'number' ? 'x'.repeat(p) : p)).join('');
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
};
const found = (b: Uint8Array) => {
  const r = referencesIn(new MemoryByteSource(b));
  return r.num.map((n, k) => [n, r.gen[k], r.at[k]]);
};

describe('finding `num gen R` in a file', () => {
  it('finds references as PDF readers read them, and not operators or longer numbers', () => {
    const text = '1 0 obj << /A 12 0 R /B [3 1 RG] /C 45\n\n7\tR /D 9\x000\x00R /E 12345678901 0 R /F 4 123456 R /G x5 0 R >> endobj';
    const b = bytes(text);
    expect(found(b)).toEqual([
      [12, 0, text.indexOf('12 0 R')],
      [45, 7, text.indexOf('45')],
      [9, 0, text.indexOf('9\x00')],
      [5, 0, text.indexOf('5 0 R')],
    ]);
  });

  it('reads numbers that begin in the previous chunk, however much white-space separates them', () => {
    const b = bytes(CHUNK - 3, '1234 0 R ', CHUNK - 10, '5', ' '.repeat(6000), '0 R ', 100, ' 77 3 R');
    const r = found(b);
    expect(r.map(([n, g]) => [n, g])).toEqual([
      [1234, 0],
      [5, 0],
      [77, 3],
    ]);
    expect(r[0]![2]).toBe(CHUNK - 3);
  });

  it('an R at the very start or end of the file', () => {
    expect(found(bytes('R 1 0 R'))).toEqual([[1, 0, 2]]);
    expect(found(bytes('2 0 R'))).toEqual([[2, 0, 0]]);
  });
});
