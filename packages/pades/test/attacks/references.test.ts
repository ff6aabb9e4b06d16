// The search for references that the dangling-reference check (src/verify/diff/dangling.ts) runs
// over a whole file: found from each `R` by reading the numbers backwards, in 1 MiB chunks.
import { MemoryByteSource } from '@kyso/pdf';
import { describe, expect, it } from 'vitest';
import { referencesIn, scanReferencesAlong } from '../../src/verify/diff/dangling.js';

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

describe('the same search on the chunks another pass reads (the signatures\' hash pass)', () => {
  // References at chunk edges, split by them, an R (or RG) as a chunk's last byte, long white-space.
  const text = [
    '1 0 obj << /A 12 0 R /B [3 1 RG] /C 45\n\n7\tR >> endobj ',
    '2 0 obj << /K [4 0 R 5 0 R 6 0 R] /P 2 0 R>> endobj 0 0 1 RG 1 0 0 rg ',
    ' '.repeat(300),
    '777 12 R /X 8 0 R/Y 9 0 RZ 10 0 R\n11 0 R',
  ].join('');
  const b = bytes(text);
  const whole = found(b);

  it('finds what one search of the whole file finds, however the file is cut', () => {
    expect(whole.map(([n]) => n)).toEqual([12, 45, 4, 5, 6, 2, 777, 8, 10, 11]);
    for (const size of [1, 2, 3, 5, 7, 16, 64, 257, b.length]) {
      const source = new MemoryByteSource(b);
      const feed = scanReferencesAlong(source);
      for (let at = 0; at < b.length; at += size) feed(b.slice(at, at + size), at);
      const r = referencesIn(source);
      expect(r.num.map((n, k) => [n, r.gen[k], r.at[k]]), `chunks of ${size}`).toEqual(whole);
    }
  });

  it('searches itself what the pass did not show it: the rest of the file, or all of it after a chunk out of order', () => {
    const half = new MemoryByteSource(b);
    const feedHalf = scanReferencesAlong(half);
    for (let at = 0; at < b.length / 2; at += 10) feedHalf(b.slice(at, Math.min(at + 10, b.length / 2)), at);
    const r1 = referencesIn(half);
    expect(r1.num.map((n, k) => [n, r1.gen[k], r1.at[k]])).toEqual(whole);
    const skipped = new MemoryByteSource(b);
    const feedSkipped = scanReferencesAlong(skipped);
    feedSkipped(b.slice(20, 40), 20); // not where the search stands (byte 0): left for later
    feedSkipped(b.slice(0, 20), 0);
    const r2 = referencesIn(skipped);
    expect(r2.num.map((n, k) => [n, r2.gen[k], r2.at[k]])).toEqual(whole);
  });
});
