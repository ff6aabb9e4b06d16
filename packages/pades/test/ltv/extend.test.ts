import { PdfDocument } from '@kyso/pdf';
import { loadFixture } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDocumentTimestamp, addValidationData, extendPdf, readDss, signLevelOptions, signPdf, verifyPdf, vriKey } from '../../src/index.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { run } from '../helpers/tools.js';
import { pdfsigAsync, startLtvPki, type LtvPki } from './helpers.js';

describe('PAdES B-LT / B-LTA with the testkit TSA, OCSP responder and CRLs on 127.0.0.1', () => {
  let env: LtvPki;
  let nss: NssDb;
  beforeAll(async () => {
    env = await startLtvPki();
    nss = createNssDb([{ nick: 'root', pem: env.rootPem }]);
  });
  afterAll(async () => {
    await env?.close();
  });

  it('addValidationData writes a DSS with the paths, OCSP responses, CRLs and a VRI entry per signature', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.cadres.leader), timeStamper: env.tsa });
    const lt = await addValidationData(signed, { http: env.http, trustAnchors: [env.rootPem] });
    expect(lt.subarray(0, signed.length)).toEqual(signed);
    const doc = PdfDocument.open(lt);
    expect(doc.revisions).toHaveLength(PdfDocument.open(signed).revisions.length + 1);
    const dss = readDss(doc)!;
    expect(dss).not.toBeNull();
    const subjects = await Promise.all(dss.certs.map(async (c) => (await import('@kyso/trust')).Certificate.fromDer(c).subject.commonName));
    for (const id of [env.pki.cadres.leader, env.pki.governmentCa, env.pki.root, env.pki.tsa]) expect(subjects).toContain(id.subject.commonName ?? (id.subjectText.match(/CN=([^,]+)/)?.[1]));
    expect(dss.ocsps.length).toBeGreaterThanOrEqual(2); // the signer and the TSA
    expect(dss.crls.length).toBeGreaterThanOrEqual(1); // the government CA, from the root's CRL
    const sig = (await import('@kyso/pdf')).listSignatures(doc)[0]!;
    const entry = dss.vri.get(await vriKey(sig.contents!));
    expect(entry?.ocsps.length).toBeGreaterThanOrEqual(2);
    expect(entry?.time).toBeInstanceOf(Date);
    // The signature is untouched.
    const report = await verifyPdf(lt, { trustAnchors: [env.rootPem], online: false });
    expect(report.signatures[0]).toMatchObject({ integrity: true, modificationsAfter: 'allowed' });
    // Tamper twin: one byte of the signed content.
    const bad = await verifyPdf(tamper(lt, indexOf(lt, 'Hello')), { trustAnchors: [env.rootPem], online: false });
    expect(bad.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });

  it('extendPdf B-LTA: DSS then a document time-stamp; pdfsig accepts every signature', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.cadres.head), timeStamper: env.tsa });
    const lta = await extendPdf(signed, { level: 'B-LTA', timeStamper: env.tsa, http: env.http, trustAnchors: [env.rootPem] });
    const doc = PdfDocument.open(lta);
    expect(doc.revisions).toHaveLength(PdfDocument.open(signed).revisions.length + 2);
    const report = await verifyPdf(lta, { trustAnchors: [env.rootPem], online: false });
    expect(report.signatures.map((s) => [s.kind, s.integrity])).toEqual([['approval', true], ['document-timestamp', true]]);
    const file = tempFile('lta.pdf', lta);
    expect(run('qpdf', ['--check', file]).status).toBe(0); // the DSS and time-stamp updates are sound PDF
    const ps = await pdfsigAsync(file, nss.spec);
    expect(ps).toHaveLength(2);
    expect(ps[0]).toMatchObject({ valid: true, trusted: true });
    // poppler 22.12 cannot check ETSI.RFC3161 document time-stamps ("Unable to validate this type of signature").
    expect(ps[1]).toMatchObject({ fieldName: 'DocTimeStamp1', validation: 'Signature has not yet been verified.' });
    const bad = tamper(lta, indexOf(lta, 'Hello'));
    const pb = await pdfsigAsync(tempFile('lta-bad.pdf', bad), nss.spec);
    expect(pb[0]).toMatchObject({ valid: false });
    expect((await verifyPdf(bad, { trustAnchors: [env.rootPem], online: false })).signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
  });

  it('signLevelOptions: what signPdf needs for each level, and the step after it (B-LTA end to end); tamper twin', async () => {
    expect(signLevelOptions('B-B').signOptions).toEqual({});
    expect(() => signLevelOptions('B-T')).toThrow(expect.objectContaining({ code: 'BAD_OPTIONS' }));
    expect(() => signLevelOptions('B-X' as 'B-T', env.server.tsaUrl)).toThrow(expect.objectContaining({ code: 'BAD_OPTIONS' }));
    const plan = signLevelOptions('B-LTA', env.server.tsaUrl, env.http);
    const signed = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.cadres.drafter), ...plan.signOptions });
    const lta = await plan.finish(signed, { trustAnchors: [env.rootPem] });
    const r = await verifyPdf(lta, { trustAnchors: [env.rootPem], online: false });
    expect(r.signatures.map((s) => [s.indication, s.level])).toEqual([['TOTAL-PASSED', 'B-LTA'], ['TOTAL-PASSED', null]]);
    const bad = await verifyPdf(tamper(lta, indexOf(lta, 'Hello')), { trustAnchors: [env.rootPem], online: false });
    expect(bad.signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
  });

  it('addDocumentTimestamp alone (PAdES document time-stamp over a signed file)', async () => {
    const signed = await signPdf(minimalPdf(), { signer: await env.signer(env.pki.cadres.clerk) });
    const ts = await addDocumentTimestamp(signed, { timeStamper: env.tsa });
    const report = await verifyPdf(ts, { trustAnchors: [env.rootPem], online: false });
    expect(report.signatures[1]).toMatchObject({ kind: 'document-timestamp', subFilter: 'ETSI.RFC3161', integrity: true });
    const bad = await verifyPdf(tamper(ts, indexOf(ts, 'Hello')), { trustAnchors: [env.rootPem], online: false });
    expect(bad.signatures[1]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE' });
  });
});

