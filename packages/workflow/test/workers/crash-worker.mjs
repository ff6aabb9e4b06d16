// Signs the current step of a case and is killed (SIGKILL, by the test) after the PDF is
// signed and before the store commits it.
import { engine, loadSigner, openStore } from './common.mjs';

const [locator, pkiDir, caseId, signerName] = process.argv.slice(2);
const store = await openStore(locator);
const wf = engine(store, {
  async beforeCommit({ record }) {
    const signed = await wf.store.getDocument(record.document);
    process.send({ signedDocument: record.document, alreadyStored: signed !== undefined, version: record.version });
    await new Promise(() => {}); // wait here until killed
  },
});
await wf.sign(caseId, await loadSigner(pkiDir, signerName));
process.send({ committed: true }, () => process.exit(0));
