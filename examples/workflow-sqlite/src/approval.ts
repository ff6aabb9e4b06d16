// A decision goes through the four steps of a Vietnamese e-office, on a SQLite file:
// the drafter and the head of department initial it (ký nháy), the leader approves it,
// the clerk numbers it and issues it with the agency's seal. Then the PDF alone proves it.
// Usage: node dist/approval.js [draft.pdf] [out.pdf] [approvals.db]
import { readFile, writeFile } from 'node:fs/promises';
import { signerFromPkcs12 } from '@kyso/cms';
import { parseRoute, verifyCase, Workflow, type CaseRecord } from '@kyso/workflow';
import { openSqliteStore } from '@kyso/workflow/sqlite';

const fixtures = new URL('../../../test-fixtures/', import.meta.url);
const [draft = new URL('pdfs/libreoffice-vi.pdf', fixtures), output = 'quyet-dinh.pdf', database = 'approvals.db'] = process.argv.slice(2);
const root = new Uint8Array(await readFile(new URL('pki/root.cer', fixtures))); // the trust anchor, DER
const keyOf = async (name: string) => signerFromPkcs12(new Uint8Array(await readFile(new URL(`pki/${name}.p12`, fixtures))), process.env['KYSO_PASSWORD'] ?? 'kyso');

// Steps are assigned by certificate identity: citizen ID (CCCD) for cadres, the tax code UID for the seal.
const route = parseRoute({
  id: 'qd-ubnd',
  name: 'Quyết định của UBND tỉnh',
  steps: [
    { id: 'drafter', kind: 'initial', assignee: { by: 'citizenId', value: '027190001234' } },
    { id: 'head', kind: 'initial', assignee: { by: 'citizenId', value: '027080005678' } },
    { id: 'leader', kind: 'approve', assignee: { by: 'citizenId', value: '001085012345' }, signature: { placement: { page: 1, x: 320, y: 80, width: 220, height: 70 } } },
    { id: 'clerk', kind: 'issue', assignee: { by: 'uid', value: 'MST:2300000000' }, numbering: { agency: 'UBND', documentType: 'QĐ' } },
  ],
});

const store = await openSqliteStore(database);
const wf = new Workflow({ store, trustAnchors: [root] }); // every signer's chain must reach the root

function show(c: CaseRecord): void {
  const step = c.route.steps[c.stepIndex]?.id ?? '—';
  const signed = c.steps.filter((s) => s.status === 'done').map((s) => `${s.stepId} (${s.signatures.map((x) => x.signer.commonName).join(', ')})`);
  console.log(`${c.status.padEnd(11)} next: ${step.padEnd(7)} signed: ${signed.join(' → ') || '—'}${c.documentNumber ? `  số ${c.documentNumber.symbol}` : ''}`);
}

let c = await wf.startCase({ route, document: new Uint8Array(await readFile(draft)), actor: { id: 'u-drafter', name: 'Trần Thị Bình' }, title: 'Quyết định ban hành quy chế' });
console.log(`case ${c.id} on route ${route.id}`);
show(c);
// Who holds which key: the clerk (Phạm Thị Dung) issues with the agency's seal certificate.
for (const [stepId, key] of [['drafter', 'drafter'], ['head', 'head'], ['leader', 'leader'], ['clerk', 'seal']] as const) {
  c = await wf.sign(c.id, await keyOf(key), { stepId });
  show(c);
}
await store.close();

// Later, another process: reopen the store, export the issued PDF and check it from the PDF alone.
const again = await openSqliteStore(database);
const later = new Workflow({ store: again, trustAnchors: [root] });
const issued = await later.getCase(c.id);
const pdf = await later.getDocument(issued.id);
await writeFile(output, pdf);
const check = await verifyCase(pdf, issued.route, { signing: later.signing, trustAnchors: [root] });
const audit = await later.verifyAudit(issued.id);
await again.close();

for (const s of check.steps) console.log(`  ${s.stepId.padEnd(7)} ${s.status}: ${s.signatures.map((x) => `${x.signer} ${x.indication}`).join(', ')}`);
console.log(`verifyCase: ${check.valid ? 'valid' : 'NOT valid'}${check.problems.length ? ` (${check.problems.join(' ')})` : ''}; audit log: ${audit.entries} entries, ${audit.valid ? 'intact' : `broken at ${audit.brokenAt}`}`);
console.log(`wrote ${output} (${issued.documentNumber?.symbol}) and ${database}`);
process.exitCode = check.valid && audit.valid ? 0 : 1;