describe('extendPdf B-LTA on real-world files (xref streams, object streams, hybrid, linearized, PDF 2.0)', () => {
  let env: LtvPki;
  beforeAll(async () => {
    env = await startLtvPki('kyso-ltv-corpus');
  });
  afterAll(async () => {
    await env?.close();
  });

  it.each(['qpdf-objstm.pdf', 'pdflib-objstm.pdf', 'hybrid-update.pdf', 'qpdf-linearized.pdf', 'qpdf-v20.pdf', 'revisions-3-stream.pdf', 'forms-annots.pdf'])(
    '%s: signed B-T, extended to B-LTA, TOTAL-PASSED offline, qpdf --check clean; tamper twin',
    async (name) => {
      const original = loadFixture('pdfs', name);
      const signed = await signPdf(original, { signer: await env.signer(env.pki.cadres.leader), timeStamper: env.tsa });
      const lta = await extendPdf(signed, { level: 'B-LTA', timeStamper: env.tsa, http: env.http, trustAnchors: [env.rootPem] });
      const r = await verifyPdf(lta, { trustAnchors: [env.rootPem], online: false });
      expect(r.signatures.map((s) => [s.kind, s.indication, s.level, s.errors])).toEqual([
        ['approval', 'TOTAL-PASSED', 'B-LTA', []],
        ['document-timestamp', 'TOTAL-PASSED', null, []],
      ]);
      expect(run('qpdf', ['--check', tempFile(`lta-${name}`, lta)]).status).toBe(0);
      const bad = lta.slice();
      bad[Math.floor(original.length / 2)] ^= 0x01; // inside the original file, covered by both
      expect((await verifyPdf(bad, { trustAnchors: [env.rootPem], online: false })).signatures.map((s) => s.subIndication)).toEqual(['HASH_FAILURE', 'HASH_FAILURE']);
    },
  );
});
