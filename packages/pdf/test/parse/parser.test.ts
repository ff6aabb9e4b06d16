import { latin1 } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { PdfArray, PdfDict, PdfError, PdfName, PdfNull, PdfRef, PdfString } from '@kyso/pdf';
import { Parser } from '../../src/parse/parser.js';
import { decodeHexDigits } from '../../src/parse/chars.js';

const parse = (s: string, maxDepth?: number) => new Parser(latin1(s), 0, true, maxDepth).parseObject();

describe('Parser', () => {
  it('parses scalars and references', () => {
    expect(parse('42')).toBe(42);
    expect(parse('-3.5')).toBe(-3.5);
    expect(parse('.5')).toBe(0.5);
    expect(parse('--7')).toBe(-7);
    expect(parse('true')).toBe(true);
    expect(parse('null')).toBe(PdfNull.instance);
    expect(parse('12 0 R')).toEqual(PdfRef.of(12, 0));
    expect(parse('/A#20B').valueOf()).toEqual(PdfName.of('A B'));
  });
  it('parses strings with escapes, nesting and line ends', () => {
    const s = parse('(a\\(b\\)\\n\\101\\\r\nc (nested) \r x)') as PdfString;
    expect(new TextDecoder().decode(s.bytes)).toBe('a(b)\nAc (nested) \n x');
    const h = parse('<48 65 6c6C 6>') as PdfString;
    expect([...h.bytes]).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x60]);
    expect(h.hex).toBe(true);
    expect(h.span).toEqual({ start: 0, end: 14 });
  });
  it('decodes hex strings two digits at a time, and digit by digit after white-space or an odd digit', () => {
    const hex = (s: string) => decodeHexDigits(latin1(s), 0, s.length);
    const bytes = (r: Uint8Array | number) => (typeof r === 'number' ? r : [...r]);
    expect(bytes(hex('00fFa5Ab'))).toEqual([0x00, 0xff, 0xa5, 0xab]);
    expect(bytes(hex('4865\n6c 6C6f'))).toEqual([0x48, 0x65, 0x6c, 0x6c, 0x6f]);
    expect(bytes(hex('486'))).toEqual([0x48, 0x60]);
    expect(bytes(hex(' 1 2 3'))).toEqual([0x12, 0x30]);
    expect(bytes(hex(''))).toEqual([]);
    // The index of the first byte that is neither a digit nor white-space, in either part.
    expect(hex('4865zz')).toBe(4);
    expect(hex('48 65 6g')).toBe(7);
    expect(() => parse('<48 6x>')).toThrow(PdfError);
  });
  it('parses containers with spans and comments', () => {
    const d = parse('<< /A [1 2 3 0 R] % comment\n /B << /C (x) >> /D >>') as PdfDict;
    expect(d.getArray('A')!.items).toEqual([1, 2, PdfRef.of(3, 0)]);
    expect(d.getDict('B')!.getString('C')!.toText()).toBe('x');
    expect(d.get('D')).toBe(PdfNull.instance);
    expect(d.span).toEqual({ start: 0, end: 50 });
    expect((parse('[1 2 R 5]') as PdfArray).items).toEqual([PdfRef.of(1, 2), 5]);
    expect(() => parse('[1 2 Rx]')).toThrow(/Unexpected keyword "Rx"/);
  });
  it('fails with PDF_SYNTAX on garbage and PDF_TOO_DEEP on deep nesting', () => {
    expect(() => parse('<< /A 1')).toThrow(PdfError);
    expect(() => parse(')')).toThrow(/Unexpected/);
    const deep = '['.repeat(50000) + ']'.repeat(50000);
    try {
      parse(deep);
      expect.unreachable();
    } catch (e) {
      expect((e as PdfError).code).toBe('PDF_TOO_DEEP');
    }
    expect(parse('[[[1]]]', 3)).toBeInstanceOf(PdfArray);
    expect(() => parse('[[[[1]]]]', 3)).toThrow(/nest deeper/);
  });
});
