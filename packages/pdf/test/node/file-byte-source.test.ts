import { spawn, spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

describe('FileByteSource on a pipe', () => {
  it('reads a named pipe whole when opened, serves reads from memory, and copies what it read', async () => {
    const fifo = join(dir, 'pipe');
    const made = spawnSync('mkfifo', [fifo]);
    expect(made.status, 'mkfifo (coreutils) is needed for this test').toBe(0);
    // Another process writes into the pipe; opening it waits for that writer.
    const writer = spawn('sh', ['-c', 'cat "$0" > "$1"', path, fifo]);
    const done = new Promise((resolve) => writer.on('close', resolve));
    const source = FileByteSource.open(fifo);
    expect(await done).toBe(0);
    expect(source.inMemory).toBe(true);
    expect(source.length).toBe(bytes.length);
    expect(source.read(1000, 1010)).toEqual(bytes.subarray(1000, 1010));
    const buf = new Uint8Array(7);
    expect(source.readInto(buf, bytes.length - 3)).toBe(3);
    expect(buf.subarray(0, 3)).toEqual(bytes.subarray(bytes.length - 3));
    const copy = join(dir, 'copy.bin');
    await source.copyTo(copy);
    expect(new Uint8Array(readFileSync(copy))).toEqual(bytes);
    source.close();
    expect(() => source.read(0, 1)).toThrow(/closed/);
    await expect(source.copyTo(copy)).rejects.toThrow(/closed/);
  });

  it('a regular file is read at positions, not loaded', async () => {
    const source = FileByteSource.open(path);
    expect(source.inMemory).toBe(false);
    const copy = join(dir, 'copy2.bin');
    await source.copyTo(copy);
    expect(new Uint8Array(readFileSync(copy))).toEqual(bytes);
    source.close();
  });

  it('a borrowed descriptor of a regular file is copied in chunks and left open', async () => {
    // Larger than one 1 MiB chunk, and not a multiple of it.
    const big = Uint8Array.from({ length: 2_500_007 }, (_, i) => (i * 40503) >>> 8);
    const bigPath = join(dir, 'big.bin');
    writeFileSync(bigPath, big);
    const fd = openSync(bigPath, 'r');
    try {
      const source = FileByteSource.fromDescriptor(fd, 'standard input');
      expect(source.inMemory).toBe(false);
      const copy = join(dir, 'copy3.bin');
      await source.copyTo(copy);
      expect(new Uint8Array(readFileSync(copy))).toEqual(big);
      source.close();
      expect(fstatSync(fd).size).toBe(big.length); // still open
    } finally {
      closeSync(fd);
    }
  });

  it('a directory is refused with EISDIR', () => {
    expect(() => FileByteSource.open(dir)).toThrow(expect.objectContaining({ code: 'EISDIR' }));
  });
});
