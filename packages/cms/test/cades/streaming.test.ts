import { mkdtempSync, openSync, rmSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCades, signerFromPem, verifyCades, type Signer } from '@kyso/cms';
import { fileContent, nodeDigestEngine } from '@kyso/cms/node';
import { makeOpensslPki, openssl, type OpensslPki } from '../helpers/openssl.js';

const SIZE = 200 * 1024 * 1024;

/** Runs `fn` while sampling RSS every few ms; returns its result and the peak growth in bytes. */
async function peakRssGrowth<T>(fn: () => Promise<T>): Promise<{ result: T; growth: number }> {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}

describe('streaming a 200 MB file', () => {
  let pki: OpensslPki;
  let dir: string;
  let file: string;
  let signer: Signer;
  beforeAll(async () => {
    pki = makeOpensslPki('p256');
    signer = await signerFromPem(pki.text('signer.key'), pki.text('signer.pem'), pki.text('inter.pem'));
    dir = mkdtempSync(join(tmpdir(), 'kyso-cms-big-'));
    file = join(dir, 'big.bin');
    const fd = openSync(file, 'w');
    const block = new Uint8Array(1 << 20);
    for (let i = 0; i < SIZE / block.length; i++) {
      block.fill(i & 0xff);
      block[0] = i >> 8;
      writeSync(fd, block);
    }
    closeSync(fd);
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    pki.cleanup();
  });

  it('signs in bounded memory and openssl verifies against the file; verifying streams too', async () => {
    expect(statSync(file).size).toBe(SIZE);
    const { result: p7s, growth } = await peakRssGrowth(() => signCades({ signer, content: fileContent(file), digestEngine: nodeDigestEngine }));
    console.log(`rss growth signing 200 MB: ${(growth / 1048576).toFixed(1)} MB`);
    expect(growth).toBeLessThan(SIZE / 4);
    writeFileSyncSafe(join(dir, 'big.p7s'), p7s);
    const r = openssl(['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'big.p7s', '-content', 'big.bin', '-CAfile', pki.path('root.pem'), '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
    expect(r.stderr).toContain('Verification successful');

    const v = await peakRssGrowth(() => verifyCades(p7s, { content: fileContent(file), trustAnchors: [pki.der('root.pem')] }));
    expect(v.result.indication).toBe('TOTAL-PASSED');
    expect(v.growth).toBeLessThan(SIZE / 4);
  });

  it('a missing file: FILE_UNREADABLE, and no signature', async () => {
    const e = await signCades({ signer, content: fileContent(join(dir, 'missing.bin')) }).catch((x: unknown) => x);
    expect((e as { code?: string }).code).toBe('FILE_UNREADABLE');
    expect((e as Error).message).toMatch(/does not exist; check the path/);
  });

  it('tamper twin: one changed byte in the middle of the file is HASH_FAILURE', async () => {
    const p7s = await signCades({ signer, content: fileContent(file) });
    const fd = openSync(file, 'r+');
    writeSync(fd, Uint8Array.of(0xee), 0, 1, SIZE / 2);
    closeSync(fd);
    const r = await verifyCades(p7s, { content: fileContent(file) });
    expect(r.subIndication).toBe('HASH_FAILURE');
  });
});

function writeFileSyncSafe(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  writeSync(fd, bytes);
  closeSync(fd);
}

describe('digest engines', () => {
  it('name the hashes as node:crypto does, and refuse an unknown name (even one Object.prototype has) with CMS_UNSUPPORTED_ALGORITHM', async () => {
    const abc = new TextEncoder().encode('abc');
    const h = nodeDigestEngine.create('SHA-256');
    h.update(abc);
    expect(Buffer.from(await h.digest()).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (const bad of ['SHA-3', 'constructor', 'toString']) {
      expect(() => nodeDigestEngine.create(bad as 'SHA-256')).toThrow(expect.objectContaining({ code: 'CMS_UNSUPPORTED_ALGORITHM' }));
    }
  });
});
