import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { checkReadable, outAfter, outputPath, readInput, STDIO, writeOutput } from '../io.js';
import { KEY_HELP, KEY_OPTIONS, signerFromOptions } from '../keys.js';
import { readCertificateFiles } from '../trust-options.js';

/** `kyso cades sign`: a detached CAdES signature (.p7s) over any file, hashed as a stream. */
export const cadesSignCommand: Command = {
  name: 'cades sign',
  summary: 'Sign any file with a detached CAdES signature (.p7s)',
  help: `Usage: kyso cades sign <file> -o <file.p7s> <key> [--level B-B|B-T|B-LT|B-LTA --tsa URL [--trust root.pem]...]

${KEY_HELP}

The file is hashed in chunks, so a file of any size signs in little memory. - as the file
reads standard input (whole, into memory); -o - writes the .p7s to standard output (the
summary line then goes to stderr).
Levels (ETSI EN 319 122-1): B-T adds a signature time-stamp from --tsa; B-LT adds the chain
and OCSP/CRL answers (certificate-values, revocation-values) fetched from the URLs in the
certificates; B-LTA adds an archive-time-stamp-v3 over all of it.

Examples:
  kyso cades sign quyet-dinh.docx -o quyet-dinh.docx.p7s --p12 leader.p12 --password-env KYSO_PASSWORD
  kyso cades sign report.zip -o report.zip.p7s --key leader.key.pem --cert leader.pem --chain gov-ca.pem`,
  options: { ...KEY_OPTIONS, output: { type: 'string', short: 'o' }, level: { type: 'string' }, tsa: { type: 'string' }, trust: { type: 'string', multiple: true } },
  async run(values, positionals) {
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length) throw new UsageError('Give exactly one file to sign. See "kyso cades sign --help".');
    const output = outputPath(values, 'cades sign');
    const level = (values['level'] as string | undefined) ?? 'B-B';
    if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level)) throw new UsageError(`--level must be one of B-B, B-T, B-LT, B-LTA, not "${level}".`);
    const tsa = values['tsa'] as string | undefined;
    if (level !== 'B-B' && !tsa) throw new UsageError(`--level ${level} needs a time-stamping authority: give --tsa URL.`);
    // Standard input is read whole (B-LT and B-LTA hash the content twice); a file is streamed.
    const piped = file === STDIO ? await readInput(file, 'file to sign') : undefined;
    if (!piped) await checkReadable(file, 'file to sign'); // one clear error for a missing file, before any key prompt
    const signer = await signerFromOptions(values, 'cades sign');
    const { signCades, addSignatureTimestamp, extendCades, httpTimeStamper } = await import('@kyso/cms');
    const { fileContent, nodeDigestEngine } = await import('@kyso/cms/node');
    const content = () => piped ?? fileContent(file);
    let p7s = await signCades({ signer, content: content(), digestEngine: nodeDigestEngine });
    if (tsa) {
      const timeStamper = httpTimeStamper({ url: tsa });
      p7s = await addSignatureTimestamp(p7s, timeStamper);
      if (level === 'B-LT' || level === 'B-LTA') {
        const trustAnchors = await readCertificateFiles(values['trust'] as string[] | undefined);
        p7s = await extendCades(p7s, { level, timeStamper, content: content(), digestEngine: nodeDigestEngine, online: true, ...(trustAnchors.length ? { trustAnchors } : {}) });
      }
    }
    await writeOutput(output, p7s);
    outAfter(output, `Signed ${file} → ${output} (CAdES ${level}, ${p7s.length} bytes)`);
    return 0;
  },
};
