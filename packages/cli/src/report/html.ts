/**
 * `kyso verify --format html`: a self-contained validation report — one HTML file with inline
 * CSS, no script, no external resource (a Content-Security-Policy of `default-src 'none'` says
 * so to the browser) — with Vietnamese labels and their English. Every value from the PDF or the
 * report is escaped. Times are shown in Vietnam time (+07:00), as Decree 30/2020 asks.
 *
 * It renders the fields of `SignatureReport` it knows, and any other field a newer report carries
 * (certificate chain, revocation, timestamps, validation data …) generically, under a bilingual
 * heading when the name is known, so new evidence shows up without a change here.
 */
import { formatVietnamTime } from '@kyso/core';
import type { PdfVerificationReport, SignatureReport } from '@kyso/pades';
import type { VerifiedFile } from '../batch.js';

/** Options of {@link renderHtmlReport}. */
export interface HtmlReportOptions {
  /** The validation time used. */
  readonly validationTime: Date;
  /** How many trust anchors were given (0: nothing can be TOTAL-PASSED). */
  readonly trustAnchors: number;
  /** When the report was made; default now. */
  readonly generatedAt?: Date;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A bilingual label: Vietnamese, then English in a quieter style. */
function label(vi: string, en: string): string {
  return `${escapeHtml(vi)} <span class="en">${escapeHtml(en)}</span>`;
}

const INDICATION: Record<string, [string, string, string]> = {
  'TOTAL-PASSED': ['passed', 'Hợp lệ', 'Total passed'],
  'TOTAL-FAILED': ['failed', 'Không hợp lệ', 'Total failed'],
  INDETERMINATE: ['indeterminate', 'Chưa xác định', 'Indeterminate'],
};

const KIND: Record<string, [string, string]> = {
  approval: ['Chữ ký phê duyệt', 'approval signature'],
  certification: ['Chữ ký chứng thực (DocMDP)', 'certification signature'],
  'document-timestamp': ['Dấu thời gian tài liệu', 'document timestamp'],
};

const COVERAGE: Record<string, [string, string]> = {
  'entire-file': ['Toàn bộ tệp', 'the entire file'],
  'entire-revision': ['Toàn bộ phiên bản đã ký; có cập nhật sau đó', 'the entire signed revision; later updates follow'],
  partial: ['Một phần tệp', 'part of the file only'],
};

const MODIFICATIONS: Record<string, [string, string, string]> = {
  none: ['ok', 'Không thay đổi kể từ khi ký', 'unchanged since signing'],
  allowed: ['ok', 'Có thay đổi được phép sau khi ký', 'changed after signing, as the signature allows'],
  disallowed: ['bad', 'Có thay đổi KHÔNG được phép sau khi ký', 'changed after signing in a way the signature does not allow'],
};

/** Headings for report fields that this renderer does not lay out itself. */
const SECTION_LABELS: Record<string, [string, string]> = {
  chain: ['Chuỗi chứng thư', 'Certificate chain'],
  certificateChain: ['Chuỗi chứng thư', 'Certificate chain'],
  certificates: ['Chứng thư số', 'Certificates'],
  revocation: ['Tình trạng thu hồi', 'Revocation'],
  revocationChecks: ['Tình trạng thu hồi', 'Revocation'],
  ocsp: ['OCSP', 'OCSP responses'],
  crl: ['CRL', 'Certificate revocation lists'],
  crls: ['CRL', 'Certificate revocation lists'],
  timestamps: ['Dấu thời gian', 'Timestamps'],
  timestamp: ['Dấu thời gian', 'Timestamp'],
  signatureTimestamps: ['Dấu thời gian của chữ ký', 'Signature timestamps'],
  documentTimestamps: ['Dấu thời gian tài liệu', 'Document timestamps'],
  dss: ['Dữ liệu xác thực (DSS)', 'Document Security Store'],
  validationData: ['Dữ liệu xác thực', 'Validation data'],
  ltv: ['Xác thực dài hạn', 'Long-term validation'],
  trust: ['Tin cậy', 'Trust'],
  policy: ['Chính sách', 'Policy'],
  proofOfExistence: ['Bằng chứng tồn tại (thời điểm sớm nhất)', 'Proof of existence (earliest)'],
  pathValidatedAt: ['Thời điểm xác thực chuỗi chứng thư', 'Certificate path validated at'],
};

/** Field names (any level) whose values read better with a bilingual label. */
const FIELD_LABELS: Record<string, [string, string]> = {
  status: ['Trạng thái', 'status'],
  subject: ['Chủ thể', 'subject'],
  issuer: ['Tổ chức cấp', 'issuer'],
  commonName: ['Tên', 'common name'],
  serialNumber: ['Số hiệu', 'serial number'],
  notBefore: ['Hiệu lực từ', 'valid from'],
  notAfter: ['Hiệu lực đến', 'valid to'],
  time: ['Thời điểm', 'time'],
  genTime: ['Thời điểm cấp dấu', 'time-stamp time'],
  producedAt: ['Thời điểm phản hồi', 'produced at'],
  thisUpdate: ['Cập nhật', 'this update'],
  nextUpdate: ['Cập nhật kế tiếp', 'next update'],
  revocationTime: ['Thời điểm thu hồi', 'revocation time'],
  revocationReason: ['Lý do thu hồi', 'revocation reason'],
  source: ['Nguồn', 'source'],
  url: ['Địa chỉ', 'URL'],
  tsa: ['Đơn vị cấp dấu thời gian', 'TSA'],
  errors: ['Lỗi', 'errors'],
  warnings: ['Cảnh báo', 'warnings'],
  certificateSha256: ['SHA-256', 'certificate SHA-256'],
  trustAnchor: ['Gốc tin cậy', 'trust anchor'],
  type: ['Loại', 'type'],
  note: ['Ghi chú', 'note'],
  field: ['Trường chữ ký', 'field'],
  valid: ['Hợp lệ', 'valid'],
  problems: ['Vấn đề', 'problems'],
};

const KNOWN_SIGNATURE_FIELDS = new Set([
  'field', 'revision', 'kind', 'subFilter', 'level', 'signer', 'claimedSigningTime', 'timestampTime', 'integrity',
  'coverage', 'modificationsAfter', 'changes', 'indication', 'subIndication', 'errors', 'warnings',
]);
const KNOWN_REPORT_FIELDS = new Set(['revisions', 'signatures', 'file']);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? escapeHtml(iso) : `<time datetime="${escapeHtml(d.toISOString())}">${escapeHtml(formatVietnamTime(d))}</time>`;
}

