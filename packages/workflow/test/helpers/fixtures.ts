import { readFileSync } from 'node:fs';
import { fixedClock, pemToDer, type Clock } from '@kyso/core';
import { signerFromPem, type Signer } from '@kyso/cms';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { parseRoute, type Route } from '@kyso/workflow';

/** The fixture PKI's time is 2026-12-01; the cadres are valid from 2026-11-01 for five years. */
export const NOW = '2026-12-02T03:00:00.000Z';
export const clock: Clock = fixedClock(NOW);

export const CADRES = ['drafter', 'head', 'leader', 'clerk', 'seal', 'expired', 'revoked', 'government-ca'] as const;
export type Cadre = (typeof CADRES)[number];

/** Citizen IDs (UID=CCCD:…) of the fixture cadres, and the seal's tax code. */
export const IDS = {
  drafter: '027190001234',
  head: '027080005678',
  leader: '001085012345',
  clerk: '027195009876',
  seal: 'MST:2300000000',
} as const;

export function certificate(name: Cadre): Uint8Array {
  return loadFixture('pki', `${name}.cer`);
}

export function rootDer(): Uint8Array {
  return pemToDer(readFileSync(fixturePath('pki', 'root.pem'), 'utf8'), 'CERTIFICATE')[0]!;
}

const signers = new Map<string, Promise<Signer>>();
/** A @kyso/cms signer over the fixture's PEM key, certificate and chain. */
export function signer(name: Cadre): Promise<Signer> {
  let s = signers.get(name);
  if (!s) {
    const dir = (f: string) => readFileSync(fixturePath('pki', f), 'utf8');
    s = signerFromPem(dir(`${name}.key.pem`), dir(`${name}.pem`), dir(`${name}.chain.pem`));
    signers.set(name, s);
  }
  return s;
}

/** A real Vietnamese draft (LibreOffice export). */
export function draftPdf(): Uint8Array {
  return loadFixture('pdfs', 'libreoffice-vi.pdf');
}

/** Another draft, for resubmission. */
export function revisedPdf(): Uint8Array {
  return loadFixture('pdfs', 'pdflib-table.pdf');
}

/** The four-step route of DECREE30.md: drafter initials, head initials, leader approves, clerk issues with the seal. */
export function fourStepRoute(id = 'qd-ubnd'): Route {
  return parseRoute({
    id,
    name: 'Quyết định UBND tỉnh',
    steps: [
      { id: 'drafter', kind: 'initial', title: 'Chuyên viên ký nháy', assignee: { by: 'citizenId', value: IDS.drafter, name: 'Trần Thị Bình' } },
      { id: 'head', kind: 'initial', title: 'Chánh Văn phòng ký nháy', assignee: { by: 'citizenId', value: `CCCD:${IDS.head}` } },
      {
        id: 'leader',
        kind: 'approve',
        title: 'Chủ tịch phê duyệt',
        assignee: { by: 'citizenId', value: IDS.leader, name: 'Nguyễn Văn An' },
        signature: { placement: { page: 1, x: 320, y: 80, width: 220, height: 70 }, reason: 'Phê duyệt quyết định' },
      },
      {
        id: 'clerk',
        kind: 'issue',
        title: 'Văn thư cấp số, đóng dấu',
        assignee: { by: 'uid', value: IDS.seal },
        numbering: { agency: 'UBND', documentType: 'QĐ' },
      },
    ],
  });
}
