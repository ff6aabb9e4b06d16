import { fromLatin1, latin1 } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import {
  BYTE_RANGE_PLACEHOLDER,
  checkByteRange,
  contentsPlaceholder,
  coverageOf,
  embedContents,
  estimateContentsSize,
  formatByteRange,
  patchByteRange,
} from '../../src/byterange/index.js';

function prepared(contentsSize = 8) {
  const head = `1 0 obj\n<< /Type /Sig /ByteRange ${BYTE_RANGE_PLACEHOLDER} /Contents `;
  const text = `${head}${contentsPlaceholder(contentsSize)} >>\nendobj\ntrailer\n<< >>\n%%EOF\n`;
  const bytes = latin1(text);
  const p = {
    byteRangeAt: text.indexOf('[0 '),
    contentsStart: head.length,
    contentsEnd: head.length + contentsSize * 2 + 2,
  };
  return { bytes, p, eof: text.lastIndexOf('%%EOF') + 5 };
}

describe('ByteRange placeholder', () => {
  it('formats to exactly the placeholder width', () => {
    expect(formatByteRange([0, 12, 34, 56])).toBe('[0 12 34 56' + ' '.repeat(BYTE_RANGE_PLACEHOLDER.length - 12) + ']');
    expect(formatByteRange([0, 9_999_999_999, 9_999_999_999, 9_999_999_999]).length).toBe(BYTE_RANGE_PLACEHOLDER.length);
    expect(() => formatByteRange([0, 10_000_000_000, 1, 1])).toThrow(/does not fit/);
  });

  it('patches /ByteRange in place and embeds the CMS as hex, padded with zeros', () => {
    const { bytes, p } = prepared();
    const before = bytes.length;
    const range = patchByteRange(bytes, p);
    embedContents(bytes, p, new Uint8Array([0x30, 0x03, 0xab, 0xcd]));
    expect(bytes.length).toBe(before);
    expect(range).toEqual([0, p.contentsStart, p.contentsEnd, bytes.length - p.contentsEnd]);
    const text = fromLatin1(bytes);
    expect(text).toContain(`/ByteRange [0 ${p.contentsStart} ${p.contentsEnd} ${bytes.length - p.contentsEnd}`);
    expect(text.slice(p.contentsStart, p.contentsEnd)).toBe('<3003ABCD00000000>');
  });

  it('refuses a CMS larger than the placeholder with SIGNATURE_TOO_LARGE and leaves the bytes alone', () => {
    const { bytes, p } = prepared(4);
    const copy = bytes.slice();
    expect(() => embedContents(bytes, p, new Uint8Array(5))).toThrow(expect.objectContaining({ code: 'SIGNATURE_TOO_LARGE' }));
    expect(bytes).toEqual(copy);
  });

  it('refuses offsets that do not point at placeholders', () => {
    const { bytes, p } = prepared();
    expect(() => patchByteRange(bytes, { ...p, contentsStart: p.contentsStart + 1 })).toThrow(expect.objectContaining({ code: 'BAD_STATE' }));
  });

  it('sizes /Contents from what goes in it', () => {
    const cert = new Uint8Array(1200);
    const one = estimateContentsSize({ certificates: [cert], signatureSize: 256, digestSize: 32 });
    const three = estimateContentsSize({ certificates: [cert, cert, cert], signatureSize: 256, digestSize: 32 });
    const ts = estimateContentsSize({ certificates: [cert], signatureSize: 256, digestSize: 32, timestampSize: 6000 });
    expect(one).toBeGreaterThan(1200 + 256 + 32);
    expect(one).toBeLessThan(4096);
    expect(three - one).toBeGreaterThanOrEqual(2400);
    expect(ts - one).toBeGreaterThanOrEqual(6000 - 512);
    expect(one % 512).toBe(0);
  });
});

describe('checkByteRange', () => {
  it('accepts a range that leaves out exactly /Contents and ends at the revision end', () => {
    const { bytes, p, eof } = prepared();
    const range = patchByteRange(bytes, p);
    const r = checkByteRange([...range], { bytes, ...p, revisionEofEnd: eof });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(coverageOf(range, bytes, eof)).toBe('entire-file');
    const longer = new Uint8Array(bytes.length + 10);
    longer.set(bytes);
    longer.set(latin1('%%EOF\n'), bytes.length);
    expect(coverageOf(range, longer, eof)).toBe('entire-revision');
  });

  it.each([
    ['three entries', (r: number[]) => r.slice(0, 3), /four non-negative integers/],
    ['six entries (three ranges)', (r: number[]) => [...r, 0, 1], /four non-negative integers/],
    ['not starting at 0', (r: number[]) => [1, r[1]! - 1, r[2]!, r[3]!], /start at 0/],
    ['gap larger than /Contents', (r: number[]) => [0, r[1]! - 3, r[2]!, r[3]!], /first range ends/],
    ['gap smaller than /Contents', (r: number[]) => [0, r[1]!, r[2]! - 2, r[3]! + 2], /second range starts/],
    ['ending before the revision end', (r: number[]) => [0, r[1]!, r[2]!, r[3]! - 8], /before the end/],
    ['past the end of the file', (r: number[]) => [0, r[1]!, r[2]!, r[3]! + 1], /past the end of the file/],
  ])('rejects a range %s', (_name, mutate, message) => {
    const { bytes, p, eof } = prepared();
    const range = patchByteRange(bytes, p);
    const r = checkByteRange(mutate([...range]), { bytes, ...p, revisionEofEnd: eof });
    expect(r.ok).toBe(false);
    expect(r.problems.join('; ')).toMatch(message);
  });

  it('rejects a range that runs into a later revision', () => {
    const { bytes, p, eof } = prepared();
    const range = patchByteRange(bytes, p);
    const longer = new Uint8Array(bytes.length + 6);
    longer.set(bytes);
    longer.set(latin1('%%EOF\n'), bytes.length);
    const r = checkByteRange([range[0], range[1], range[2], range[3] + 6], { bytes: longer, ...p, revisionEofEnd: eof });
    expect(r.problems.join()).toMatch(/run past the end/);
  });
});
