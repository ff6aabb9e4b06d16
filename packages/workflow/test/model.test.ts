import { describe, expect, it } from 'vitest';
import {
  describeAssignee,
  formatDocumentNumber,
  GENESIS_HASH,
  identityMatches,
  padesDocumentSigning,
  parseRoute,
  readCertificateIdentity,
  sealAuditEntry,
  verifyAuditChain,
  vietnamYear,
  type AuditEntry,
} from '@kyso/workflow';
import { loadFixture } from '@kyso/test-fixtures';
import { certificate, draftPdf, fourStepRoute, IDS, NOW } from './helpers/fixtures.js';

describe('parseRoute', () => {
  it('accepts the four-step route as JSON text and freezes it', () => {
    const r = parseRoute(JSON.stringify(fourStepRoute()));
    expect(r.steps.map((s) => `${s.id}:${s.kind}`)).toEqual(['drafter:initial', 'head:initial', 'leader:approve', 'clerk:issue']);
    expect(Object.isFrozen(r.steps[2]!.signature)).toBe(true);
  });

  it.each([
    [{ id: 'r', steps: [] }, /non-empty array/],
    ['{not json', /not valid JSON/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'sign', assignee: { by: 'email', value: 'a@b' } }] }, /kind must be one of/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'approve', assignee: { by: 'email', value: 'a@b' } }, { id: 'a', kind: 'approve', assignee: { by: 'email', value: 'a@b' } }] }, /unique/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'approve' }] }, /assignee must be an object/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'approve', assignee: { by: 'sha256', value: 'abc' } }] }, /64 hex digits/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'cosign', assignee: { by: 'email', value: 'a@b' } }] }, /assignees must list/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'cosign', mode: 'some-of', assignees: [{ by: 'email', value: 'a@b' }] }] }, /all-of/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'issue', assignee: { by: 'email', value: 'a@b' } }] }, /numbering is required/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'issue', assignee: { by: 'email', value: 'a@b' }, numbering: { agency: 'U', documentType: 'QĐ' } }, { id: 'b', kind: 'approve', assignee: { by: 'email', value: 'a@b' } }] }, /must be the last step/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'approve', assignee: { by: 'email', value: 'a@b' }, signature: { placement: { page: 0, x: 0, y: 0, width: 10, height: 10 } } }] }, /page must be/],
    [{ id: 'r', steps: [{ id: 'a', kind: 'approve', assignee: { by: 'email', value: 'a@b' }, signature: { fieldName: 'a b' } }] }, /fieldName/],
  ])('refuses a malformed route (%#) with WORKFLOW_INVALID_ROUTE', (input, message) => {
    expect(() => parseRoute(input)).toThrow(message);
    try {
      parseRoute(input);
    } catch (e) {
      expect((e as { code: string }).code).toBe('WORKFLOW_INVALID_ROUTE');
    }
  });
});

describe('document numbers (Decree 30/2020 Art. 15)', () => {
  it('pads numbers below 10 to two digits and appends the symbol', () => {
    const n = { agency: 'UBND', documentType: 'QĐ' };
    expect(formatDocumentNumber(1, n)).toBe('01/QĐ-UBND');
    expect(formatDocumentNumber(9, n)).toBe('09/QĐ-UBND');
    expect(formatDocumentNumber(15, n)).toBe('15/QĐ-UBND');
    expect(formatDocumentNumber(120, { ...n, symbol: 'UBND-VP' })).toBe('120/UBND-VP');
    expect(() => formatDocumentNumber(0, n)).toThrow(RangeError);
  });

  it('counts the year in Vietnam time (UTC+7)', () => {
    expect(vietnamYear(new Date('2026-12-31T16:59:59Z'))).toBe(2026);
    expect(vietnamYear(new Date('2026-12-31T17:00:00Z'))).toBe(2027);
  });
});

