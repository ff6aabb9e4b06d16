import { describe, expect, it } from 'vitest';
import { concatBytes, decodePem, encodePem, formatVietnamTime, fromBase64, fromHex, KysoError, toArrayBuffer, toBase64, toHex } from '@kyso/core';

describe('bytes', () => {
  it('round-trips hex and base64', () => {
    const b = new Uint8Array([0, 1, 0xfe, 0xff, 0x7f]);
    expect(toHex(b)).toBe('0001feff7f');
    expect(fromHex('00 01 FE ff 7f')).toEqual(b);
    expect(fromHex('7')).toEqual(new Uint8Array([0x70]));
    expect(fromBase64(toBase64(b))).toEqual(b);
    expect(concatBytes(b, b).length).toBe(10);
  });
  it('refuses what is not hex', () => {
    expect(() => fromHex('zz')).toThrow(KysoError);
  });
  it('round-trips PEM with several blocks', () => {
    const der = new Uint8Array(100).map((_, i) => i);
    const pem = encodePem(der, 'CERTIFICATE') + 'junk\n' + encodePem(der.slice(1), 'CERTIFICATE');
    const blocks = decodePem(pem);
    expect(blocks).toHaveLength(2);
    expect(blocks[0]!.der).toEqual(der);
    expect(blocks[1]!.label).toBe('CERTIFICATE');
  });
  it('formats times in +07:00', () => {
    expect(formatVietnamTime(new Date('2026-12-04T03:38:09Z'))).toBe('04/12/2026 10:38:09 +07:00');
    expect(formatVietnamTime(new Date('2026-12-31T20:00:00Z'), 'dd.MM.yyyy')).toBe('01.01.2027');
  });
});

describe('toArrayBuffer', () => {
  it('copies exactly the view, also for a Node Buffer from the shared pool (regression: Buffer.slice is a view)', () => {
    const pooled = Buffer.from('abc');
    const ab = toArrayBuffer(pooled);
    expect(ab.byteLength).toBe(3);
    expect(new Uint8Array(ab)).toEqual(new Uint8Array([0x61, 0x62, 0x63]));
  });
});

describe('trimDer', () => {
  it('cuts the zero padding after a DER SEQUENCE, short and long lengths', async () => {
    const { trimDer } = await import('@kyso/core');
    expect(trimDer(new Uint8Array([0x30, 0x02, 0x05, 0x00, 0, 0, 0]))).toEqual(new Uint8Array([0x30, 0x02, 0x05, 0x00]));
    const long = new Uint8Array(4 + 300 + 50);
    long.set([0x30, 0x82, 0x01, 0x2c]);
    expect(trimDer(long)).toHaveLength(304);
    expect(trimDer(new Uint8Array([0x04, 0x01, 0x00]))).toHaveLength(3); // not a SEQUENCE: unchanged
    expect(trimDer(new Uint8Array([0x30, 0x82, 0xff, 0xff]))).toHaveLength(4); // claims more than there is: unchanged
  });
});
