// Staged signing (DESIGN.md decision 4): this process prepares the PDF and never sees the key;
// another process signs the digest; the state travels as JSON; the PDF is finished and verified.
// Usage: node dist/remote-signing.js [in.pdf] [out.pdf] [work-dir]
//   KYSO_SIGNER=leader|leader-p256|…   which test identity the remote signer holds
//   KYSO_REMOTE=node|openssl          the remote signer: dist/remote-signer.js (RSA), or `openssl pkeyutl`
//   KYSO_KEY=key.pem                  with openssl: the key file (default the identity's)
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { SignatureAlgorithm } from '@kyso/cms';
import { fromBase64, isKysoError, toBase64, toHex } from '@kyso/core';
import { finishPdfSignature, preparePdfSignature, verifyPdf, type PreparedPdfSignatureState } from '@kyso/pades';

const fixtures = new URL('../../../test-fixtures/', import.meta.url);
const [input = fileURLToPath(new URL('pdfs/libreoffice-vi.pdf', fixtures)), output = 'signed.pdf', work = 'staged'] = process.argv.slice(2);
const signerScript = fileURLToPath(new URL('remote-signer.js', import.meta.url));

/** Runs another process with `input` on stdin; its stdout, or an error with its first stderr line. */
function otherProcess(command: string, args: string[], input: string | Uint8Array): Buffer {
  const r = spawnSync(command, args, { input });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${command} ${args[0]} failed: ${r.stderr.toString().trim().split('\n')[0]}`);
  return r.stdout;
}
const remote = (args: string[], request?: object) => JSON.parse(otherProcess(process.execPath, [signerScript, ...args], request ? JSON.stringify(request) : '').toString());

/** Asks the other process to sign a digest: our Node stand-in, or OpenSSL with the key file. */
function signRemotely(digest: Uint8Array, alg: SignatureAlgorithm): Uint8Array {
  if (process.env['KYSO_REMOTE'] === 'openssl') {
    const keyFile = process.env['KYSO_KEY'] ?? fileURLToPath(new URL(`pki/${process.env['KYSO_SIGNER'] ?? 'leader'}.key.pem`, fixtures));
    // -pkeyopt digest:… makes RSA sign the DigestInfo of the hash (PKCS#1 v1.5); ECDSA signs the hash.
    return new Uint8Array(otherProcess('openssl', ['pkeyutl', '-sign', '-inkey', keyFile, '-pkeyopt', `digest:${alg.hash.replace('-', '').toLowerCase()}`], digest));
  }
  return fromBase64(remote(['sign'], { digest: toBase64(digest), hash: alg.hash }).signature);
}

try {
  // 1. This process (a server): the signer's certificate and chain are public, the key is not.
  const info = remote(['info']);
  const signer = { certificate: fromBase64(info.certificate), chain: info.chain.map(fromBase64), signatureAlgorithm: info.signatureAlgorithm as SignatureAlgorithm };
  const { preparedPdf, digestToSign, state } = await preparePdfSignature(new Uint8Array(await readFile(input)), { signer, reason: 'Ký số từ xa', location: 'Bắc Ninh' });
  await mkdir(work, { recursive: true });
  await writeFile(`${work}/prepared.pdf`, preparedPdf);
  await writeFile(`${work}/state.json`, JSON.stringify(state));
  console.log(`1. prepared ${state.fieldName}: ${signer.signatureAlgorithm.name}/${signer.signatureAlgorithm.hash} digest ${toHex(digestToSign)}`);

  // 2. Another process signs the digest (minutes later, on another machine: it only needs the digest).
  const signatureValue = signRemotely(digestToSign, signer.signatureAlgorithm);
  console.log(`2. signed by ${process.env['KYSO_REMOTE'] === 'openssl' ? 'openssl pkeyutl' : 'the remote signer process'}: ${signatureValue.length} bytes`);

  // 3. Back here, from what was stored: the prepared PDF and the JSON state.
  const stored = JSON.parse(await readFile(`${work}/state.json`, 'utf8')) as PreparedPdfSignatureState;
  const signed = await finishPdfSignature(new Uint8Array(await readFile(`${work}/prepared.pdf`)), stored, signatureValue);
  await writeFile(output, signed);

  const report = await verifyPdf(signed, { trustAnchors: [await readFile(new URL('pki/root.pem', fixtures), 'utf8')] });
  for (const s of report.signatures) console.log(`3. ${output}: ${s.field} by ${s.signer?.commonName} — ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}`);
  process.exitCode = report.signatures.every((s) => s.indication === 'TOTAL-PASSED') ? 0 : 1;
} catch (e) {
  console.error(`remote-signing: ${isKysoError(e) ? `${e.code}: ` : ''}${(e as Error).message}`);
  process.exitCode = 2;
}
