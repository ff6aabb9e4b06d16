import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Crl, CrlRevocationChecker } from '@kyso/trust';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseVerificationContext, MemoryWorkflowStore, padesDocumentSigning, parseRoute, trustValidator, verifyCase, Workflow, type CaseRecord } from '@kyso/workflow';
import { certificate, clock, draftPdf, fourStepRoute, IDS, rootDer, signer } from './helpers/fixtures.js';
import { tamperPageContent } from './helpers/tamper.js';

const signing = padesDocumentSigning();
let final: Uint8Array;
let afterHead: Uint8Array;
let record: CaseRecord;
const dir = mkdtempSync(join(tmpdir(), 'kyso-wf-verify-'));

beforeAll(async () => {
  const wf = new Workflow({ store: new MemoryWorkflowStore(), signing, clock, certificateValidator: trustValidator({ trustAnchors: [rootDer()] }) });
  let c = await wf.startCase({ route: fourStepRoute(), document: draftPdf(), actor: { id: 'u' } });
  for (const who of ['drafter', 'head', 'leader', 'seal'] as const) c = await wf.sign(c.id, await signer(who));
  record = c;
  final = await wf.getDocument(c.id);
  afterHead = await wf.getDocument(c.id, c.steps[1]!.signatures[0]!.documentAfter);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** An NSS database trusting the fixture root, for pdfsig's certificate check. */
function nssDb(): string {
  const db = join(dir, 'nss');
  const run = (args: string[]) => {
    const r = spawnSync('certutil', args, { encoding: 'utf8' });
    if (r.error) throw new Error('certutil is not installed: install it with apt-get install libnss3-tools');
    if (r.status !== 0) throw new Error(`certutil ${args.join(' ')}: ${r.stderr}`);
  };
  spawnSync('mkdir', ['-p', db]);
  run(['-N', '-d', `sql:${db}`, '--empty-password']);
  run(['-A', '-d', `sql:${db}`, '-n', 'kyso-test-root', '-t', 'CT,C,C', '-i', fixturePath('pki', 'root.pem')]);
  return db;
}

let db: string | undefined;
function pdfsig(pdf: Uint8Array): string {
  db ??= nssDb();
  const file = join(dir, `f${Math.random().toString(16).slice(2)}.pdf`);
  writeFileSync(file, pdf);
  const r = spawnSync('pdfsig', ['-nssdir', `sql:${db}`, file], { encoding: 'utf8' });
  if (r.error) throw new Error('pdfsig is not installed: install it with apt-get install poppler-utils');
  return r.stdout;
}

describe('verifyCase', () => {
  it('finds the four signatures of the route, in order, by their assignees, trusted to the root', async () => {
    const v = await verifyCase(final, record.route, { signing, trustAnchors: [rootDer()], at: clock.now() });
    expect(v.problems).toEqual([]);
    expect(v).toMatchObject({ valid: true, complete: true, revisions: 5 });
    expect(v.steps.map((s) => s.signatures.map((x) => x.signer))).toEqual([['Trần Thị Bình'], ['Lê Văn Cường'], ['Nguyễn Văn An'], ['Ủy ban nhân dân tỉnh Bắc Ninh']]);
    expect(v.steps.flatMap((s) => s.signatures.map((x) => x.indication))).toEqual(['TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-PASSED', 'TOTAL-PASSED']);
    expect(Object.isFrozen(v)).toBe(true);
  });

  it('is accepted by poppler pdfsig: four signatures, each valid', () => {
    const out = pdfsig(final);
    expect(out.match(/Signature #\d+:/g)).toHaveLength(4);
    expect(out.match(/Signature Validation: Signature is Valid\./g)).toHaveLength(4);
    // Tamper twin: a page changed after the last signature.
    expect(out.match(/Certificate Validation: Certificate is Trusted\./g)).toHaveLength(4);
    expect(out.match(/^\s*- Total document signed$/gm)).toHaveLength(1);
    // Tamper twin: a page changed after the last signature leaves no signature covering the file.
    const bad = pdfsig(tamperPageContent(final));
    expect(bad.match(/Signature #\d+:/g)).toHaveLength(4);
    expect(bad.match(/^\s*- Total document signed$/gm)).toBeNull();
  });

  it('draws the visible approval with the signer and the signing time in +07:00 (pdftotext)', () => {
    const file = join(dir, 'final.pdf');
    writeFileSync(file, final);
    const r = spawnSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    if (r.error) throw new Error('pdftotext is not installed: install it with apt-get install poppler-utils');
    expect(r.stdout).toContain('Thoi gian ky: 02.12.2026 10:00:00 +07:00');
    expect(r.stdout).toMatch(/Nguoi ky: Nguy.n V.n An/);
  });

  it('fails when the route says another order or another person', async () => {
    const steps = fourStepRoute().steps;
    const swapped = parseRoute({ id: 'swapped', steps: [steps[1], steps[0], steps[2], steps[3]] });
    const v1 = await verifyCase(final, swapped, { signing });
    expect(v1.valid).toBe(false);
    expect(v1.steps.slice(0, 2).map((s) => s.status)).toEqual(['mismatch', 'mismatch']);
    const other = parseRoute({ id: 'other', steps: [steps[0], steps[1], { id: 'leader', kind: 'approve', assignee: { by: 'citizenId', value: IDS.clerk } }, steps[3]] });
    const v2 = await verifyCase(final, other, { signing });
    expect(v2.valid).toBe(false);
    expect(v2.problems.join(' ')).toMatch(/Nguyễn Văn An/);
    const longer = parseRoute({ id: 'longer', steps: [...steps.slice(0, 3), { id: 'extra', kind: 'approve', assignee: { by: 'sha256', value: 'ab'.repeat(32) } }, steps[3]] });
    expect((await verifyCase(final, longer, { signing })).valid).toBe(false);
  });

  it('fails when anything changed after the last signature, and reports a partly signed PDF as incomplete', async () => {
    const v = await verifyCase(tamperPageContent(final), record.route, { signing });
    expect(v.valid).toBe(false);
    expect(v.problems.join(' ')).toMatch(/changed/);
    const partial = await verifyCase(afterHead, record.route, { signing });
    expect(partial).toMatchObject({ valid: false, complete: false });
    expect(partial.steps.map((s) => s.status)).toEqual(['signed', 'signed', 'missing', 'missing']);
    expect((await verifyCase(afterHead, record.route, { signing, allowIncomplete: true })).valid).toBe(true);
    expect((await verifyCase(final, record.route, { signing, ...caseVerificationContext(record) })).valid).toBe(true);
  });

  it('passes with the issuing CA as anchor and fails with anchors that do not cover the signers', async () => {
    const v = await verifyCase(final, record.route, { signing, trustAnchors: [certificate('government-ca')], at: clock.now() });
    expect(v.valid).toBe(true); // the issuing CA may serve as the anchor (RFC 5280 §6.1.1(d))
    const strange = await verifyCase(final, record.route, { signing, trustAnchors: [certificate('drafter')], at: clock.now() });
    expect(strange.valid).toBe(false);
  });
});

describe('trustValidator at signing time', () => {
  const route = parseRoute({ id: 'trust', steps: [{ id: 'a', kind: 'approve', assignee: { by: 'citizenId', value: '027080001111' } }, { id: 'b', kind: 'approve', assignee: { by: 'citizenId', value: IDS.drafter } }] });

  it('refuses a revoked certificate when CRLs are checked, and one that does not chain to the anchors', async () => {
    const revokedRoute = parseRoute({ id: 'revoked', steps: [{ id: 'a', kind: 'approve', assignee: { by: 'sha256', value: Buffer.from(await crypto.subtle.digest('SHA-256', certificate('revoked'))).toString('hex') } }] });
    const crl = new CrlRevocationChecker({ crls: [Crl.fromDer(loadFixture('pki', 'government-ca.crl'))] });
    const wf = new Workflow({ store: new MemoryWorkflowStore(), signing, clock, certificateValidator: trustValidator({ trustAnchors: [rootDer()], revocation: crl }) });
    const c = await wf.startCase({ route: revokedRoute, document: draftPdf(), actor: { id: 'u' } });
    await expect(wf.sign(c.id, await signer('revoked'))).rejects.toMatchObject({ code: 'WORKFLOW_CERTIFICATE_INVALID' });
    // Twin: without revocation checking the same certificate chains fine.
    const lax = new Workflow({ store: wf.store, signing, clock, certificateValidator: trustValidator({ trustAnchors: [rootDer()] }) });
    expect((await lax.sign(c.id, await signer('revoked'))).status).toBe('completed');

    // The `trustAnchors` shortcut (and the default pades signing) does the same.
    const wrongAnchor = new Workflow({ store: new MemoryWorkflowStore(), clock, trustAnchors: [certificate('seal')] });
    const r2 = parseRoute({ id: 'w', steps: [route.steps[1]!] });
    const c2 = await wrongAnchor.startCase({ route: r2, document: draftPdf(), actor: { id: 'u' } });
    await expect(wrongAnchor.sign(c2.id, await signer('drafter'))).rejects.toMatchObject({ code: 'WORKFLOW_CERTIFICATE_INVALID' });
    const rightAnchor = new Workflow({ store: wrongAnchor.store, clock, trustAnchors: [rootDer()] });
    expect((await rightAnchor.sign(c2.id, await signer('drafter'))).status).toBe('completed');
  });
});
