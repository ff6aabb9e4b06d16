// `kyso verify --format html`: a self-contained report (no script, no external resource), every
// value escaped, times in +07:00, colours by indication, the changes after each signature, and
// evidence fields the report may carry (chain, revocation, timestamps) rendered when present.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signerFromPkcs12 } from '@kyso/cms';
import { signPdf, verifyPdf, type PdfVerificationReport } from '@kyso/pades';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml, renderHtmlReport } from '../src/report/html.js';
import { kyso, tempDir } from './helpers.js';

const pki = (f: string) => fixturePath('pki', f);
const root = loadFixture('pki', 'root.cer');
const signer = (who: string) => signerFromPkcs12(loadFixture('pki', `${who}.p12`), 'kyso');
const SIGNED_AT = new Date('2026-12-03T02:30:00Z'); // 09:30 in Vietnam
const HOSTILE = '<img src=x onerror=alert(1)>&"\'';

/** Every tag or attribute in `html` that would load or run something, or leave the file (text content is not looked at). */
function externalReferences(html: string): string[] {
  const found: string[] = [];
  for (const [tag, name, attrs] of html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)\b([^>]*)>/g)) {
    if (/^(script|link|img|iframe|object|embed|audio|video|source|base|form|svg)$/i.test(name!)) found.push(tag);
    // Whole attributes, quoted values included, so that text inside a value is not read as an attribute.
    for (const m of attrs!.matchAll(/\s([a-zA-Z][\w:-]*)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+))?/g)) {
      const attr = m[1]!.toLowerCase();
      if (!/^(src|srcset|action|formaction|href|style|on[a-z]+)$/.test(attr)) continue;
      if (attr === 'href' && /^["']?#/.test(m[2] ?? '')) continue;
      found.push(m[0].trim());
    }
  }
  for (const style of html.matchAll(/<style>([^<]*)<\/style>/g)) {
    if (/url\(|@import/i.test(style[1]!)) found.push('url() or @import in <style>');
  }
  return found;
}

describe('renderHtmlReport', () => {
  let report: PdfVerificationReport;
  let tampered: PdfVerificationReport;

  beforeAll(async () => {
    const pdf = loadFixture('pdfs', 'libreoffice-vi.pdf');
    const one = await signPdf(pdf, { signer: await signer('drafter'), certify: 2, signingTime: SIGNED_AT, field: HOSTILE });
    const two = await signPdf(one, { signer: await signer('leader'), signingTime: SIGNED_AT, field: { name: 'ChuTich', page: 0, rect: [350, 80, 550, 160] }, appearance: true });
    report = await verifyPdf(two, { trustAnchors: [root], time: new Date('2026-12-04T00:00:00Z') });
    const bad = two.slice();
    bad[Buffer.from(bad).indexOf('/Producer') + 2]! ^= 1;
    tampered = await verifyPdf(bad, { trustAnchors: [root], time: new Date('2026-12-04T00:00:00Z') });
  });

  it('is one self-contained document: a CSP of default-src none, inline CSS, nothing external', () => {
    const html = renderHtmlReport([{ file: 'qd.pdf', ok: true, value: report }], { validationTime: new Date('2026-12-04T00:00:00Z'), trustAnchors: 1 });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="vi">')).toBe(true);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).toMatch(/<style>[^<]+<\/style>/);
    expect(externalReferences(html)).toEqual([]);
    expect(html.match(/<article class="sig passed">/g)).toHaveLength(2);
  });

  it('shows the signature panel with Vietnamese and English labels, times in +07:00, the changes after each', () => {
    const html = renderHtmlReport([{ file: 'qd.pdf', ok: true, value: report }], { validationTime: new Date('2026-12-04T00:00:00Z'), trustAnchors: 1, generatedAt: new Date('2026-12-04T01:00:00Z') });
    expect(html).toContain('Báo cáo xác thực chữ ký số <span class="en">Signature validation report</span>');
    expect(html).toContain('Người ký <span class="en">Signer</span>');
    expect(html).toContain('<strong>Trần Thị Bình</strong>');
    expect(html).toContain('<strong>Nguyễn Văn An</strong>');
    expect(html).toContain('<time datetime="2026-12-03T02:30:00.000Z">03/12/2026 09:30:00 +07:00</time>');
    expect(html).toContain('Lập lúc <span class="en">Generated</span>: <time datetime="2026-12-04T01:00:00.000Z">04/12/2026 08:00:00 +07:00</time>');
    expect(html).toContain('Chữ ký chứng thực (DocMDP)');
    expect(html).toContain('Có thay đổi được phép sau khi ký <span class="en">changed after signing, as the signature allows</span>');
    expect(html).toContain('Không thay đổi kể từ khi ký <span class="en">unchanged since signing</span>');
    expect(html).toMatch(/<tr class="ok"><td>3<\/td><td>[^<]+<\/td><td>signature-added<\/td><td>allowed-by-certification<\/td><td>có /);
    expect(html).toContain('PAdES B-B');
    expect(html).toContain('Đã xác thực đến chứng thư gốc tin cậy (RFC 5280)');
    expect(html).toContain(`<code class="hash">${report.signatures[1]!.signer!.certificateSha256}</code>`);
  });

  it('escapes every value: a field named like markup stays text', () => {
    const html = renderHtmlReport([{ file: `a${HOSTILE}.pdf`, ok: true, value: report }], { validationTime: new Date(), trustAnchors: 1 });
    expect(report.signatures[0]!.field).toBe(HOSTILE);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;&quot;&#39;');
    expect(html).not.toContain('<img');
    expect(externalReferences(html)).toEqual([]);
    expect(externalReferences(`<p title="&lt;img src=x&gt;">x</p><img src="x"><a href="https://x" onclick="y">`)).toEqual(['<img src="x">', 'src="x"', 'href="https://x"', 'onclick="y"']);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('tamper twin: a changed byte shows TOTAL-FAILED / HASH_FAILURE in red and "BROKEN"', () => {
    const html = renderHtmlReport([{ file: 'bad.pdf', ok: true, value: tampered }], { validationTime: new Date(), trustAnchors: 1 });
    expect(html.match(/<article class="sig failed">/g)).toHaveLength(2);
    expect(html).toContain('Không hợp lệ · TOTAL-FAILED / HASH_FAILURE');
    expect(html).toContain('Bị phá vỡ <span class="en">BROKEN</span>');
    expect(html).toContain('<span class="badge failed">Có chữ ký không hợp lệ');
  });

  it('renders evidence the report carries — chain, revocation, timestamps — under bilingual headings, escaped', () => {
    const s = report.signatures[1]!;
    const withEvidence = {
      ...report,
      signatures: [
        {
          ...s,
          chain: [
            { subject: 'CN=Nguyễn Văn An,O=UBND tỉnh Bắc Ninh', serialNumber: '0a', certificateSha256: 'ab'.repeat(32), notBefore: '2026-11-01T00:00:00.000Z', notAfter: '2031-11-30T00:00:00.000Z', trustAnchor: false },
            { subject: 'CN=RootCA Test Chính phủ', serialNumber: '01', certificateSha256: 'cd'.repeat(32), notBefore: '2024-12-01T00:00:00.000Z', notAfter: '2046-11-26T00:00:00.000Z', trustAnchor: true },
          ],
          revocation: [{ subject: 'CN=Nguyễn Văn An', status: 'good', type: 'ocsp', source: 'embedded', thisUpdate: '2026-12-03T01:00:00.000Z', revocationTime: null, note: '<script>x</script>' }],
          timestamps: [{ type: 'signature', field: null, genTime: '2026-12-03T02:30:05Z', tsa: 'CN=TSA Test', valid: true, problems: [] }],
          proofOfExistence: '2026-12-03T02:30:05.000Z',
          futureThing: { nested: { deeper: ['x', 1, true] } },
        },
      ],
      dss: { certificates: 3, ocsps: 1 },
    } as unknown as PdfVerificationReport;
    const html = renderHtmlReport([{ file: 'ltv.pdf', ok: true, value: withEvidence }], { validationTime: new Date(), trustAnchors: 1 });
    expect(html).toContain('Chuỗi chứng thư <span class="en">Certificate chain</span></dt><dd><table>');
    expect(html).toContain('<td>CN=RootCA Test Chính phủ</td>');
    expect(html).toContain('Gốc tin cậy <span class="en">trust anchor</span>');
    expect(html).toContain('Tình trạng thu hồi <span class="en">Revocation</span>');
    expect(html).toContain('<td>good</td><td>ocsp</td><td>embedded</td>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('Dấu thời gian <span class="en">Timestamps</span>');
    expect(html).toContain('<td><time datetime="2026-12-03T02:30:05.000Z">03/12/2026 09:30:05 +07:00</time></td>');
    expect(html).toContain('Bằng chứng tồn tại (thời điểm sớm nhất)');
    expect(html).toContain('<dt>futureThing</dt>');
    expect(html).toContain('Dữ liệu xác thực (DSS) <span class="en">Document Security Store</span>');
  });

  it('several files: a summary with links, and a file that could not be verified with its reason', () => {
    const html = renderHtmlReport(
      [
        { file: 'a.pdf', ok: true, value: report },
        { file: 'junk.pdf', ok: false, code: 'PDF_NOT_PDF', message: 'No PDF objects <here>' },
      ],
      { validationTime: new Date(), trustAnchors: 0 },
    );
    expect(html).toContain('<a href="#f0">a.pdf</a>');
    expect(html).toContain('<a href="#f1">junk.pdf</a>');
    expect(html).toContain('<code>PDF_NOT_PDF</code> No PDF objects &lt;here&gt;');
    expect(html).toContain('không có: không chữ ký nào có thể hợp lệ');
  });
});

describe('kyso verify --format html', () => {
  const dir = tempDir('kyso-html-');
  const signed = join(dir, 'signed.pdf');

  it('writes the report with -o (nothing on stdout), exit 0 when all pass', () => {
    expect(kyso(['sign', fixturePath('pdfs', 'libreoffice-vi.pdf'), '-o', signed, '--p12', pki('leader.p12'), '--password-env', 'PW', '--field', HOSTILE], { env: { PW: 'kyso' } }).code).toBe(0);
    const out = join(dir, 'report.html');
    const r = kyso(['verify', signed, '--trust', pki('root.pem'), '--format', 'html', '-o', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('<span class="badge passed">Mọi chữ ký hợp lệ');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(externalReferences(html)).toEqual([]);
  });

  it('to stdout without -o; exit 1 when a signature does not pass (no --trust); several files in one report', () => {
    const r = kyso(['verify', signed, '--format', 'html']);
    expect(r.code).toBe(1);
    expect(r.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(r.stdout).toContain('INDETERMINATE / NO_CERTIFICATE_CHAIN_FOUND');
    const junk = join(dir, 'junk.pdf');
    writeFileSync(junk, 'x');
    const many = kyso(['verify', signed, junk, '--trust', pki('root.pem'), '--format', 'html']);
    expect(many.code).toBe(2);
    expect(many.stdout.match(/<section class="file">/g)).toHaveLength(2);
    expect(many.stdout).toContain('Không xác thực được');
  });

  it('--format other than text, json, html is a usage error', () => {
    const r = kyso(['verify', signed, '--format', 'pdf']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--format must be one of text, json, html/);
  });
});
