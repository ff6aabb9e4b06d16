import { fromLatin1, latin1 } from '@kyso/core';
import { describe, expect, it } from 'vitest';
import { MemoryByteSource, PdfDocument, PdfNull, PdfString, type ByteSource } from '@kyso/pdf';
import { TWO_PAGES, buildPdf } from '../helpers/build-pdf.js';

/** Bytes read through `read` only, like a file: the parser grows its window when a table is longer. */
class WindowedSource implements ByteSource {
  readonly inMemory = false;
  constructor(private readonly inner: MemoryByteSource) {}
  get length() {
    return this.inner.length;
  }
  read(start: number, end: number): Uint8Array {
    return this.inner.read(start, end).slice();
  }
}

/**
 * A file of `n` string objects, where object k holds "(obj k)"; every 7th number is free
 * (generation 1) instead, and every 11th object has generation 3.
 */
function manyObjects(n: number, entry: (offset: number, gen: number, kind: 'n' | 'f') => string): { bytes: Uint8Array; inUse: number[]; free: number[]; offsets: number[] } {
  let out = '%PDF-1.7\n';
  const offsets: number[] = [];
  out += (offsets[1] = out.length, '1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n');
  out += (offsets[2] = out.length, '2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n');
  const inUse = [1, 2];
  const free: number[] = [0];
  for (let k = 3; k < n; k++) {
    if (k % 7 === 0) {
      free.push(k);
      continue;
    }
    offsets[k] = out.length;
    out += `${k} ${k % 11 === 0 ? 3 : 0} obj\n(obj ${k})\nendobj\n`;
    inUse.push(k);
  }
  const xrefAt = out.length;
  out += `xref\n0 ${n}\n${entry(0, 65535, 'f')}`;
  for (let k = 1; k < n; k++) out += offsets[k] === undefined ? entry(0, 1, 'f') : entry(offsets[k]!, k % 11 === 0 ? 3 : 0, 'n');
  out += `trailer\n<< /Size ${n} /Root 1 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return { bytes: latin1(out), inUse, free, offsets };
}

const fixed = (o: number, g: number, k: string) => `${String(o).padStart(10, '0')} ${String(g).padStart(5, '0')} ${k}\r\n`;

describe('xref tables (ISO 32000-2 §7.5.4)', () => {
  for (const [name, entry] of [
    ['20-byte entries (" \\r\\n" and "\\r\\n" EOLs)', (o: number, g: number, k: string) => (o % 2 ? fixed(o, g, k) : fixed(o, g, k).replace('\r\n', ' \n').slice(0, 20))],
    ['19-byte entries ending in a lone LF', (o: number, g: number, k: string) => fixed(o, g, k).replace('\r\n', '\n')],
    ['sloppy entries: short numbers, extra spaces, a comment', (o: number, g: number, k: string) => (o % 3 ? `${o} ${g}  ${k}\n` : `  ${o}   ${g} ${k} % note\n`)],
  ] as const) {
    it(`reads 5,000 entries with ${name}, in memory and through a growing window`, () => {
      const { bytes, inUse, free, offsets } = manyObjects(5000, entry);
      for (const source of [new MemoryByteSource(bytes), new WindowedSource(new MemoryByteSource(bytes))]) {
        const doc = PdfDocument.open(source);
        expect(doc.repaired).toBe(false);
        expect(doc.revisions[0]!.objects).toEqual(inUse);
        expect(doc.revisions[0]!.freed).toEqual(free);
        for (const k of [3, 4, 999, 2500, 4999, 22, 4994, 4998]) {
          const obj = doc.getObject(k);
          if (k % 7 === 0) {
            expect(obj).toBe(PdfNull.instance);
            expect(doc.getXrefEntry(k)).toEqual({ type: 'free', gen: 1 });
          } else {
            expect((obj as PdfString).toText()).toBe(`obj ${k}`);
            expect(doc.getXrefEntry(k)).toEqual({ type: 'offset', offset: offsets[k], gen: k % 11 === 0 ? 3 : 0 });
          }
        }
        expect(doc.repaired).toBe(false);
      }
    });
  }

  it('repairs (and says why) a table whose entry is neither "n" nor "f"', () => {
    const bytes = latin1(fromLatin1(buildPdf(TWO_PAGES)).replace(/(\d{10} 00000) n\r\n/, '$1 x\r\n'));
    const doc = PdfDocument.open(bytes);
    expect(doc.repaired).toBe(true);
    expect(doc.warnings.join(' ')).toMatch(/"n" or "f"/);
    expect(doc.pageCount).toBe(2);
  });
});
