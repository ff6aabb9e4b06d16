import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { APPROVAL_TEMPLATE, buildAppearance } from '../../src/appearance/index.js';
import { loadDefaultFonts } from '../../src/appearance/node/index.js';
import { signPdf, verifyPdf } from '../../src/index.js';
import { indexOf, tamper, tempFile } from '../helpers/files.js';
import { createNssDb, type NssDb } from '../helpers/nss.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { pdfsig } from '../helpers/pdfsig.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { requireTool } from '../helpers/tools.js';
import { expectAllPassed } from '../helpers/verify.js';

describe('signPdf with a Decree 30/2020 appearance (buildAppearance graph)', () => {
  let nss: NssDb;
  beforeAll(() => {
    nss = createNssDb([{ nick: 'root', pem: fixtureRoot().pem }]);
  });

  it('puts the template appearance on the widget; the signature verifies and the Vietnamese text extracts', async () => {
    requireTool('pdftotext');
    const signingTime = new Date('2026-12-02T03:00:00Z');
    const rect = [320, 60, 560, 160] as const;
    const appearance = await buildAppearance(
      APPROVAL_TEMPLATE,
      { signerName: 'Nguyễn Văn An', title: 'Chủ tịch', agency: 'Ủy ban nhân dân tỉnh Bắc Ninh', signingTime },
      { width: rect[2] - rect[0], height: rect[3] - rect[1], fonts: await loadDefaultFonts(), hide: ['signature'] },
    );
    const signed = await signPdf(minimalPdf(), { signer: await fixtureSigner('leader'), signingTime, field: { name: 'ChuTich', page: 0, rect }, appearance });
    expectAllPassed(await verifyPdf(signed, { trustAnchors: [fixtureRoot().pem], time: new Date('2026-12-03T00:00:00Z') }), 1);
    const file = tempFile('template-appearance.pdf', signed);
    expect(pdfsig(file, nss.spec)[0]).toMatchObject({ valid: true, fieldName: 'ChuTich' });
    // Flatten the widget into the page so pdftotext sees the appearance's text.
    const flat = `${file}.flat.pdf`;
    execFileSync('qpdf', ['--flatten-annotations=all', file, flat]);
    const text = execFileSync('pdftotext', [flat, '-'], { encoding: 'utf8' }).normalize('NFC');
    expect(text).toContain('Nguyễn Văn An');
    const bad = await verifyPdf(tamper(signed, indexOf(signed, 'Hello')), { trustAnchors: [fixtureRoot().pem], time: new Date('2026-12-03T00:00:00Z') });
    expect(bad.signatures[0]?.subIndication).toBe('HASH_FAILURE');
  });
});
