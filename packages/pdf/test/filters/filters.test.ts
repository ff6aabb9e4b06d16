import { latin1 } from '@kyso/core';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PdfArray, PdfDict, PdfError, PdfName, PdfStream, decodeStreamData } from '@kyso/pdf';

const dict = (o: Record<string, unknown>) => PdfDict.of(o as never);
const decode = (filter: string | string[], raw: Uint8Array, parms?: PdfDict, maxDecodedSize?: number) =>
  decodeStreamData(
    dict({ Filter: Array.isArray(filter) ? PdfArray.of(filter.map((f) => PdfName.of(f))) : PdfName.of(filter), ...(parms ? { DecodeParms: parms } : {}) }),
    raw,
    maxDecodedSize === undefined ? {} : { maxDecodedSize },
  );

function pngEncode(data: Uint8Array, rowBytes: number, bpp: number): Uint8Array {
  const rows = data.length / rowBytes;
  const out = new Uint8Array(rows * (rowBytes + 1));
  for (let r = 0; r < rows; r++) {
    const t = r % 5;
    out[r * (rowBytes + 1)] = t;
    for (let i = 0; i < rowBytes; i++) {
      const x = data[r * rowBytes + i]!;
      const a = i >= bpp ? data[r * rowBytes + i - bpp]! : 0;
      const b = r > 0 ? data[(r - 1) * rowBytes + i]! : 0;
      const c = r > 0 && i >= bpp ? data[(r - 1) * rowBytes + i - bpp]! : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
      const pred = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][t]!;
      out[r * (rowBytes + 1) + 1 + i] = (x - pred) & 0xff;
    }
  }
  return out;
}

describe('stream filters', () => {
  const sample = Uint8Array.from({ length: 12 * 20 }, (_, i) => (i * 37 + (i >> 3) * 11) & 0xff);

  it('FlateDecode with each PNG predictor row type', () => {
    const enc = zlibSync(pngEncode(sample, 12, 3));
    const parms = dict({ Predictor: 12, Colors: 3, BitsPerComponent: 8, Columns: 4 });
    expect(decode('FlateDecode', enc, parms).data).toEqual(sample);
    expect(decode('Fl', enc, parms).data).toEqual(sample);
  });

  it('FlateDecode with the TIFF predictor', () => {
    const enc = new Uint8Array(sample.length);
    for (let r = 0; r < 20; r++) for (let i = 0; i < 12; i++) enc[r * 12 + i] = (sample[r * 12 + i]! - (i >= 3 ? sample[r * 12 + i - 3]! : 0)) & 0xff;
    expect(decode('FlateDecode', zlibSync(enc), dict({ Predictor: 2, Colors: 3, Columns: 4 })).data).toEqual(sample);
  });

  it('LZWDecode (the example of ISO 32000-2 §7.4.4.2)', () => {
    const enc = new Uint8Array([0x80, 0x0b, 0x60, 0x50, 0x22, 0x0c, 0x0c, 0x85, 0x01]);
    expect(decode('LZWDecode', enc).data).toEqual(new Uint8Array([45, 45, 45, 45, 45, 65, 45, 45, 45, 66]));
  });

  it('ASCIIHexDecode and ASCII85Decode, chained', () => {
    expect(decode('ASCIIHexDecode', latin1('48 65 6C 6c 6>')).data).toEqual(latin1('Hell`'));
    expect(decode('ASCII85Decode', latin1('9jqo^BlbD-BleB1DJ+*+F(f,q~>')).data).toEqual(latin1('Man is distinguished'));
    expect(decode('A85', latin1('z!!~>')).data).toEqual(new Uint8Array([0, 0, 0, 0, 0]));
    const hexOfA85 = latin1([...latin1('9jqo^~>')].map((b) => b.toString(16).padStart(2, '0')).join('') + '>');
    expect(decode(['AHx', 'A85'], hexOfA85).data).toEqual(latin1('Man '));
    expect(() => decode('AHx', latin1('4G>'))).toThrow(PdfError);
  });

  it('RunLengthDecode', () => {
    expect(decode('RunLengthDecode', new Uint8Array([2, 97, 98, 99, 254, 120, 128, 1, 1])).data).toEqual(latin1('abcxxx'));
  });

  it('passes unsupported filters through and says which remain', () => {
    const r = decode(['AHx', 'DCTDecode'], latin1('FFD8>'));
    expect(r.data).toEqual(new Uint8Array([0xff, 0xd8]));
    expect(r.remainingFilters).toEqual(['DCTDecode']);
    expect(PdfStream.of(dict({ Filter: PdfName.of('JPXDecode') }), latin1('x')).undecodedFilters()).toEqual(['JPXDecode']);
  });

  it('stops a decompression bomb at maxDecodedSize with PDF_LIMIT, quickly', () => {
    const bomb = zlibSync(new Uint8Array(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(200_000);
    const t = Date.now();
    try {
      decode('FlateDecode', bomb, undefined, 1024 * 1024);
      expect.unreachable();
    } catch (e) {
      expect((e as PdfError).code).toBe('PDF_LIMIT');
    }
    expect(Date.now() - t).toBeLessThan(2000);
    const rle = new Uint8Array(20000).fill(129);
    expect(() => decode('RL', rle, undefined, 100_000)).toThrow(/maxDecodedSize/);
  });

  it('keeps what a damaged large Flate stream decoded before the damage, else PDF_BAD_STREAM', () => {
    const big = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 7919) % 251);
    const full = zlibSync(big);
    const out = decode('FlateDecode', full.subarray(0, full.length - 2000)).data;
    expect(out.length).toBeGreaterThan(0);
    expect(big.subarray(0, out.length)).toEqual(out);
    expect(() => decode('FlateDecode', zlibSync(sample).subarray(0, 20))).toThrow(/corrupt/);
    expect(() => decode('FlateDecode', latin1('\x78\x9c\xff\xff\xff'))).toThrow(PdfError);
  });
});
