// The behavioural suite of the approval engine, run on every store: memory, SQLite, PostgreSQL.
import { fixedClock, isKysoError, type Clock } from '@kyso/core';
import { signPdf } from '@kyso/pades';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caseVerificationContext,
  padesDocumentSigning,
  parseRoute,
  verifyAuditChain,
  verifyCase,
  Workflow,
  type CaseRecord,
  type WorkflowOptions,
  type WorkflowStore,
} from '@kyso/workflow';
import { certificate, clock, draftPdf, fourStepRoute, IDS, NOW, revisedPdf, signer } from './helpers/fixtures.js';
import { ALL_KINDS } from './helpers/stores.js';
import { rewriteEarlierByte, tamperPageContent } from './helpers/tamper.js';

const signing = padesDocumentSigning();
const actor = { id: 'u-drafter', name: 'Trần Thị Bình' };

/** Expects `p` to reject with a KysoError of `code`; returns the error. */
async function rejects(p: Promise<unknown>, code: string): Promise<Error> {
  try {
    await p;
  } catch (e) {
    if (!isKysoError(e)) throw e;
    expect(e.code, e.message).toBe(code);
    return e;
  }
  throw new Error(`expected ${code}, but the action succeeded`);
}

for (const kind of ALL_KINDS) {
  const k = kind();
  describe(`workflow on the ${k.name} store`, () => {
    let store: WorkflowStore;
    const engine = (opts: Partial<WorkflowOptions> = {}, s: WorkflowStore = store) => new Workflow({ store: s, signing, clock, ...opts });

    beforeAll(async () => {
      await k.setup();
      store = await k.create();
    });
    afterAll(async () => {
      await k.teardown();
    });

    /** Asserts a refused action changed nothing: same version, audit head, document. */
    async function unchanged(before: CaseRecord): Promise<void> {
      const now = await store.getCase(before.id);
      expect(now?.version).toBe(before.version);
      expect(now?.audit).toEqual(before.audit);
      expect(now?.document).toBe(before.document);
    }

    it('runs the four-step route: initials, initials, approval, issuance with number 01/QĐ-UBND', async () => {
      const wf = engine();
      const draft = draftPdf();
      let c = await wf.startCase({ route: fourStepRoute('four-a'), document: draft, actor, title: 'Quyết định về việc ban hành quy chế' });
      expect(c).toMatchObject({ status: 'in-progress', round: 1, stepIndex: 0, version: 1 });
      for (const [i, who] of (['drafter', 'head', 'leader', 'seal'] as const).entries()) {
        c = await wf.sign(c.id, await signer(who));
        expect(c.stepIndex).toBe(i + 1);
      }
      expect(c.status).toBe('completed');
      expect(c.documentNumber).toMatchObject({ number: 1, symbol: '01/QĐ-UBND', agency: 'UBND', documentType: 'QĐ', year: 2026 });
      expect(c.steps.map((s) => s.signatures.map((x) => x.signer.commonName))).toEqual([['Trần Thị Bình'], ['Lê Văn Cường'], ['Nguyễn Văn An'], ['Ủy ban nhân dân tỉnh Bắc Ninh']]);

      // Every version is kept, content-addressed, and each is a prefix of the next.
      const versions = [c.draft, ...c.steps.map((s) => s.signatures[0]!.documentAfter)];
      let prev: Uint8Array | undefined;
      for (const sha of versions) {
        const bytes = await wf.getDocument(c.id, sha);
        if (prev) expect(Buffer.from(bytes.subarray(0, prev.length)).equals(Buffer.from(prev))).toBe(true);
        prev = bytes;
      }
      expect(Buffer.from((await wf.getDocument(c.id, c.draft))).equals(Buffer.from(draft))).toBe(true);

      const final = await wf.getDocument(c.id);
      const v = await verifyCase(final, c.route, { signing, ...caseVerificationContext(c) });
      expect(v.problems).toEqual([]);
      expect(v).toMatchObject({ valid: true, complete: true });
      expect(v.steps.map((s) => s.status)).toEqual(['signed', 'signed', 'signed', 'signed']);

      const log = await wf.getAuditLog(c.id);
      expect(log.map((e) => e.action)).toEqual(['create', 'sign', 'sign', 'sign', 'sign']);
      expect(log.at(-1)!.details['documentNumber']).toBe('01/QĐ-UBND');
      expect((await wf.verifyAudit(c.id)).valid).toBe(true);
      // Tamper twin: an altered entry breaks the chain.
      const forged = log.map((e, i) => (i === 2 ? { ...e, actor: { id: 'someone-else' } } : e));
      expect(await verifyAuditChain(forged)).toMatchObject({ valid: false, brokenAt: 3 });
      expect(await verifyAuditChain(log.slice(0, -1), c.audit.head)).toMatchObject({ valid: false });
    });

    it('stages a signature: beginSign gives the data and digest, completeSign takes the value; a token works once', async () => {
      const wf = engine();
      const c = await wf.startCase({ route: fourStepRoute('staged'), document: draftPdf(), actor });
      const drafter = await signer('drafter');
      const b = await wf.beginSign(c.id, 'drafter', drafter.certificate);
      expect(b.digestToSign.length).toBe(32);
      expect(b.digestAlgorithm).toBe('SHA-256');
      expect(Buffer.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b.dataToSign))).equals(Buffer.from(b.digestToSign))).toBe(true);
      const value = await drafter.sign(b.dataToSign);
      // Another engine (another server) completes it.
      const other = engine({}, await k.reopen(store));
      const done = await other.completeSign(b.token, value);
      expect(done.stepIndex).toBe(1);
      await rejects(other.completeSign(b.token, value), 'WORKFLOW_NOT_FOUND');
    });

    it('purges the pending signatures that expired, and only those; an expired token cannot be completed', async () => {
      const wf = engine({ pendingTtlMs: 60_000 });
      const c = await wf.startCase({ route: fourStepRoute('purge'), document: draftPdf(), actor });
      const drafter = await signer('drafter');
      const old = await wf.beginSign(c.id, 'drafter', drafter.certificate);
      const later = engine({ clock: fixedClock(new Date(Date.parse(NOW) + 120_000).toISOString()), pendingTtlMs: 60_000 });
      const fresh = await later.beginSign(c.id, 'drafter', drafter.certificate);
      expect(await later.purgeExpiredSignatures()).toBe(1);
      expect(await later.purgeExpiredSignatures()).toBe(0);
      await rejects(later.completeSign(old.token, await drafter.sign(old.dataToSign)), 'WORKFLOW_NOT_FOUND');
      expect((await later.completeSign(fresh.token, await drafter.sign(fresh.dataToSign))).stepIndex).toBe(1);
    });

    it('refuses a signature value made with another key (WORKFLOW_BAD_SIGNATURE) and changes nothing', async () => {
      const wf = engine();
      const c = await wf.startCase({ route: fourStepRoute('badsig'), document: draftPdf(), actor });
      const b = await wf.beginSign(c.id, 'drafter', certificate('drafter'));
      const wrongValue = await (await signer('head')).sign(b.dataToSign);
      await rejects(wf.completeSign(b.token, wrongValue), 'WORKFLOW_BAD_SIGNATURE');
      await unchanged(c);
      // Twin: the right key goes through.
      await wf.completeSign(b.token, await (await signer('drafter')).sign(b.dataToSign));
    });

    it('refuses the wrong signer, out-of-order steps and a second signature of a step, changing nothing', async () => {
      const wf = engine();
      let c = await wf.startCase({ route: fourStepRoute('rules'), document: draftPdf(), actor });
      const e1 = await rejects(wf.sign(c.id, await signer('head'), { stepId: 'drafter' }), 'WORKFLOW_WRONG_SIGNER');
      expect(e1.message).toContain('Lê Văn Cường');
      await rejects(wf.sign(c.id, await signer('leader'), { stepId: 'leader' }), 'WORKFLOW_OUT_OF_ORDER');
      await rejects(wf.beginSign(c.id, 'head', certificate('head')), 'WORKFLOW_OUT_OF_ORDER');
      await unchanged(c);
      c = await wf.sign(c.id, await signer('drafter'));
      await rejects(wf.sign(c.id, await signer('drafter'), { stepId: 'drafter' }), 'WORKFLOW_ALREADY_SIGNED');
      await rejects(wf.sign(c.id, await signer('drafter')), 'WORKFLOW_WRONG_SIGNER'); // current step is the head's
      await unchanged(c);
    });

    it('refuses an expired certificate and an untrusted one (validator) at signing time', async () => {
      const route = parseRoute({ id: 'expired', steps: [{ id: 'a', kind: 'approve', assignee: { by: 'citizenId', value: '027075004321' } }] });
      const wf = engine();
      const c = await wf.startCase({ route, document: draftPdf(), actor });
      await rejects(wf.sign(c.id, await signer('expired')), 'WORKFLOW_CERTIFICATE_INVALID');
      await unchanged(c);
      // Twin: on a day when it was valid, the same signer goes through.
      const earlier: Clock = fixedClock('2026-06-01T00:00:00Z');
      expect((await engine({ clock: earlier }).sign(c.id, await signer('expired'))).status).toBe('completed');

      const c2 = await wf.startCase({ route: fourStepRoute('untrusted'), document: draftPdf(), actor });
      const distrust = engine({ certificateValidator: { validate: async () => ({ valid: false, reason: 'no path to a trust anchor' }) } });
      const e = await rejects(distrust.sign(c2.id, await signer('drafter')), 'WORKFLOW_CERTIFICATE_INVALID');
      expect(e.message).toContain('no path to a trust anchor');
      await unchanged(c2);
    });

    it('gives exactly one success and one WORKFLOW_CONFLICT when the same step is submitted twice at once', async () => {
      const wf1 = engine();
      const wf2 = engine({}, await k.reopen(store));
      const c = await wf1.startCase({ route: fourStepRoute('race'), document: draftPdf(), actor });
      const drafter = await signer('drafter');
      const [b1, b2] = await Promise.all([wf1.beginSign(c.id, 'drafter', drafter.certificate), wf2.beginSign(c.id, 'drafter', drafter.certificate)]);
      const [v1, v2] = await Promise.all([drafter.sign(b1.dataToSign), drafter.sign(b2.dataToSign)]);
      const results = await Promise.allSettled([wf1.completeSign(b1.token, v1), wf2.completeSign(b2.token, v2)]);
      const ok = results.filter((r) => r.status === 'fulfilled');
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(1);
      expect(failed).toHaveLength(1);
      expect((failed[0]!.reason as { code: string }).code).toBe('WORKFLOW_CONFLICT');
      const now = await wf1.getCase(c.id);
      expect(now).toMatchObject({ version: 2, stepIndex: 1 });
      expect((await wf1.getAuditLog(c.id)).length).toBe(2);
      expect((await wf1.verifyAudit(c.id)).valid).toBe(true);
    });

    it('accepts a PDF signed elsewhere for the step, and refuses one with a disallowed change or rewritten bytes', async () => {
      const wf = engine();
      let c = await wf.startCase({ route: fourStepRoute('external'), document: draftPdf(), actor });
      c = await wf.sign(c.id, await signer('drafter'));
      const current = await wf.getDocument(c.id);
      const head = await signer('head');

      const tampered = await signPdf(tamperPageContent(current), { signer: head, field: 'head', clock });
      const e = await rejects(wf.submitSignedDocument(c.id, tampered), 'WORKFLOW_DISALLOWED_CHANGE');
      expect(e.message).toMatch(/drafter/);
      const rewritten = rewriteEarlierByte(await signPdf(current, { signer: head, field: 'head', clock }));
      await rejects(wf.submitSignedDocument(c.id, rewritten), 'WORKFLOW_DISALLOWED_CHANGE');
      const unsignedChange = tamperPageContent(current);
      await rejects(wf.submitSignedDocument(c.id, unsignedChange), 'WORKFLOW_DISALLOWED_CHANGE');
      const byLeader = await signPdf(current, { signer: await signer('leader'), field: 'head', clock });
      await rejects(wf.submitSignedDocument(c.id, byLeader), 'WORKFLOW_WRONG_SIGNER');
      await unchanged(c);

      // Twin: the honest signed PDF is accepted.
      const honest = await signPdf(current, { signer: head, field: 'head', clock });
      c = await wf.submitSignedDocument(c.id, honest);
      expect(c.stepIndex).toBe(2);
      expect(c.steps[1]!.signatures[0]!.signer.commonName).toBe('Lê Văn Cường');
    });

    it('returns to an earlier step with a reason (document reverts, new round, history kept) and completes again', async () => {
      const wf = engine();
      let c = await wf.startCase({ route: fourStepRoute('reject'), document: draftPdf(), actor });
      c = await wf.sign(c.id, await signer('drafter'));
      const afterDrafter = c.document;
      c = await wf.sign(c.id, await signer('head'));
      await rejects(wf.reject(c.id, { actor: { id: 'leader' }, reason: ' ' }), 'WORKFLOW_BAD_INPUT');
      await rejects(wf.reject(c.id, { actor: { id: 'leader' }, reason: 'x', toStepId: 'clerk' }), 'WORKFLOW_OUT_OF_ORDER');
      c = await wf.reject(c.id, { actor: { id: 'leader', name: 'Nguyễn Văn An' }, reason: 'Sửa điều 3', toStepId: 'head' });
      expect(c).toMatchObject({ round: 2, stepIndex: 1, document: afterDrafter });
      expect(c.history).toHaveLength(1);
      expect(c.history[0]).toMatchObject({ round: 1, endedBy: 'return', reason: 'Sửa điều 3' });
      expect(c.history[0]!.steps[1]!.signatures).toHaveLength(1);
      expect(c.steps[0]!.signatures).toHaveLength(1);
      expect(c.steps[1]!.signatures).toHaveLength(0);
      for (const who of ['head', 'leader', 'seal'] as const) c = await wf.sign(c.id, await signer(who));
      expect(c.status).toBe('completed');
      expect(c.steps[1]!.signatures[0]!.fieldName).toBe('head-r2');
      const v = await verifyCase(await wf.getDocument(c.id), c.route, { signing, ...caseVerificationContext(c) });
      expect(v.problems).toEqual([]);
      const log = await wf.getAuditLog(c.id);
      expect(log.map((x) => x.action)).toEqual(['create', 'sign', 'sign', 'reject', 'sign', 'sign', 'sign']);
      expect(log[3]!.details).toMatchObject({ reason: 'Sửa điều 3', toStep: 'head' });
      expect((await verifyAuditChain(log, c.audit.head)).valid).toBe(true);
    });

    it('resubmits a revised draft only when no signature stands in the round', async () => {
      const wf = engine();
      let c = await wf.startCase({ route: fourStepRoute('resubmit'), document: draftPdf(), actor });
      c = await wf.sign(c.id, await signer('drafter'));
      await rejects(wf.resubmit(c.id, { actor, document: revisedPdf() }), 'WORKFLOW_NOT_ALLOWED');
      c = await wf.reject(c.id, { actor: { id: 'head' }, reason: 'Thiếu căn cứ pháp lý' });
      expect(c).toMatchObject({ round: 2, stepIndex: 0 });
      await rejects(wf.resubmit(c.id, { actor, document: new TextEncoder().encode('not a pdf') }), 'WORKFLOW_BAD_INPUT');
      const firstDraft = c.draft;
      c = await wf.resubmit(c.id, { actor, document: revisedPdf(), note: 'Đã bổ sung căn cứ' });
      expect(c).toMatchObject({ round: 3, stepIndex: 0 });
      expect(c.draft).not.toBe(firstDraft);
      expect(c.history.map((h) => h.endedBy)).toEqual(['return', 'resubmit']);
      // The old draft is still in the store.
      expect((await wf.getDocument(c.id, firstDraft)).length).toBeGreaterThan(0);
      for (const who of ['drafter', 'head', 'leader', 'seal'] as const) c = await wf.sign(c.id, await signer(who));
      expect(c.status).toBe('completed');
      expect((await wf.verifyAudit(c.id)).valid).toBe(true);
    });

    it('withdraws a case: afterwards every action is refused with WORKFLOW_CASE_CLOSED', async () => {
      const wf = engine();
      let c = await wf.startCase({ route: fourStepRoute('withdraw'), document: draftPdf(), actor });
      c = await wf.withdraw(c.id, { actor, reason: 'Không ban hành nữa' });
      expect(c.status).toBe('withdrawn');
      await rejects(wf.sign(c.id, await signer('drafter')), 'WORKFLOW_CASE_CLOSED');
      await rejects(wf.reject(c.id, { actor, reason: 'x' }), 'WORKFLOW_CASE_CLOSED');
      await rejects(wf.withdraw(c.id, { actor, reason: 'again' }), 'WORKFLOW_CASE_CLOSED');
      await unchanged(c);
    });

    it('a withdrawn case gives back the number its begun issuance drew, unless a later number was drawn', async () => {
      const wf = engine();
      /** A case of its own route at the issue step, its issuance begun: the number drawn. */
      const issuing = async (id: string) => {
        let c = await wf.startCase({ route: fourStepRoute(`numbers-${id}`), document: draftPdf(), actor });
        for (const who of ['drafter', 'head', 'leader'] as const) c = await wf.sign(c.id, await signer(who));
        return { id: c.id, number: (await wf.beginSign(c.id, null, certificate('seal'))).documentNumber!.number };
      };
      const a = await issuing('a');
      await wf.withdraw(a.id, { actor, reason: 'Không ban hành nữa' });
      const b = await issuing('b');
      expect(b.number).toBe(a.number); // given back: the numbers stay consecutive
      // Twin: a number with a later one after it stays taken (giving it back would leave a gap elsewhere).
      const c = await issuing('c');
      expect(c.number).toBe(b.number + 1);
      await wf.withdraw(b.id, { actor, reason: 'Không ban hành nữa' });
      expect((await issuing('d')).number).toBe(c.number + 1);
    });

    it('delegates a step with a recorded reason: the delegate signs, the original assignee no longer can', async () => {
      const wf = engine();
      let c = await wf.startCase({ route: fourStepRoute('delegate'), document: draftPdf(), actor });
      for (const who of ['drafter', 'head'] as const) c = await wf.sign(c.id, await signer(who));
      await rejects(wf.delegate(c.id, { actor, stepId: 'drafter', to: { by: 'citizenId', value: IDS.clerk }, reason: 'x' }), 'WORKFLOW_ALREADY_SIGNED');
      await rejects(wf.delegate(c.id, { actor, stepId: 'leader', to: { by: 'nobody', value: 'x' }, reason: 'x' }), 'WORKFLOW_INVALID_ROUTE');
      c = await wf.delegate(c.id, { actor: { id: 'leader' }, stepId: 'leader', to: { by: 'citizenId', value: IDS.clerk, name: 'Phạm Thị Dung' }, reason: 'Chủ tịch đi công tác, ủy quyền' });
      expect(c.delegations).toHaveLength(1);
      await rejects(wf.sign(c.id, await signer('leader')), 'WORKFLOW_WRONG_SIGNER');
      c = await wf.sign(c.id, await signer('clerk'));
      c = await wf.sign(c.id, await signer('seal'));
      expect(c.status).toBe('completed');
      const pdf = await wf.getDocument(c.id);
      expect((await verifyCase(pdf, c.route, { signing, ...caseVerificationContext(c) })).valid).toBe(true);
      // Without the delegation the PDF does not match the route.
      const strict = await verifyCase(pdf, c.route, { signing });
      expect(strict.valid).toBe(false);
      expect(strict.steps[2]!.status).toBe('mismatch');
      expect((await wf.getAuditLog(c.id)).find((e) => e.action === 'delegate')!.details['reason']).toBe('Chủ tịch đi công tác, ủy quyền');
    });

    it('co-signs all-of in any order and any-of with one signature; no one co-signs twice', async () => {
      const route = parseRoute({
        id: 'cosign',
        steps: [
          { id: 'drafter', kind: 'initial', assignee: { by: 'citizenId', value: IDS.drafter } },
          { id: 'board', kind: 'cosign', mode: 'all-of', assignees: [{ by: 'citizenId', value: IDS.head }, { by: 'citizenId', value: IDS.leader }] },
          { id: 'either', kind: 'cosign', mode: 'any-of', assignees: [{ by: 'citizenId', value: IDS.head }, { by: 'email', value: 'nobody@example.vn' }] },
        ],
      });
      const wf = engine();
      let c = await wf.startCase({ route, document: draftPdf(), actor });
      c = await wf.sign(c.id, await signer('drafter'));
      c = await wf.sign(c.id, await signer('leader'));
      expect(c.stepIndex).toBe(1);
      expect(c.steps[1]!.status).toBe('pending');
      await rejects(wf.sign(c.id, await signer('leader')), 'WORKFLOW_ALREADY_SIGNED');
      await rejects(wf.sign(c.id, await signer('clerk')), 'WORKFLOW_WRONG_SIGNER');
      c = await wf.sign(c.id, await signer('head'));
      expect(c.stepIndex).toBe(2);
      c = await wf.sign(c.id, await signer('head'));
      expect(c.status).toBe('completed');
      expect(c.steps[1]!.signatures.map((s) => s.fieldName)).toEqual(['board-1', 'board-2']);
      const v = await verifyCase(await wf.getDocument(c.id), route, { signing });
      expect(v.problems).toEqual([]);
      expect(v.valid).toBe(true);
    });

    it('numbers documents per agency, type and Vietnam calendar year, atomically and once per case', async () => {
      const route = (id: string, documentType: string) =>
        parseRoute({ id, steps: [{ id: 'clerk', kind: 'issue', assignee: { by: 'uid', value: IDS.seal }, numbering: { agency: 'UBND', documentType, symbol: `${documentType}-UBND` } }] });
      const s = await k.create();
      const wf = engine({}, s);
      const seal = await signer('seal');
      const issue = async (r: ReturnType<typeof route>, w = wf) => (await w.sign((await w.startCase({ route: r, document: draftPdf(), actor })).id, seal)).documentNumber!.symbol;
      expect(await issue(route('n1', 'QĐ'))).toBe('01/QĐ-UBND');
      expect(await issue(route('n2', 'QĐ'))).toBe('02/QĐ-UBND');
      expect(await issue(route('n3', 'CV'))).toBe('01/CV-UBND');
      // A retried issuance keeps its number.
      const c = await wf.startCase({ route: route('n4', 'QĐ'), document: draftPdf(), actor });
      const b1 = await wf.beginSign(c.id, 'clerk', seal.certificate);
      const b2 = await wf.beginSign(c.id, 'clerk', seal.certificate);
      expect(b1.documentNumber?.symbol).toBe('03/QĐ-UBND');
      expect(b2.documentNumber?.symbol).toBe('03/QĐ-UBND');
      expect((await wf.completeSign(b2.token, await seal.sign(b2.dataToSign))).documentNumber?.number).toBe(3);
      // 1 January 2027 00:30 in Hà Nội is still 2026 in UTC: numbering restarts at 01.
      const newYear = engine({ clock: fixedClock('2026-12-31T17:30:00Z') }, s);
      expect(await issue(route('n5', 'QĐ'), newYear)).toBe('01/QĐ-UBND');
      // Ten concurrent issuances draw ten different numbers.
      const cases = await Promise.all(Array.from({ length: 10 }, () => wf.startCase({ route: route('n6', 'TB'), document: draftPdf(), actor })));
      const begun = await Promise.all(cases.map((x) => wf.beginSign(x.id, 'clerk', seal.certificate)));
      expect(new Set(begun.map((b) => b.documentNumber!.number)).size).toBe(10);
      expect(Math.max(...begun.map((b) => b.documentNumber!.number))).toBe(10);
    });

    it('resolves role assignees through resolveRole', async () => {
      const route = parseRoute({ id: 'roles', steps: [{ id: 'leader', kind: 'approve', assignee: { by: 'role', role: 'chu-tich' } }] });
      const wf = engine({ resolveRole: (role) => (role === 'chu-tich' ? [{ by: 'citizenId', value: IDS.leader }] : []) });
      const c = await wf.startCase({ route, document: draftPdf(), actor });
      await rejects(wf.sign(c.id, await signer('head')), 'WORKFLOW_WRONG_SIGNER');
      await rejects(engine().sign(c.id, await signer('leader')), 'WORKFLOW_BAD_INPUT'); // no resolver configured
      expect((await wf.sign(c.id, await signer('leader'))).status).toBe('completed');
    });

    it('keeps document versions immutable and case ids unique', async () => {
      const wf = engine();
      const c = await wf.startCase({ route: fourStepRoute('ids'), document: draftPdf(), actor, id: 'case-fixed-1' });
      await rejects(wf.startCase({ route: fourStepRoute('ids'), document: revisedPdf(), actor, id: 'case-fixed-1' }), 'WORKFLOW_CONFLICT');
      expect((await wf.getCase('case-fixed-1')).draft).toBe(c.draft);
      await rejects(wf.getCase('nope'), 'WORKFLOW_NOT_FOUND');
      await rejects(wf.startCase({ route: { id: 'bad', steps: [] }, document: draftPdf(), actor }), 'WORKFLOW_INVALID_ROUTE');
      await rejects(wf.startCase({ route: fourStepRoute('x'), document: draftPdf(), actor: { id: '' } }), 'WORKFLOW_BAD_INPUT');
    });
  });
}
