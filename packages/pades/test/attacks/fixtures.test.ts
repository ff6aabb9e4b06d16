/**
 * The committed attack PDFs (test-fixtures/attacks, made by gen-30-attacks.mjs) come out as
 * expected.json says: honest twins pass, attacks are never TOTAL-PASSED and report their change.
 */
import { readFileSync } from 'node:fs';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { describe, expect, it } from 'vitest';
import { pdfsig } from '../helpers/pdfsig.js';
import { expectDisallowed, expectPass, nssSpec, verify } from './kit.js';

const expected = JSON.parse(readFileSync(fixturePath('attacks', 'expected.json'), 'utf8')) as Record<string, { pass: boolean; kind?: string; format?: boolean }>;

describe('test-fixtures/attacks', () => {
  it('has the files', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(13);
  });

  it.each(Object.entries(expected))('%s', async (name, want) => {
    const r = await verify(loadFixture('attacks', name));
    if (want.pass) return expectPass(r);
    expect(r.signatures.length).toBeGreaterThan(0);
    if (want.format) expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    else expectDisallowed(r, want.kind!);
  });

  it('pdfsig calls the xref-only Shadow Hide and the content change valid (why the analysis is needed)', () => {
    for (const name of ['shadow-hide-xref-only.pdf', 'isa-content-changed.pdf', 'eaa-freetext-p2.pdf']) {
      expect(pdfsig(fixturePath('attacks', name), nssSpec())[0]!.valid, name).toBe(true);
    }
  });
});