describe('certificate identities', () => {
  it('reads the cadre UID, name and fingerprint and matches assignees by them', async () => {
    const id = await readCertificateIdentity(certificate('leader'));
    expect(id).toMatchObject({ commonName: 'Nguyễn Văn An', uid: `CCCD:${IDS.leader}` });
    expect(id.certificateSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(id.emails.length).toBeGreaterThan(0);
    expect(identityMatches(id, { by: 'citizenId', value: IDS.leader })).toBe(true);
    expect(identityMatches(id, { by: 'citizenId', value: `CCCD:${IDS.leader}` })).toBe(true);
    expect(identityMatches(id, { by: 'uid', value: `CCCD:${IDS.leader}` })).toBe(true);
    expect(identityMatches(id, { by: 'sha256', value: id.certificateSha256.toUpperCase().match(/../g)!.join(':') })).toBe(true);
    expect(identityMatches(id, { by: 'email', value: id.emails[0]!.toUpperCase() })).toBe(true);
    // Twins: near misses do not match.
    expect(identityMatches(id, { by: 'citizenId', value: IDS.head })).toBe(false);
    expect(identityMatches(id, { by: 'uid', value: IDS.leader })).toBe(false);
    expect(identityMatches(id, { by: 'citizenId', value: IDS.leader.slice(1) })).toBe(false);
    expect(identityMatches(id, { by: 'role', role: 'chu-tich' })).toBe(false);
    expect(describeAssignee({ by: 'citizenId', value: IDS.leader, name: 'Nguyễn Văn An' })).toBe(`citizenId ${IDS.leader} (Nguyễn Văn An)`);
  });

  it('refuses bytes that are not a certificate with WORKFLOW_BAD_INPUT', async () => {
    await expect(readCertificateIdentity(new Uint8Array([1, 2, 3]))).rejects.toMatchObject({ code: 'WORKFLOW_BAD_INPUT' });
  });

  it('signs with the algorithm the key calls for when the request names none: RSA, ECDSA P-256 and P-384', async () => {
    const route = fourStepRoute();
    const digestFor = async (who: string) => {
      const der = loadFixture('pki', `${who}.cer`);
      const prepared = await padesDocumentSigning().prepare({
        pdf: draftPdf(),
        signerCertificate: der,
        chain: [],
        route,
        step: route.steps[2]!,
        existingSignatures: 1,
        fieldName: 'Sig1',
        reason: 'Phê duyệt',
        signingTime: new Date(NOW),
        documentNumber: null,
      });
      return prepared.digestAlgorithm;
    };
    expect(await digestFor('leader')).toBe('SHA-256');
    expect(await digestFor('leader-p256')).toBe('SHA-256');
    expect(await digestFor('leader-p384')).toBe('SHA-384');
  });
});

describe('audit chain', () => {
  async function chain(n: number): Promise<AuditEntry[]> {
    const out: AuditEntry[] = [];
    let prev = GENESIS_HASH;
    let doc: string | null = null;
    for (let i = 1; i <= n; i++) {
      const after = String(i).repeat(64).slice(0, 64);
      const e = await sealAuditEntry({ caseId: 'c', seq: i, at: `2026-12-0${i}T00:00:00Z`, actor: { id: 'u' }, action: i === 1 ? 'create' : 'sign', stepId: null, round: 1, documentBefore: doc, documentAfter: after, details: {}, previousHash: prev });
      out.push(e);
      prev = e.hash;
      doc = after;
    }
    return out;
  }

  it('verifies an intact chain and finds every kind of break', async () => {
    const log = await chain(4);
    expect(await verifyAuditChain(log, log.at(-1)!.hash)).toMatchObject({ valid: true, entries: 4, head: log.at(-1)!.hash });
    expect((await verifyAuditChain([log[0]!, log[2]!, log[3]!])).brokenAt).toBe(3); // removed
    expect((await verifyAuditChain([log[1]!, log[0]!]))).toMatchObject({ valid: false });
    expect((await verifyAuditChain(log.map((e, i) => (i === 1 ? { ...e, at: '2020-01-01T00:00:00Z' } : e)))).brokenAt).toBe(2); // edited
    expect((await verifyAuditChain(log.slice(0, 3), log.at(-1)!.hash)).valid).toBe(false); // truncated
    const resealed = await sealAuditEntry({ ...log[1]!, documentBefore: 'f'.repeat(64) }); // consistent hash, inconsistent documents
    expect((await verifyAuditChain([log[0]!, resealed])).reason).toMatch(/starts from document/);
  });
});
