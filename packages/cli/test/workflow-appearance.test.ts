import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixturePath } from '@kyso/test-fixtures';
import { describe, expect, it } from 'vitest';
import { kyso, requireTool, run, tempDir } from './helpers.js';

const pki = (f: string) => fixturePath('pki', f);

describe('kyso workflow: a step with a placement draws the signer block in Vietnamese', () => {
  const dir = tempDir();
  const f = (n: string) => join(dir, n);

  it('the leader’s visible signature reads "Người ký: Nguyễn Văn An" in an embedded font, and the clerk’s carries the number', () => {
    copyFileSync(fixturePath('pdfs', 'libreoffice-vi.pdf'), f('du-thao.pdf'));
    writeFileSync(f('route.json'), JSON.stringify({
      id: 'qd',
      steps: [
        { id: 'leader', kind: 'approve', assignee: { by: 'citizenId', value: '001085012345' }, signature: { placement: { page: 1, x: 330, y: 60, width: 220, height: 70 } } },
        { id: 'clerk', kind: 'issue', assignee: { by: 'uid', value: 'MST:2300000000' }, signature: { placement: { page: 1, x: 60, y: 60, width: 220, height: 70 } }, numbering: { agency: 'UBND', documentType: 'QĐ' } },
      ],
    }));
    const store = ['--store', `sqlite:${f('kyso.db')}`];
    const env = { KYSO_PW: 'kyso' };
    expect(kyso(['workflow', 'init', '--route', f('route.json'), ...store]).code).toBe(0);
    expect(kyso(['workflow', 'start', f('du-thao.pdf'), '--route', 'qd', '--id', 'c1', ...store]).code).toBe(0);
    expect(kyso(['workflow', 'sign', 'c1', '--p12', pki('leader.p12'), '--password-env', 'KYSO_PW', ...store], { env }).stderr).toBe('');
    expect(kyso(['workflow', 'sign', 'c1', '--p12', pki('seal.p12'), '--password-env', 'KYSO_PW', ...store], { env }).stderr).toBe('');
    expect(kyso(['workflow', 'export', 'c1', '-o', f('out.pdf'), ...store]).code).toBe(0);
    requireTool('pdftotext', 'poppler-utils');
    const text = run('pdftotext', [f('out.pdf'), '-']).stdout;
    expect(text).toContain('Người ký: Nguyễn Văn An');
    expect(text).toContain('Chức vụ: Chủ tịch');
    expect(text).toContain('Số: 01/QĐ-UBND');
    expect(run('pdffonts', [f('out.pdf')]).stdout).toMatch(/\+Tinos\S*\s+.*yes\s+yes\s+yes/);
    expect(JSON.parse(kyso(['verify', f('out.pdf'), '--trust', pki('root.pem'), '--format', 'json']).stdout).signatures.every((s: { indication: string }) => s.indication === 'TOTAL-PASSED')).toBe(true);
  });
});
