import { formatVietnamTime } from '@kyso/core';
import type { PdfVerificationReport, SignatureReport } from '@kyso/pades';
import { paint } from './io.js';

/** The indication, in green, red or yellow on a terminal. */
export function indicationText(indication: string, sub: string | null): string {
  const text = sub ? `${indication} / ${sub}` : indication;
  return paint(indication === 'TOTAL-PASSED' ? 32 : indication === 'TOTAL-FAILED' ? 31 : 33, text);
}

function time(iso: string | null): string {
  return iso ? formatVietnamTime(new Date(iso)) : '—';
}

function changesLine(s: SignatureReport): string {
  if (s.modificationsAfter === 'none') return 'unchanged since signing';
  const n = s.changes.length;
  return `${s.modificationsAfter} changes after signing (${n}${n ? ': ' + s.changes.slice(0, 3).map((c) => c.kind).join(', ') + (n > 3 ? ', …' : '') : ''})`;
}

/** The signature panel of a PDF, as a person reads it. */
export function renderPanel(file: string, report: PdfVerificationReport): string {
  const lines = [`${file}: ${report.revisions} revision(s), ${report.signatures.length} signature(s)`];
  report.signatures.forEach((s, i) => {
    lines.push('');
    lines.push(`#${i + 1} ${s.field} — ${s.kind}, revision ${s.revision}: ${indicationText(s.indication, s.subIndication)}`);
    lines.push(`   signer:   ${s.signer ? `${s.signer.commonName ?? '?'} (${s.signer.subject})` : '—'}`);
    lines.push(`   time:     ${time(s.claimedSigningTime)} (claimed)${s.timestampTime ? `, timestamp ${time(s.timestampTime)}` : ''}`);
    lines.push(`   format:   ${s.subFilter ?? '?'}${s.level ? `, PAdES ${s.level}` : ''}; covers ${s.coverage}; integrity ${s.integrity ? 'ok' : 'BROKEN'}`);
    lines.push(`   document: ${changesLine(s)}`);
    for (const e of s.errors) lines.push(`   error:    ${e}`);
    for (const w of s.warnings) lines.push(`   warning:  ${w}`);
  });
  return lines.join('\n');
}