function fieldLabel(key: string): string {
  const known = FIELD_LABELS[key] ?? SECTION_LABELS[key];
  return known ? label(known[0], known[1]) : escapeHtml(key);
}

/** Any JSON value as HTML: objects as definition lists, arrays of objects as tables. */
function renderValue(value: unknown, depth = 0): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return ISO_TIME.test(value) ? time(value) : escapeHtml(value);
  if (typeof value === 'number' || typeof value === 'bigint') return escapeHtml(value);
  if (typeof value === 'boolean') return value ? label('có', 'yes') : label('không', 'no');
  if (value instanceof Uint8Array) return `<code>${escapeHtml(Array.from(value.subarray(0, 32), (b) => b.toString(16).padStart(2, '0')).join(''))}${value.length > 32 ? '…' : ''}</code> (${value.length} bytes)`;
  if (depth > 6) return '…';
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    if (value.every((v) => v === null || typeof v !== 'object')) return `<ul>${value.map((v) => `<li>${renderValue(v, depth + 1)}</li>`).join('')}</ul>`;
    // Rows of scalars (or short lists of scalars) read best as a table.
    const scalar = (x: unknown) => x === null || typeof x !== 'object' || (Array.isArray(x) && x.every((y) => y === null || typeof y !== 'object'));
    const flat = value.every((v) => v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every(scalar));
    if (flat) {
      const keys = [...new Set(value.flatMap((v) => Object.keys(v as object)))];
      return `<table><thead><tr>${keys.map((k) => `<th>${fieldLabel(k)}</th>`).join('')}</tr></thead><tbody>${value
        .map((v) => `<tr>${keys.map((k) => `<td>${renderValue((v as Record<string, unknown>)[k], depth + 1)}</td>`).join('')}</tr>`)
        .join('')}</tbody></table>`;
    }
    return `<ol>${value.map((v) => `<li>${renderValue(v, depth + 1)}</li>`).join('')}</ol>`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) return '—';
    return `<dl class="kv">${entries.map(([k, v]) => `<dt>${fieldLabel(k)}</dt><dd>${renderValue(v, depth + 1)}</dd>`).join('')}</dl>`;
  }
  return escapeHtml(String(value));
}

