import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string | undefined;

/** Writes `bytes` to a file in this test run's temporary directory and returns its path. */
export function tempFile(name: string, bytes: Uint8Array): string {
  dir ??= mkdtempSync(join(tmpdir(), 'kyso-pades-'));
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A copy of `bytes` with one byte changed at `offset` (the tamper twin of a signing test). */
export function tamper(bytes: Uint8Array, offset: number): Uint8Array {
  const out = bytes.slice();
  out[offset] = out[offset] === 0x41 ? 0x42 : 0x41;
  return out;
}

/** Offset of the first occurrence of `needle` (Latin-1) in `bytes` at or after `from`, or -1. */
export function indexOf(bytes: Uint8Array, needle: string, from = 0): number {
  const n = Array.from(needle, (c) => c.charCodeAt(0));
  outer: for (let i = from; i <= bytes.length - n.length; i++) {
    for (let j = 0; j < n.length; j++) if (bytes[i + j] !== n[j]) continue outer;
    return i;
  }
  return -1;
}
