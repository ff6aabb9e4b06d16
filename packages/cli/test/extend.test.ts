import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKysoError } from '@kyso/core';
import { signerFromCryptoKey, httpTimeStamper } from '@kyso/cms';
import { signPdf, verifyPdf } from '@kyso/pades';
import { createTestPki } from '@kyso/testkit';
import { startPkiServer, type PkiServer } from '@kyso/testkit/node';
import { loadFixture } from '@kyso/test-fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFor } from '../src/command.js';
import { extendCommand } from '../src/commands/extend.js';
import { tempDir } from './helpers.js';

/** Runs `kyso extend ARGS` in this process with main's exit-code rules (the lead registers the command in main.ts). */
async function extend(args: string[]): Promise<{ code: number; stderr: string }> {
  const errs: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => (errs.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    const { values, positionals } = parseFor(extendCommand, args);
    return { code: await extendCommand.run(values as Record<string, string | boolean | string[] | undefined>, positionals), stderr: errs.join('') };
  } catch (e) {
    if (!isKysoError(e)) throw e;
    return { code: 2, stderr: errs.join('') + e.message };
  } finally {
    process.stderr.write = write;
  }
}

/** A real-world PDF (LibreOffice, Vietnamese text) from test-fixtures. */
const samplePdf = () => new Uint8Array(loadFixture('pdfs', 'libreoffice-vi.pdf'));

describe('kyso extend', () => {
  let server: PkiServer;
  let dir: string;
  let signed: string;
  let root: string;
  beforeAll(async () => {
    server = await startPkiServer({ pki: (baseUrl) => createTestPki({ baseUrl, seed: 'kyso-cli-extend' }) });
    dir = tempDir('kyso-extend-');
    const leader = server.pki.cadres.leader;
    const signer = await signerFromCryptoKey(leader.privateKey, leader.certificate, leader.chain.slice(0, -1));
    signed = join(dir, 'signed.pdf');
    writeFileSync(signed, await signPdf(samplePdf(), { signer, timeStamper: httpTimeStamper({ url: server.tsaUrl }) }));
    root = join(dir, 'root.pem');
    writeFileSync(root, server.pki.root.certificatePem);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('--level B-LT then B-LTA, twice: each run appends, the signature stays valid, the level is reached offline; tamper twin', async () => {
    const lt = join(dir, 'lt.pdf');
    expect(await extend([signed, '-o', lt, '--level', 'B-LT', '--trust', root])).toEqual({ code: 0, stderr: '' });
    const ltBytes = new Uint8Array(readFileSync(lt));
    expect((await verifyPdf(ltBytes, { trustAnchors: [server.pki.root.certificatePem], online: false })).signatures[0]).toMatchObject({ indication: 'TOTAL-PASSED', level: 'B-LT' });
    const lta = join(dir, 'lta.pdf');
    expect((await extend([lt, '-o', lta, '--level', 'B-LTA', '--tsa', server.tsaUrl, '--trust', root])).code).toBe(0);
    const lta2 = join(dir, 'lta2.pdf');
    expect((await extend([lta, '-o', lta2, '--level', 'B-LTA', '--tsa', server.tsaUrl, '--trust', root])).code).toBe(0);
    const bytes = new Uint8Array(readFileSync(lta2));
    expect(bytes.subarray(0, ltBytes.length)).toEqual(ltBytes);
    const r = await verifyPdf(bytes, { trustAnchors: [server.pki.root.certificatePem], online: false });
    expect(r.signatures.map((s) => [s.kind, s.indication, s.level])).toEqual([
      ['approval', 'TOTAL-PASSED', 'B-LTA'],
      ['document-timestamp', 'TOTAL-PASSED', null],
      ['document-timestamp', 'TOTAL-PASSED', null],
    ]);
    const bad = bytes.slice();
    bad[200] ^= 0x01; // inside the original file, covered by every signature

    expect((await verifyPdf(bad, { trustAnchors: [server.pki.root.certificatePem], online: false })).signatures.every((s) => s.subIndication === 'HASH_FAILURE')).toBe(true);
  });

  it('usage and input errors exit 2 and leave no output file', async () => {
    const outFile = join(dir, 'never.pdf');
    const cases: [string[], RegExp][] = [
      [[signed, '-o', outFile, '--level', 'B-B'], /--level must be B-LT or B-LTA/],
      [[signed, '-o', outFile, '--level', 'B-LTA'], /needs --tsa URL/],
      [[signed, '--level', 'B-LT'], /Missing --output/],
      [[join(dir, 'missing.pdf'), '-o', outFile, '--level', 'B-LT'], /Cannot read the PDF/],
      [[root, '-o', outFile, '--level', 'B-LT'], /PDF/],
    ];
    for (const [args, message] of cases) {
      const r = await extend(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    // An unsigned PDF cannot be extended.
    const unsigned = join(dir, 'unsigned.pdf');
    writeFileSync(unsigned, samplePdf());
    const r = await extend([unsigned, '-o', outFile, '--level', 'B-LT']);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/no signature/) });
    // --strict with nothing reachable offline: missing data is an error, not a warning.
    const strict = await extend([signed, '-o', outFile, '--level', 'B-LT', '--trust', root, '--offline', '--strict']);
    expect(strict).toMatchObject({ code: 2, stderr: expect.stringMatching(/Validation data is missing/) });
    expect(existsSync(outFile)).toBe(false);
    // Without --strict the same run warns and writes.
    const warned = await extend([signed, '-o', outFile, '--level', 'B-LT', '--trust', root, '--offline']);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/kyso: warning: .*no revocation data/);
  });
});
