import { formatVietnamTime } from '@kyso/core';
import type { Indication, PdfVerificationReport, SignatureReport } from '@kyso/pades';

/** Vietnamese (English) labels of the ETSI EN 319 102-1 main indications. */
const INDICATION_LABEL: Record<Indication, { text: string; css: string }> = {
  'TOTAL-PASSED': { text: 'Hợp lệ (TOTAL-PASSED)', css: 'passed' },
  'TOTAL-FAILED': { text: 'Không hợp lệ (TOTAL-FAILED)', css: 'failed' },
  INDETERMINATE: { text: 'Chưa xác định (INDETERMINATE)', css: 'indeterminate' },
};

const KIND_LABEL: Record<SignatureReport['kind'], string> = {
  approval: 'chữ ký phê duyệt (approval)',
  certification: 'chữ ký chứng nhận (certification)',
  'document-timestamp': 'dấu thời gian tài liệu (document timestamp)',
};

/** Creates an element with text content. */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function time(iso: string | null): string {
  return iso ? formatVietnamTime(new Date(iso)) : '—';
}

/** What happened to the document after this signature, in words. */
function changesText(s: SignatureReport): string {
  if (s.modificationsAfter === 'none') return 'Không thay đổi kể từ khi ký (unchanged since signing)';
  const kinds = [...new Set(s.changes.map((c) => c.kind))].join(', ');
  if (s.modificationsAfter === 'allowed') return `Có thay đổi được phép sau khi ký (allowed changes since signing): ${kinds}`;
  return `Có thay đổi KHÔNG được phép sau khi ký (disallowed changes since signing): ${kinds}`;
}

/**
 * Renders the signature panel of a verification report: one block per signature with signer,
 * time (+07:00), level, indication and what changed since. Each block carries `data-field`,
 * `data-indication` and `data-signer` so tests and other scripts can read it.
 */
export function renderPanel(container: HTMLElement, report: PdfVerificationReport, trusted: boolean): void {
  container.replaceChildren();
  container.classList.remove('muted');
  const head = el('p', `Tài liệu có ${report.revisions} phiên bản, ${report.signatures.length} chữ ký. (${report.revisions} revision(s), ${report.signatures.length} signature(s).)`, 'muted');
  container.append(head);
  if (!trusted && report.signatures.length > 0) {
    container.append(
      el('p', 'Chưa chọn chứng thư gốc tin cậy nên không chữ ký nào có thể “Hợp lệ”. (No trust anchor chosen, so no signature can be TOTAL-PASSED.)', 'muted'),
    );
  }
  if (report.signatures.length === 0) {
    container.append(el('p', 'Tài liệu chưa có chữ ký số. (The document has no digital signature.)'));
    return;
  }
  report.signatures.forEach((s, i) => {
    const block = el('div', undefined, 'sig');
    block.dataset['field'] = s.field;
    block.dataset['indication'] = s.indication;
    block.dataset['signer'] = s.signer?.commonName ?? '';
    const label = INDICATION_LABEL[s.indication];
    block.append(el('h3', `#${i + 1} ${s.field} — ${KIND_LABEL[s.kind]}`));
    const rows: [string, HTMLElement | string][] = [];
    const badge = el('span', label.text, `badge ${label.css}`);
    if (s.subIndication) badge.textContent += ` / ${s.subIndication}`;
    rows.push(['Kết quả (result)', badge]);
    rows.push(['Người ký (signer)', s.signer?.commonName ?? s.signer?.subject ?? '—']);
    rows.push(['Thời điểm ký (time)', time(s.claimedSigningTime) + (s.timestampTime ? ` · dấu thời gian (timestamp) ${time(s.timestampTime)}` : '')]);
    rows.push(['Mức (level)', `${s.level ?? '—'} · ${s.subFilter ?? ''} · phiên bản (revision) ${s.revision}`]);
    rows.push(['Toàn vẹn (integrity)', s.integrity ? 'Mã băm và chữ ký khớp (digest and signature match)' : 'KHÔNG khớp (does NOT match)']);
    rows.push(['Sau khi ký (since)', changesText(s)]);
    for (const [k, v] of rows) {
      block.append(el('dt', k));
      const dd = el('dd');
      dd.append(v);
      block.append(dd);
    }
    const notes = [...s.errors.map((e) => `✗ ${e}`), ...s.warnings.map((w) => `⚠ ${w}`)];
    if (notes.length > 0) {
      block.append(el('dt', 'Ghi chú (notes)'));
      const details = el('details');
      details.append(el('summary', `${s.errors.length} lỗi (errors), ${s.warnings.length} cảnh báo (warnings)`));
      const ul = el('ul');
      for (const n of notes) ul.append(el('li', n));
      details.append(ul);
      const dd = el('dd');
      dd.append(details);
      block.append(dd);
    }
    container.append(block);
  });
}
