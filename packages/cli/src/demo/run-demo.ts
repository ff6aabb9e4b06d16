import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { encodePem, formatVietnamTime } from '@kyso/core';
import type { PdfVerificationReport } from '@kyso/pades';
import type { DocumentSigning } from '@kyso/workflow';
import { out } from '../io.js';
import { renderPanel } from '../panel.js';
import { ISSUANCE_FIELDS, writeSampleDecision } from './sample-decision.js';

/** What the demo wrote. */
export interface DemoResult {
  readonly pdf: string;
  readonly report: string;
  readonly preview: string | null;
  readonly allPassed: boolean;
}

const SAMPLES_DIR = join(dirname(createRequire(import.meta.url).resolve('@kyso/pades/package.json')), 'assets', 'samples');

/**
 * The README's main job: a throwaway PKI with a TSA, OCSP responder and CRLs on loopback, a
 * Vietnamese decision, and the four-step approval of DECREE30.md run through @kyso/workflow
 * with its SQLite store — the drafter initials and certifies (DocMDP P=2), the head of
 * department initials, the leader approves with a visible signature, the clerk numbers the
 * decision and applies the agency's signature with the seal — then verification.
 */
export async function runDemo(outDir: string): Promise<DemoResult> {
  const dir = resolve(outDir);
  await mkdir(dir, { recursive: true });
  const [{ createTestPki }, { startPkiServer }, cms, { Certificate }, pades, padesNode, pdf, wfApi, { openSqliteStore }] = await Promise.all([
    import('@kyso/testkit'),
    import('@kyso/testkit/node'),
    import('@kyso/cms'),
    import('@kyso/trust'),
    import('@kyso/pades'),
    import('@kyso/pades/node'),
    import('@kyso/pdf'),
    import('@kyso/workflow'),
    import('@kyso/workflow/sqlite'),
  ]);

  out('1. A throwaway PKI: root → government CA → cadres, the agency seal, a TSA and an OCSP responder on 127.0.0.1');
  const server = await startPkiServer({ pki: (baseUrl) => createTestPki({ baseUrl }) });
  try {
    const pki = server.pki;
    const rootPem = encodePem(pki.root.certificate, 'CERTIFICATE');
    await writeFile(join(dir, 'root.pem'), rootPem);
    const who = (id: { certificate: Uint8Array }) => pades.appearanceDataFromCertificate(id.certificate);
    for (const [role, id] of [['drafter', pki.cadres.drafter], ['head', pki.cadres.head], ['leader', pki.cadres.leader], ['clerk (seal)', pki.seal]] as const) {
      out(`   ${role.padEnd(13)} ${who(id).signerName} — ${who(id).title ?? who(id).agency ?? ''}`);
    }

    out('2. A draft decision (Quyết định) with empty number and date fields');
    const draft = await writeSampleDecision();
    await writeFile(join(dir, 'du-thao.pdf'), draft);

    // Where the leader's signature and the seal go: under the title line, and over its left third.
    const fonts = await padesNode.loadDefaultFonts();
    const images = { signature: await readFile(join(SAMPLES_DIR, 'signature.png')), seal: await readFile(join(SAMPLES_DIR, 'seal.png')) };
    const leaderV = await pades.visibleSignature(draft, {
      layout: 'approval',
      fonts,
      data: { ...who(pki.cadres.leader), images },
      placement: { anchor: 'CHỦ TỊCH', occurrence: 'last' },
    });
    const geometry = pades.pageGeometry(pdf.PdfDocument.open(draft).getPage(leaderV.placement.page - 1));
    const signatureBox = leaderV.appearance.images['signature'];
    if (!signatureBox) throw new Error('the approval layout drew no signature image');
    const sealPlacement = pades.placeIssuanceOverSignature(geometry, leaderV.placement.page, pades.regionOnPage(leaderV.placement, signatureBox), pades.ISSUANCE_TEMPLATE);
    const box = (p: { page: number; rect: readonly number[] }) => ({ page: p.page, x: p.rect[0]!, y: p.rect[1]!, width: p.rect[2]! - p.rect[0]!, height: p.rect[3]! - p.rect[1]! });

    const base = wfApi.padesDocumentSigning({
      appearance: async ({ request, width, height }) => {
        const issue = request.step.kind === 'issue';
        const built = await pades.buildAppearance(issue ? pades.ISSUANCE_TEMPLATE : pades.APPROVAL_TEMPLATE, {
          ...pades.appearanceDataFromCertificate(request.signerCertificate),
          signingTime: request.signingTime,
          ...(request.documentNumber ? { docNumber: request.documentNumber.symbol } : {}),
          images,
        }, { width, height, fonts });
        return built;
      },
    });
    // The issue step first fills the number and date (form filling, allowed under DocMDP P=2).
    const signing: DocumentSigning = {
      ...base,
      async prepare(req) {
        if (req.step.kind !== 'issue' || !req.documentNumber) return base.prepare(req);
        const date = formatVietnamTime(req.signingTime, 'ngày dd tháng MM năm yyyy');
        const filled = await pades.fillTextFields(req.pdf, {
          [ISSUANCE_FIELDS.number]: `Số: ${req.documentNumber.symbol}`,
          [ISSUANCE_FIELDS.date]: { text: `Bắc Ninh, ${date}`, font: 'italic' },
        }, { fonts });
        return base.prepare({ ...req, pdf: filled });
      },
    };

    out('3. The approval route, run by @kyso/workflow with its SQLite store');
    const dbFile = join(dir, 'kyso.db');
    await rm(dbFile, { force: true });
    const store = await openSqliteStore(dbFile);
    try {
      const wf = new wfApi.Workflow({ store, signing, trustAnchors: [pki.root.certificate] });
      const bySha = (id: { certificate: Uint8Array }) => ({ by: 'sha256', value: Certificate.fromDer(id.certificate).fingerprintSha256 });
      const route = wfApi.parseRoute({
        id: 'quyet-dinh-ubnd',
        name: 'Quyết định của UBND tỉnh',
        steps: [
          { id: 'drafter', kind: 'initial', name: 'Chuyên viên ký nháy', assignee: bySha(pki.cadres.drafter) },
          { id: 'head', kind: 'initial', name: 'Chánh Văn phòng ký nháy', assignee: bySha(pki.cadres.head) },
          { id: 'leader', kind: 'approve', name: 'Chủ tịch ký duyệt', assignee: bySha(pki.cadres.leader), signature: { placement: box(leaderV.placement) } },
          { id: 'clerk', kind: 'issue', name: 'Văn thư ban hành', assignee: bySha(pki.seal), signature: { placement: box(sealPlacement) }, numbering: { agency: 'UBND', documentType: 'QĐ' } },
        ],
      });
      const started = await wf.startCase({ route, document: draft, actor: { id: 'drafter', name: who(pki.cadres.drafter).signerName ?? 'drafter' }, title: 'Quyết định phê duyệt Kế hoạch chuyển đổi số năm 2027' });
      for (const [step, id] of [['drafter', pki.cadres.drafter], ['head', pki.cadres.head], ['leader', pki.cadres.leader], ['clerk', pki.seal]] as const) {
        const signer = await cms.signerFromCryptoKey(id.privateKey, id.certificate, id.chain);
        const rec = await wf.sign(started.id, signer);
        out(`   ${step.padEnd(8)} signed by ${who(id).signerName}${rec.documentNumber && step === 'clerk' ? ` — issued as ${rec.documentNumber.symbol}` : ''}`);
      }
      const done = await wf.getCase(started.id);
      const audit = await wf.verifyAudit(started.id);

      out('4. Long-term validation data: the chain and OCSP answers in a DSS, then an archive time-stamp (PAdES B-LTA)');
      const timeStamper = cms.httpTimeStamper({ url: server.tsaUrl });
      const signed = await pades.extendPdf(await wf.getDocument(started.id), { level: 'B-LTA', timeStamper, trustAnchors: [pki.root.certificate], online: true });
      const caseCheck = await wfApi.verifyCase(signed, done.route, { signing: wf.signing, trustAnchors: [pki.root.certificate] });

      out('5. Verification of the final PDF, offline: only what the file carries');
      const report: PdfVerificationReport = await pades.verifyPdf(signed, { trustAnchors: [pki.root.certificate], online: false });
      const pdfPath = join(dir, 'quyet-dinh.pdf');
      await writeFile(pdfPath, signed);
      const reportPath = join(dir, 'report.json');
      await writeFile(reportPath, JSON.stringify({ file: pdfPath, ...report, workflow: { case: done.id, status: done.status, documentNumber: done.documentNumber?.symbol ?? null, auditChainIntact: audit.valid, routeMatches: caseCheck.valid } }, null, 2));
      out('');
      out(renderPanel('quyet-dinh.pdf', report));
      out('');
      out(`Workflow: case ${done.status}, number ${done.documentNumber?.symbol ?? '—'}, audit chain ${audit.valid ? 'intact' : 'BROKEN'}, signatures ${caseCheck.valid ? 'match the route' : 'do NOT match the route'}`);
      const preview = renderPreview(pdfPath, join(dir, 'quyet-dinh'), pdf.PdfDocument.open(signed).pageCount);
      out('');
      out('Wrote:');
      out(`  ${pdfPath}  (the signed decision)`);
      out(`  ${reportPath}  (the verification report, JSON)`);
      out(preview ? `  ${preview}  (a preview of its last page)` : '  (no PNG preview: install poppler-utils for pdftoppm)');
      out(`  ${join(dir, 'du-thao.pdf')}, ${join(dir, 'root.pem')}, ${dbFile}`);
      const signatures = report.signatures.filter((s) => s.kind !== 'document-timestamp');
      const allPassed = signatures.length === 4 && report.signatures.every((s) => s.indication === 'TOTAL-PASSED') && audit.valid && caseCheck.valid;
      return { pdf: pdfPath, report: reportPath, preview, allPassed };
    } finally {
      await store.close();
    }
  } finally {
    await server.close();
  }
}

/** A PNG of the last page through poppler's pdftoppm, when it is installed. */
function renderPreview(pdfPath: string, prefix: string, lastPage: number): string | null {
  const r = spawnSync('pdftoppm', ['-png', '-r', '80', '-singlefile', '-f', String(lastPage), '-l', String(lastPage), pdfPath, prefix], { stdio: 'ignore' });
  return r.status === 0 ? `${prefix}.png` : null;
}
