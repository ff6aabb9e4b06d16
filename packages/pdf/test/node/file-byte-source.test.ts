import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryByteSource } from '@kyso/pdf';
import { FileByteSource } from '@kyso/pdf/node';

const dir = mkdtempSync(join(tmpdir(), 'kyso-pdf-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const bytes = Uint8Array.from({ length: 300_001 }, (_, i) => (i * 2654435761) >>> 24);
const path = join(dir, 'data.bin');
writeFileSync(path, bytes);

describe('ByteSource.readInto (hashing through one reused buffer)', () => {
  for (const [name, open] of [
    ['FileByteSource', () => FileByteSource.open(path)],
    ['MemoryByteSource', () => new MemoryByteSource(bytes)],
  ] as const) {
    it(`${name}: copies what read() returns, clamps at the end, and reuses the caller's buffer`, () => {
      const source = open();
      const buf = new Uint8Array(65536).fill(0xee);
      let copied = 0;
      for (let at = 0; at < source.length; ) {
        const n = source.readInto!(buf, at);
        expect(n).toBe(Math.min(buf.length, source.length - at));
        expect(buf.subarray(0, n)).toEqual(source.read(at, at + n));
        expect(buf.subarray(0, n)).toEqual(bytes.subarray(at, at + n));
        copied += n;
        at += n;
      }
      expect(copied).toBe(bytes.length);
      expect(source.readInto!(buf, bytes.length)).toBe(0);
      expect(source.readInto!(buf.subarray(0, 10), bytes.length - 3)).toBe(3);
      expect(buf.subarray(0, 3)).toEqual(bytes.subarray(bytes.length - 3));
      if (source instanceof FileByteSource) {
        source.close();
        expect(() => source.readInto(buf, 0)).toThrow(/closed/);
      }
    });
  }
});
