import { readFileSync, writeFileSync } from 'node:fs';
import { PdfDocument, listFields } from '@kyso/pdf';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixturePath } from '@kyso/test-fixtures';
import { describe, expect, it } from 'vitest';
import { writeSampleDecision } from '../src/demo/sample-decision.js';
import { kyso, requireTool, run, tempDir } from './helpers.js';

const pki = (f: string) => fixturePath('pki', f);
const sample = (f: string) => fileURLToPath(new URL(`../../pades/assets/samples/${f}`, import.meta.url));
const env = { KYSO_PW: 'kyso' };
const key = (who: string) => ['--p12', pki(`${who}.p12`), '--password-env', 'KYSO_PW'];

describe('kyso sign --appearance (Decree 30/2020 layouts)', () => {
  const dir = tempDir();
  const f = (n: string) => join(dir, n);

  it('approval at an anchor, then issuance over it; both valid, the text is searchable Vietnamese', async () => {
    writeFileSync(f('qd.pdf'), await writeSampleDecision());
    const a = kyso(['sign', f('qd.pdf'), '-o', f('a.pdf'), ...key('leader'), '--appearance', 'approval', '--image', sample('signature.png'), '--anchor', 'CHỦ TỊCH'], { env });
    expect(a.stderr).toBe('');
    const b = kyso(['sign', f('a.pdf'), '-o', f('b.pdf'), ...key('clerk'), '--appearance', 'issuance', '--seal', sample('seal.png'), '--agency', 'UBND tỉnh Bắc Ninh'], { env });
    expect(b.stderr).toBe('');
    const v = JSON.parse(kyso(['verify', f('b.pdf'), '--trust', pki('root.pem'), '--format', 'json']).stdout);
    expect(v.signatures.map((s: { indication: string }) => s.indication)).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED']);
    requireTool('pdftotext', 'poppler-utils');
    const text = run('pdftotext', [f('b.pdf'), '-']).stdout;
    expect(text).toContain('Người ký: Nguyễn Văn An');
    expect(text).toContain('UBND tỉnh Bắc Ninh');
    const fonts = run('pdffonts', [f('b.pdf')]).stdout;
    expect(fonts).toMatch(/\+Tinos\S*\s+.*yes\s+yes\s+yes/);
    // Decree 30/2020: the seal covers the left part of the leader's signature
    const widgets = listFields(PdfDocument.open(readFileSync(f('b.pdf')))).filter((x) => x.type === 'Sig').map((x) => x.widgets[0]!.rect!);
    const [leader, seal] = widgets as [number[], number[]];
    expect(seal[2]!).toBeGreaterThan(leader[0]!);
    expect(seal[0]!).toBeLessThan(leader[0]!);
  });

  it('attachment goes to the top right of page 1 without a rectangle', async () => {
    const r = kyso(['sign', f('qd.pdf'), '-o', f('att.pdf'), ...key('clerk'), '--appearance', 'attachment', '--doc-number', '15/QĐ-UBND'], { env });
    expect(r.stderr).toBe('');
    const text = run('pdftotext', ['-f', '1', '-l', '1', '-x', '300', '-y', '0', '-W', '300', '-H', '120', f('att.pdf'), '-']).stdout;
    expect(text).toContain('15/QĐ-UBND');
  });

  it('says what is missing: no --image, no --seal, an unknown layout, a missing anchor', () => {
    const noImage = kyso(['sign', f('qd.pdf'), '-o', f('x.pdf'), ...key('leader'), '--appearance', 'approval', '--anchor', 'CHỦ TỊCH'], { env });
    expect(noImage.code).toBe(2);
    expect(noImage.stderr).toMatch(/needs --image/);
    const noSeal = kyso(['sign', f('qd.pdf'), '-o', f('x.pdf'), ...key('clerk'), '--appearance', 'issuance'], { env });
    expect(noSeal.stderr).toMatch(/needs --seal/);
    expect(kyso(['sign', f('qd.pdf'), '-o', f('x.pdf'), ...key('clerk'), '--appearance', 'fancy'], { env }).stderr).toMatch(/must be one of/);
    const anchor = kyso(['sign', f('qd.pdf'), '-o', f('x.pdf'), ...key('leader'), '--appearance', 'approval', '--image', sample('signature.png'), '--anchor', 'KHÔNG CÓ'], { env });
    expect(anchor.code).toBe(2);
    expect(anchor.stderr).toMatch(/KHÔNG CÓ/);
    expect(kyso(['sign', f('qd.pdf'), '-o', f('x.pdf'), ...key('leader'), '--image', sample('signature.png')], { env }).stderr).toMatch(/only applies with --appearance/);
  });
});
