import { fromLatin1 } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { PdfArray, PdfDict, PdfName, PdfNull, PdfRaw, PdfRef, PdfStream, PdfString, formatPdfDate, parsePdfDate, pdfObjectsEqual, serializeIndirectObject, serializePdfObject } from '@kyso/pdf';

const s = (o: Parameters<typeof serializePdfObject>[0]) => fromLatin1(serializePdfObject(o));

describe('serializePdfObject pins exact bytes', () => {
  it('writes numbers without exponents and with at most 6 decimals', () => {
    expect(s(0)).toBe('0');
    expect(s(-0)).toBe('0');
    expect(s(42)).toBe('42');
    expect(s(595.28)).toBe('595.28');
    expect(s(1 / 3)).toBe('0.333333');
    expect(s(-0.0000001)).toBe('0');
    expect(s(1e-7 + 2)).toBe('2');
    expect(() => s(Number.NaN)).toThrow(/Cannot write/);
  });
  it('writes names with # escapes', () => {
    expect(s(PdfName.of('Type'))).toBe('/Type');
    expect(s(PdfName.of('A B#(x)'))).toBe('/A#20B#23#28x#29');
    expect(s(PdfName.of('Vi\u00ea'))).toBe('/Vi#EA');
  });
  it('writes literal and hex strings', () => {
    expect(s(PdfString.fromLatin1('a(b)c\\d\n'))).toBe('(a\\(b\\)c\\\\d\\n)');
    expect(s(PdfString.of(new Uint8Array([0, 0xab, 0xff]), true))).toBe('<00ABFF>');
    expect(s(PdfString.of(new Uint8Array([7, 0xe9]), false))).toBe('(\\007\\351)');
  });
  it('writes dictionaries, arrays, refs, null, booleans, raw', () => {
    const d = PdfDict.of({ Type: PdfName.of('Sig'), V: 1, A: PdfArray.of([PdfRef.of(3), true, false, PdfNull.instance]), E: PdfDict.of() });
    expect(s(d)).toBe('<< /Type /Sig /V 1 /A [3 0 R true false null] /E <<>> >>');
    expect(s(PdfArray.of())).toBe('[]');
    expect(s(PdfRaw.fromString('<0000>'))).toBe('<0000>');
  });
  it('writes streams with /Length from the data', () => {
    const st = PdfStream.of(PdfDict.of({ Length: 99 }), new Uint8Array([0x41, 0x42]));
    expect(s(st)).toBe('<< /Length 2 >>\nstream\nAB\nendstream');
    expect(fromLatin1(serializeIndirectObject(PdfRef.of(7, 1), 5))).toBe('7 1 obj\n5\nendobj\n');
  });
  it('compresses deterministically with fromData and decodes back', () => {
    const data = new TextEncoder().encode('q 1 0 0 1 0 0 cm Q '.repeat(50));
    const a = PdfStream.fromData(data);
    const b = PdfStream.fromData(data);
    expect(a.dict.getName('Filter')).toBe('FlateDecode');
    expect(a.raw).toEqual(b.raw);
    expect(a.raw.length).toBeLessThan(data.length);
    expect(a.decode()).toEqual(data);
  });
});

describe('PdfString text', () => {
  it('picks an ASCII literal or UTF-16BE with BOM', () => {
    expect(s(PdfString.fromText('Approved'))).toBe('(Approved)');
    const vi = PdfString.fromText('Nguyễn Văn Á');
    expect(vi.hex).toBe(true);
    expect(s(vi).startsWith('<FEFF004E')).toBe(true);
    expect(vi.toText()).toBe('Nguyễn Văn Á');
  });
  it('decodes PDFDocEncoding and UTF-8 with BOM', () => {
    expect(PdfString.of(new Uint8Array([0x80, 0x41, 0xe9])).toText()).toBe('\u2022A\u00e9');
    expect(PdfString.of(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Hà Nội')])).toText()).toBe('Hà Nội');
  });
});

describe('dates and equality', () => {
  it('formats and parses PDF dates in +07:00', () => {
    const d = new Date('2026-12-04T09:30:05Z');
    expect(formatPdfDate(d)).toBe("D:20261204163005+07'00'");
    expect(formatPdfDate(d, 0)).toBe('D:20261204093005Z');
    expect(parsePdfDate("D:20261204163005+07'00'")?.toISOString()).toBe('2026-12-04T09:30:05.000Z');
    expect(parsePdfDate('D:2026')?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(parsePdfDate('garbage')).toBeUndefined();
  });
  it('compares structurally', () => {
    const a = PdfDict.of({ A: 1, B: PdfString.fromLatin1('x') });
    const b = PdfDict.of({ B: PdfString.of(new Uint8Array([0x78]), true), A: 1 });
    expect(pdfObjectsEqual(a, b)).toBe(true);
    b.set('A', 2);
    expect(pdfObjectsEqual(a, b)).toBe(false);
    expect(pdfObjectsEqual(PdfRef.of(1), PdfRef.of(1, 1))).toBe(false);
  });
  it('clone copies direct containers', () => {
    const a = PdfDict.of({ K: PdfArray.of([1]) });
    const c = a.clone();
    c.getArray('K')!.push(2);
    expect(a.getArray('K')!.length).toBe(1);
  });
});
