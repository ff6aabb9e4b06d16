import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('@kyso/trust is isomorphic (DESIGN: no Node built-ins outside src/node/)', () => {
  const sources = files(SRC).filter((f) => !relative(SRC, f).startsWith('node/'));
  it('has sources to check', () => expect(sources.length).toBeGreaterThan(20));
  for (const f of sources) {
    it(relative(SRC, f), () => {
      const text = readFileSync(f, 'utf8');
      expect(text).not.toMatch(/from ['"]node:|require\(|from ['"](fs|path|crypto|http|https|url|os|buffer)['"]/);
      expect(text).not.toMatch(/\bBuffer\.|\bprocess\.(env|argv|exit|cwd|versions|platform)\b/);
      // Only core and the platform: no other runtime dependencies.
      for (const m of text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom ['"]([^'".][^'"]*)['"]/gm)) expect(m[1]).toBe('@kyso/core');
    });
  }
});