/** The fields of `obj` this renderer does not lay out itself (chain, revocation, timestamps …), as one list. */
function extraSections(obj: Record<string, unknown>, known: ReadonlySet<string>): string {
  const rows = Object.entries(obj).filter(([k, v]) => !known.has(k) && v !== undefined);
  if (rows.length === 0) return '';
  return `<dl class="kv extra">${rows
    .map(([k, v]) => {
      const [vi, en] = SECTION_LABELS[k] ?? FIELD_LABELS[k] ?? [k, ''];
      const empty = v === null || (Array.isArray(v) && v.length === 0);
      return `<dt>${en ? label(vi, en) : escapeHtml(vi)}</dt><dd>${empty ? `— <small>(${label('không có', 'none')})</small>` : renderValue(v)}</dd>`;
    })
    .join('')}</dl>`;
}

function badge(indication: string, sub: string | null): string {
  const [cls, vi, en] = INDICATION[indication] ?? ['indeterminate', indication, ''];
  return `<span class="badge ${cls}" title="${escapeHtml(en || indication)}">${escapeHtml(vi)} · ${escapeHtml(indication)}${sub ? ` / ${escapeHtml(sub)}` : ''}</span>`;
}

/** A line about the certificate path, from what the report says (its own `chain` field is shown below when present). */
function chainSummary(s: SignatureReport): string {
  if (s.indication === 'TOTAL-PASSED') return label('Đã xác thực đến chứng thư gốc tin cậy (RFC 5280)', 'validated up to a trusted root (RFC 5280)');
  switch (s.subIndication) {
    case 'NO_CERTIFICATE_CHAIN_FOUND':
      return label('Không tìm được đường dẫn đến chứng thư gốc tin cậy', 'no path to a trusted root (give --trust)');
    case 'OUT_OF_BOUNDS_NO_POE':
    case 'EXPIRED':
      return label('Chứng thư đã hết hạn tại thời điểm xác thực', 'the certificate had expired at the validation time');
    case 'NOT_YET_VALID':
      return label('Chứng thư chưa có hiệu lực', 'the certificate was not yet valid');
    case 'REVOKED':
      return label('Chứng thư đã bị thu hồi', 'the certificate is revoked');
    case 'CERTIFICATE_CHAIN_GENERAL_FAILURE':
    case 'CHAIN_CONSTRAINTS_FAILURE':
      return label('Chuỗi chứng thư không hợp lệ', 'the certificate chain does not validate');
    default:
      return s.integrity ? '—' : label('Không xét (chữ ký không toàn vẹn)', 'not reached (the signature is not intact)');
  }
}

function signatureCard(s: SignatureReport, n: number): string {
  const [cls] = INDICATION[s.indication] ?? ['indeterminate'];
  const [mcls, mvi, men] = MODIFICATIONS[s.modificationsAfter] ?? ['bad', s.modificationsAfter, ''];
  const [kvi, ken] = KIND[s.kind] ?? [s.kind, ''];
  const [cvi, cen] = COVERAGE[s.coverage] ?? [s.coverage, ''];
  const rows: [string, string][] = [
    [label('Người ký', 'Signer'), s.signer ? `<strong>${escapeHtml(s.signer.commonName ?? '?')}</strong><br><small>${escapeHtml(s.signer.subject)}</small>` : '—'],
    [label('Số hiệu chứng thư', 'Certificate serial'), s.signer ? `<code>${escapeHtml(s.signer.serialNumber)}</code>` : '—'],
    [label('Dấu vân tay SHA-256', 'Certificate SHA-256'), s.signer ? `<code class="hash">${escapeHtml(s.signer.certificateSha256)}</code>` : '—'],
    [label('Thời điểm ký (khai báo)', 'Claimed signing time'), time(s.claimedSigningTime)],
    [label('Dấu thời gian', 'Signature timestamp'), s.timestampTime ? time(s.timestampTime) : label('không có', 'none')],
    [label('Định dạng, mức', 'Format, level'), `${escapeHtml(s.subFilter ?? '?')}${s.level ? `, PAdES ${escapeHtml(s.level)}` : ''}`],
    [label('Toàn vẹn', 'Integrity'), s.integrity ? `<span class="ok">${label('Nguyên vẹn', 'intact: digest and signature verify')}</span>` : `<span class="bad">${label('Bị phá vỡ', 'BROKEN')}</span>`],
    [label('Phạm vi ký', 'Coverage'), cen ? label(cvi, cen) : escapeHtml(cvi)],
    [label('Chuỗi chứng thư', 'Certificate chain'), chainSummary(s)],
    [label('Sau khi ký', 'After signing'), `<span class="${mcls}">${men ? label(mvi, men) : escapeHtml(mvi)}</span>`],
  ];
  const changes = s.changes.length
    ? `<table class="changes"><thead><tr><th>${label('Phiên bản', 'Revision')}</th><th>${label('Đối tượng', 'Object')}</th><th>${label('Loại', 'Kind')}</th><th>${label('Phân loại', 'Classification')}</th><th>${label('Được phép', 'Allowed')}</th><th>${label('Chi tiết', 'Detail')}</th></tr></thead><tbody>${s.changes
        .map((c) => {
          return `<tr class="${c.allowed ? 'ok' : 'bad'}"><td>${escapeHtml(c.revision)}</td><td>${escapeHtml(c.object ?? '—')}</td><td>${escapeHtml(c.kind)}</td><td>${escapeHtml(c.classification)}</td><td>${c.allowed ? label('có', 'yes') : `<strong>${label('không', 'no')}</strong>`}</td><td>${escapeHtml(c.detail)}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : '';
  const list = (cls2: string, vi: string, en: string, items: readonly string[]) =>
    items.length ? `<div class="${cls2}"><h4>${label(vi, en)}</h4><ul>${items.map((e) => `<li>${escapeHtml(e)}</li>`).join('')}</ul></div>` : '';
  return `<article class="sig ${cls}">
<header><h3>#${n} ${escapeHtml(s.field)} <small>${ken ? label(kvi, ken) : escapeHtml(kvi)} · ${label('phiên bản', 'revision')} ${escapeHtml(s.revision)}</small></h3>${badge(s.indication, s.subIndication)}</header>
<dl class="kv">${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>
${changes}${list('errors', 'Lỗi', 'Errors', s.errors)}${list('warnings', 'Cảnh báo', 'Warnings', s.warnings)}${extraSections(s as unknown as Record<string, unknown>, KNOWN_SIGNATURE_FIELDS)}
</article>`;
}

