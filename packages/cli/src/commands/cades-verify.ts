import type { Command } from '../command.js';
import { formatOf, requireString } from '../command.js';
import { UsageError } from '../errors.js';
import { checkReadable, out, readInput } from '../io.js';
import { indicationText } from '../panel.js';
import { readCertificateFiles, validationTime } from '../trust-options.js';

/** `kyso cades verify`: a detached CAdES/CMS signature against its content. */
export const cadesVerifyCommand: Command = {
  name: 'cades verify',
  summary: 'Verify a detached CAdES signature (.p7s) against its file',
  help: `Usage: kyso cades verify <file.p7s> --content <file> [--trust root.pem]... [--at ISO-TIME] [--format text|json]

Exit code 0 when the signature is TOTAL-PASSED, 1 when it is not.

Example:
  kyso cades verify quyet-dinh.docx.p7s --content quyet-dinh.docx --trust root.pem`,
  options: { content: { type: 'string' }, trust: { type: 'string', multiple: true }, at: { type: 'string' }, format: { type: 'string' } },
  async run(values, positionals) {
    const format = formatOf(values);
    if (positionals.length !== 1) throw new UsageError('Give exactly one .p7s file. See "kyso cades verify --help".');
    const p7sPath = positionals[0]!;
    const contentPath = requireString(values, 'content', 'cades verify');
    const trustAnchors = await readCertificateFiles(values['trust'] as string[] | undefined);
    const time = validationTime(values);
    const p7s = await readInput(p7sPath, 'signature file');
    await checkReadable(contentPath, 'content file');
    const { verifyCades } = await import('@kyso/cms');
    const { fileContent, nodeDigestEngine } = await import('@kyso/cms/node');
    const r = await verifyCades(p7s, { content: fileContent(contentPath), digestEngine: nodeDigestEngine, trustAnchors, time });
    const report = {
      file: p7sPath,
      content: contentPath,
      indication: r.indication,
      subIndication: r.subIndication,
      signer: { subject: r.signerSubject, certificateSha256: r.signerCertificateSha256 },
      signingTime: r.signingTime?.toISOString() ?? null,
      digestAlgorithm: r.digestAlgorithm,
      messageDigestOk: r.messageDigestOk,
      signatureOk: r.signatureOk,
      signingCertificateV2Ok: r.signingCertificateV2Ok,
      chain: r.chain.status,
      errors: r.errors,
      warnings: r.warnings,
    };
    if (format === 'json') out(JSON.stringify(report, null, 2));
    else {
      out(`${p7sPath} over ${contentPath}: ${indicationText(r.indication, r.subIndication)}`);
      out(`  signer:  ${report.signer.subject ?? '—'}`);
      out(`  signed:  ${report.signingTime ?? '—'} (claimed), digest ${r.digestAlgorithm ?? '?'}, chain ${r.chain.status}`);
      for (const e of r.errors) out(`  error:   ${e}`);
      for (const w of r.warnings) out(`  warning: ${w}`);
    }
    return r.indication === 'TOTAL-PASSED' ? 0 : 1;
  },
};
