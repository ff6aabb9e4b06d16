import type { Command } from '../command.js';
import { formatOf, requireString } from '../command.js';
import { UsageError } from '../errors.js';
import { checkReadable, out, readInput, STDIO } from '../io.js';
import { indicationText } from '../panel.js';
import { readCertificateFiles, validationTime } from '../trust-options.js';

/** `kyso cades verify`: a detached CAdES/CMS signature against its content. */
export const cadesVerifyCommand: Command = {
  name: 'cades verify',
  summary: 'Verify a detached CAdES signature (.p7s) against its file',
  help: `Usage: kyso cades verify <file.p7s> --content <file> [--trust root.pem]... [--at ISO-TIME] [--offline] [--format text|json]

Checks the message digest, the signature, the signing certificate and its chain, revocation
(embedded OCSP/CRL first, fetched when missing; --offline uses only what the .p7s carries) and
the signature and archive time-stamps, which serve as proofs of existence (ETSI EN 319 102-1).

Exit code 0 when the signature is TOTAL-PASSED, 1 when it is not. - as the .p7s or as the
content (not both) reads standard input.

Example:
  kyso cades verify quyet-dinh.docx.p7s --content quyet-dinh.docx --trust root.pem`,
  options: { content: { type: 'string' }, trust: { type: 'string', multiple: true }, at: { type: 'string' }, offline: { type: 'boolean' }, format: { type: 'string' } },
  async run(values, positionals) {
    const format = formatOf(values);
    if (positionals.length !== 1) throw new UsageError('Give exactly one .p7s file. See "kyso cades verify --help".');
    const p7sPath = positionals[0]!;
    const contentPath = requireString(values, 'content', 'cades verify');
    const trustAnchors = await readCertificateFiles(values['trust'] as string[] | undefined);
    const time = validationTime(values);
    if (p7sPath === STDIO && contentPath === STDIO) throw new UsageError('Standard input (-) can give the .p7s or the content, not both.');
    const p7s = await readInput(p7sPath, 'signature file');
    // Standard input is read whole (the content is hashed again for each archive time-stamp); a file is streamed.
    const piped = contentPath === STDIO ? await readInput(contentPath, 'content file') : undefined;
    if (!piped) await checkReadable(contentPath, 'content file');
    const { verifyCadesLongTerm } = await import('@kyso/cms');
    const { fileContent, nodeDigestEngine } = await import('@kyso/cms/node');
    const lt = await verifyCadesLongTerm(p7s, { content: piped ?? fileContent(contentPath), digestEngine: nodeDigestEngine, trustAnchors, time, online: values['offline'] !== true });
    const r = lt.signature;
    const report = {
      file: p7sPath,
      content: contentPath,
      indication: lt.indication,
      subIndication: lt.subIndication,
      level: lt.level,
      signer: { subject: r.signerSubject, certificateSha256: r.signerCertificateSha256 },
      signingTime: r.signingTime?.toISOString() ?? null,
      digestAlgorithm: r.digestAlgorithm,
      messageDigestOk: r.messageDigestOk,
      signatureOk: r.signatureOk,
      signingCertificateV2Ok: r.signingCertificateV2Ok,
      chain: lt.chain,
      revocation: lt.revocation,
      timestamps: lt.timestamps,
      proofOfExistence: lt.proofOfExistence,
      errors: lt.errors,
      warnings: lt.warnings,
    };
    if (format === 'json') out(JSON.stringify(report, null, 2));
    else {
      out(`${p7sPath} over ${contentPath}: ${indicationText(lt.indication, lt.subIndication)}`);
      out(`  signer:  ${report.signer.subject ?? '—'}`);
      out(`  signed:  ${report.signingTime ?? '—'} (claimed), digest ${r.digestAlgorithm ?? '?'}, level ${lt.level ?? '—'}`);
      for (const t of lt.timestamps) out(`  time-stamp (${t.type}): ${t.genTime ?? '—'} by ${t.tsa ?? '?'}, ${t.valid ? 'valid' : `NOT valid: ${t.problems.join('; ')}`}`);
      for (const e of lt.errors) out(`  error:   ${e}`);
      for (const w of lt.warnings) out(`  warning: ${w}`);
    }
    return lt.indication === 'TOTAL-PASSED' ? 0 : 1;
  },
};
