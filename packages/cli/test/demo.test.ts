import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kyso, requireTool, run, tempDir } from './helpers.js';

describe('kyso demo (the README main job)', () => {
  const dir = tempDir('kyso-demo-');

  it('runs the four-step approval and every signature is TOTAL-PASSED', () => {
    const r = kyso(['demo', '--out-dir', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('issued as 01/QĐ-UBND');
    expect(r.stdout.match(/: TOTAL-PASSED/g)).toHaveLength(6); // four cadres, two document time-stamps
    expect(r.stdout).toContain('audit chain intact, signatures match the route');
    const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(report.signatures.map((s: { indication: string }) => s.indication)).toEqual(Array(6).fill('TOTAL-PASSED'));
    expect(report.signatures.slice(0, 4).map((s: { level: string }) => s.level)).toEqual(Array(4).fill('B-LTA'));
    expect(report.signatures.slice(4).map((s: { kind: string }) => s.kind)).toEqual(['document-timestamp', 'document-timestamp']);
    expect(report.signatures[0].kind).toBe('certification');
    expect(report.workflow.documentNumber).toBe('01/QĐ-UBND');
    expect(existsSync(join(dir, 'quyet-dinh.png'))).toBe(true);
  });

  it('its PDF is valid in poppler and carries the number, the date and the names as text', () => {
    requireTool('pdfsig', 'poppler-utils');
    const pdf = join(dir, 'quyet-dinh.pdf');
    // poppler 22.12 checks the four CAdES signatures; it does not verify ETSI.RFC3161 document
    // time-stamps ("Signature Type: unknown"), so those two are only listed.
    const sig = run('pdfsig', [pdf]).stdout;
    expect(sig.match(/Signature is Valid\./g)).toHaveLength(4);
    expect(sig).not.toMatch(/Digest Mismatch/);
    expect(sig.match(/Signature #\d+:/g)).toHaveLength(6);
    const text = run('pdftotext', [pdf, '-']).stdout;
    expect(text).toContain('Số: 01/QĐ-UBND');
    expect(text).toMatch(/Bắc Ninh, ngày \d\d tháng \d\d năm 20\d\d/);
    expect(text).toContain('Người ký: Nguyễn Văn An');
    expect(run('qpdf', ['--check', pdf]).code).toBe(0);
  });
});