function verdict(r: VerifiedFile): [string, string] {
  if (!r.ok) return ['failed', label('Không xác thực được', 'could not be verified')];
  if (r.value.signatures.length === 0) return ['indeterminate', label('Không có chữ ký', 'no signature')];
  if (r.value.signatures.every((s) => s.indication === 'TOTAL-PASSED')) return ['passed', label('Mọi chữ ký hợp lệ', 'every signature TOTAL-PASSED')];
  return r.value.signatures.some((s) => s.indication === 'TOTAL-FAILED') ? ['failed', label('Có chữ ký không hợp lệ', 'a signature failed')] : ['indeterminate', label('Có chữ ký chưa xác định', 'a signature is indeterminate')];
}

function fileSection(r: VerifiedFile, i: number): string {
  const [cls, text] = verdict(r);
  const head = `<header><h2 id="f${i}">${escapeHtml(r.file)}</h2><span class="badge ${cls}">${text}</span></header>`;
  if (!r.ok) return `<section class="file">${head}<p class="bad"><code>${escapeHtml(r.code)}</code> ${escapeHtml(r.message)}</p></section>`;
  const report: PdfVerificationReport = r.value;
  const panel = report.signatures.length
    ? `<table class="panel"><thead><tr><th>#</th><th>${label('Chữ ký', 'Field')}</th><th>${label('Người ký', 'Signer')}</th><th>${label('Thời điểm', 'Time')} (+07:00)</th><th>${label('Mức', 'Level')}</th><th>${label('Kết quả', 'Indication')}</th><th>${label('Sau khi ký', 'After signing')}</th></tr></thead><tbody>${report.signatures
        .map((s, n) => {
          const [c] = INDICATION[s.indication] ?? ['indeterminate'];
          const [mcls, mvi, men] = MODIFICATIONS[s.modificationsAfter] ?? ['bad', s.modificationsAfter, ''];
          return `<tr><td>${n + 1}</td><td>${escapeHtml(s.field)}</td><td>${escapeHtml(s.signer?.commonName ?? '—')}</td><td>${time(s.timestampTime ?? s.claimedSigningTime)}</td><td>${escapeHtml(s.level ?? '—')}</td><td><span class="badge ${c}">${escapeHtml(s.indication)}${s.subIndication ? ` / ${escapeHtml(s.subIndication)}` : ''}</span></td><td class="${mcls}">${men ? label(mvi, men) : escapeHtml(mvi)}</td></tr>`;
        })
        .join('')}</tbody></table>`
    : `<p>${label('Tài liệu không có chữ ký số.', 'The document has no signature.')}</p>`;
  return `<section class="file">${head}
<p>${label('Số phiên bản', 'Revisions')}: ${escapeHtml(report.revisions)} · ${label('Số chữ ký', 'Signatures')}: ${report.signatures.length}</p>
${panel}
${report.signatures.map((s, n) => signatureCard(s, n + 1)).join('\n')}
${extraSections(report as unknown as Record<string, unknown>, KNOWN_REPORT_FIELDS)}
</section>`;
}

