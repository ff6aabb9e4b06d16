import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const ALLOWED = new Set(['@kyso/core', 'asn1js', 'node-forge', '@noble/curves/nist.js', '@noble/hashes/hmac.js', '@noble/hashes/sha2.js', '@noble/hashes/legacy.js']);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

// The PKI generator, PKCS#12 writer, TSA and OCSP responders run in browsers too (users'
// integration tests); only src/node/ (files and HTTP servers) needs Node.
describe('@kyso/testkit main entry has no Node built-ins', () => {
  const sources = files(SRC).filter((f) => !relative(SRC, f).startsWith('node/'));
  it('has sources to check', () => expect(sources.length).toBeGreaterThan(10));
  for (const f of sources) {
    it(relative(SRC, f), () => {
      const text = readFileSync(f, 'utf8');
      expect(text).not.toMatch(/from ['"]node:|require\(|\bBuffer\./);
      for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom ['"]([^'".][^'"]*)['"]/gm)) expect(ALLOWED).toContain(m[1]);
      for (const m of text.matchAll(/\bimport\(['"]([^'"]+)['"]\)/g)) expect(ALLOWED).toContain(m[1]);
    });
  }
});
