// Sign a PDF with a PKCS#12 key, then verify every signature in it.
// Usage: node dist/sign-verify.js [in.pdf] [out.pdf]   (the key and root default to the test PKI)
import { readFile, writeFile } from 'node:fs/promises';
import { signerFromPkcs12 } from '@kyso/cms';
import { signPdf, verifyPdf } from '@kyso/pades';

const pki = new URL('../../../test-fixtures/pki/', import.meta.url);
const [input = new URL('../../../test-fixtures/pdfs/libreoffice-vi.pdf', import.meta.url), output = 'signed.pdf'] = process.argv.slice(2);
const p12 = process.env['KYSO_P12'] ?? new URL('leader.p12', pki);
const root = process.env['KYSO_TRUST'] ?? new URL('root.pem', pki);

const signer = await signerFromPkcs12(new Uint8Array(await readFile(p12)), process.env['KYSO_PASSWORD'] ?? 'kyso');
const signed = await signPdf(new Uint8Array(await readFile(input)), { signer, reason: 'Phê duyệt', location: 'Bắc Ninh' });
await writeFile(output, signed);

const report = await verifyPdf(new Uint8Array(await readFile(output)), { trustAnchors: [await readFile(root, 'utf8')] });
for (const s of report.signatures) {
  console.log(`${s.field}: ${s.signer?.commonName} — ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}, ${s.modificationsAfter === 'none' ? 'unchanged since signing' : `${s.modificationsAfter} changes after signing`}`);
}
process.exitCode = report.signatures.every((s) => s.indication === 'TOTAL-PASSED') ? 0 : 1;
