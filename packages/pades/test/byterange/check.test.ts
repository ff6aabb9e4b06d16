import { latin1 } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { checkByteRange } from '../../src/byterange/index.js';

/**
 * A signature dictionary whose /Contents hex string is `hex`, and the /ByteRange that leaves out
 * exactly that string, ending at the %%EOF.
 */
function signed(hex: string) {
  const head = '1 0 obj\n<< /Type /Sig /Contents ';
  const text = `${head}<${hex}> >>\nendobj\ntrailer\n<< >>\n%%EOF`;
  const contentsStart = head.length;
  const contentsEnd = contentsStart + hex.length + 2;
  const bytes = latin1(text);
  const range = [0, contentsStart, contentsEnd, bytes.length - contentsEnd];
  return { bytes, range, ctx: { bytes, contentsStart, contentsEnd, revisionEofEnd: bytes.length } };
}

/** A DER SEQUENCE of `n` content bytes (0x01 each), as hex. */
const der = (n: number) => (n < 0x80 ? `30${n.toString(16).padStart(2, '0')}` : `3082${n.toString(16).padStart(4, '0')}`) + '01'.repeat(n);

describe('checkByteRange: the /Contents gap', () => {
  it('accepts a DER value followed by zero padding (also with whitespace and lower-case hex)', () => {
    for (const hex of [der(4) + '0000000000', der(200) + '00'.repeat(30), `${der(4)}\n0000 00`, der(4).toLowerCase() + '00', der(6)]) {
      const { range, ctx } = signed(hex);
      expect(checkByteRange(range, ctx).problems).toEqual([]);
    }
  });

  it('rejects data hidden in the padding after the DER (not signed, yet inside /Contents)', () => {
    for (const [hex, n] of [
      [der(4) + '00000000FF00', 1],
      [der(200) + '00'.repeat(10) + '4142434445', 5],
      [der(4) + '0001', 1],
      // Spread over words and their edges (the padding is read four bytes at a time).
      [der(5) + '00'.repeat(37) + 'FF' + '00'.repeat(5) + '0102030405060708' + '00' + 'AB', 10],
      [`${der(4)}0 `, 0],
    ] as const) {
      const { range, ctx } = signed(hex);
      const r = checkByteRange(range, ctx);
      if (n === 0) expect(r.ok).toBe(true);
      else expect(r.problems.join()).toMatch(new RegExp(`hides ${n} non-zero byte`));
    }
  });

  it('leaves an indefinite-length (BER) value alone: its end is the CMS parser\'s business', () => {
    const { range, ctx } = signed('3080' + '0101' + '0000' + '00000000');
    expect(checkByteRange(range, ctx).ok).toBe(true);
  });

  it('rejects a gap that is not only a hex string: an object injected into the padding (signature wrapping)', () => {
    const { range, ctx } = signed(der(4) + '00' + '> 2 0 obj (evil) endobj <' + '00');
    expect(checkByteRange(range, ctx).problems.join()).toMatch(/non-hex byte/);
  });

  it('rejects overlapping ranges, ranges past the end, and a second range that is not where /Contents ends', () => {
    const { range, ctx, bytes } = signed(der(4) + '0000');
    const [a, b, c, d] = range as [number, number, number, number];
    expect(checkByteRange([a, b, b - 10, d + c - b + 10], ctx).problems.join()).toMatch(/overlap/);
    expect(checkByteRange([a, b, c, d + 5], ctx).problems.join()).toMatch(/past the end of the file/);
    expect(checkByteRange([a, b, c + 2, d - 2], ctx).problems.join()).toMatch(/second range starts/);
    expect(checkByteRange([a, b - 4, c + 4, d - 4], ctx).problems.join()).toMatch(/first range ends/);
    expect(checkByteRange([a, b, c, bytes.length], ctx).ok).toBe(false);
  });

  it('rejects what is not four non-negative safe integers', () => {
    const { ctx } = signed(der(4));
    for (const raw of [undefined, null, [], [0, 1, 2], [0, -1, 2, 3], [0, 1.5, 2, 3], [0, 2 ** 60, 1, 1], ['0', 1, 2, 3], [0, 1, 2, 3, 4, 5]]) {
      const r = checkByteRange(raw, ctx);
      expect(r.ok).toBe(false);
      expect(r.range).toBeNull();
    }
  });
});