const CSS = `
:root{--ok:#1b7f3b;--bad:#b3261e;--warn:#9a6700;--muted:#5f6368;--line:#dadce0}
*{box-sizing:border-box}body{font:15px/1.5 "Segoe UI",Roboto,"Noto Sans",Arial,sans-serif;margin:0;color:#202124;background:#f8f9fa}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:0;word-break:break-all}
h3{font-size:16px;margin:0}h4{font-size:14px;margin:12px 0 4px}.en{color:var(--muted);font-weight:normal;font-size:.88em}
.en::before{content:"/ "}small{color:var(--muted)}code{font:13px/1.4 ui-monospace,Menlo,Consolas,monospace}.hash{word-break:break-all}
section.file{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin:20px 0}
section.file>header,article.sig>header{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between}
.badge{display:inline-block;white-space:nowrap;border-radius:12px;padding:2px 10px;font-weight:600;font-size:13px;color:#fff}
.badge.passed{background:var(--ok)}.badge.failed{background:var(--bad)}.badge.indeterminate{background:var(--warn)}
.badge .en{color:#fff;opacity:.85}article.sig{border:1px solid var(--line);border-left:6px solid var(--warn);border-radius:6px;padding:12px 16px;margin:14px 0}
article.sig.passed{border-left-color:var(--ok)}article.sig.failed{border-left-color:var(--bad)}
dl.kv{display:grid;grid-template-columns:minmax(180px,max-content) 1fr;gap:4px 16px;margin:10px 0}dl.kv dt{color:var(--muted)}dl.kv dd{margin:0;word-break:break-word}
dl.kv dl.kv{margin:0}table{border-collapse:collapse;width:100%;margin:10px 0;font-size:14px}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
th{background:#f1f3f4}.ok{color:var(--ok)}.bad{color:var(--bad)}tr.bad td{background:#fce8e6}.errors li{color:var(--bad)}.warnings li{color:var(--warn)}
ul,ol{margin:4px 0;padding-left:20px}.meta{color:var(--muted);margin:0 0 8px}nav ul{list-style:none;padding:0}nav li{margin:2px 0}
@media print{body{background:#fff}section.file{border:0;padding:0}.badge{border:1px solid #000;color:#000;background:none}}
`;

/** The HTML report for the files verified (one or several), as one self-contained document. */
export function renderHtmlReport(results: readonly VerifiedFile[], options: HtmlReportOptions): string {
  const generated = options.generatedAt ?? new Date();
  const nav =
    results.length > 1
      ? `<nav><h2>${label('Tổng hợp', 'Summary')}</h2><ul>${results
          .map((r, i) => {
            const [cls, text] = verdict(r);
            return `<li><span class="badge ${cls}">${text}</span> <a href="#f${i}">${escapeHtml(r.file)}</a></li>`;
          })
          .join('')}</ul></nav>`
      : '';
  return `<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="kyso verify --format html">
<title>Báo cáo xác thực chữ ký số — Signature validation report</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${label('Báo cáo xác thực chữ ký số', 'Signature validation report')}</h1>
<p class="meta">${label('Thời điểm xác thực', 'Validation time')}: ${time(options.validationTime.toISOString())} · ${label('Lập lúc', 'Generated')}: ${time(generated.toISOString())} · ${label('Chứng thư gốc tin cậy', 'Trust anchors')}: ${options.trustAnchors}${options.trustAnchors === 0 ? ` (${label('không có: không chữ ký nào có thể hợp lệ', 'none: no signature can be TOTAL-PASSED')})` : ''}</p>
<p class="meta">${label('Theo', 'Following')} ETSI EN 319 102-1 (TOTAL-PASSED / TOTAL-FAILED / INDETERMINATE), ISO 32000-2 §12.8, ETSI EN 319 142-1 (PAdES).</p>
</header>
${nav}
${results.map((r, i) => fileSection(r, i)).join('\n')}
</main>
</body>
</html>
`;
}
