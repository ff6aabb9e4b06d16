import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileContent } from '@kyso/cms/node';

describe('fileContent', () => {
  it('can be read twice (regression: a long-term CAdES verification hashes the content again for the archive time-stamp)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-fc-'));
    try {
      const file = join(dir, 'a.bin');
      writeFileSync(file, new Uint8Array(3 << 20).map((_, i) => i & 0xff));
      const content = fileContent(file);
      const total = async () => {
        let n = 0;
        for await (const c of content) n += c.length;
        return n;
      };
      expect(await total()).toBe(3 << 20);
      expect(await total()).toBe(3 << 20);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a missing file when iteration starts', async () => {
    const it = fileContent('/nonexistent/kyso.bin')[Symbol.asyncIterator]();
    await expect(it.next()).rejects.toThrow(/does not exist/);
  });
});
