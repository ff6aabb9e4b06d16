import type { Command } from '../command.js';
import { requireString } from '../command.js';
import { UsageError } from '../errors.js';
import { checkReadable, out, writeOutput } from '../io.js';
import { KEY_HELP, KEY_OPTIONS, signerFromOptions } from '../keys.js';

/** `kyso cades sign`: a detached CAdES signature (.p7s) over any file, hashed as a stream. */
export const cadesSignCommand: Command = {
  name: 'cades sign',
  summary: 'Sign any file with a detached CAdES signature (.p7s)',
  help: `Usage: kyso cades sign <file> -o <file.p7s> <key> [--level B-B]

${KEY_HELP}

The file is hashed in chunks, so a file of any size signs in little memory.

Examples:
  kyso cades sign quyet-dinh.docx -o quyet-dinh.docx.p7s --p12 leader.p12 --password-env KYSO_PASSWORD
  kyso cades sign report.zip -o report.zip.p7s --key leader.key.pem --cert leader.pem --chain gov-ca.pem`,
  options: { ...KEY_OPTIONS, output: { type: 'string', short: 'o' }, level: { type: 'string' } },
  async run(values, positionals) {
    const [file, ...extra] = positionals;
    if (file === undefined || extra.length) throw new UsageError('Give exactly one file to sign. See "kyso cades sign --help".');
    const output = requireString(values, 'output', 'cades sign');
    const level = (values['level'] as string | undefined) ?? 'B-B';
    if (level !== 'B-B') throw new UsageError(`--level ${level} is not available for CAdES yet; only B-B is.`);
    await checkReadable(file, 'file to sign'); // one clear error for a missing file, before any key prompt
    const signer = await signerFromOptions(values, 'cades sign');
    const { signCades } = await import('@kyso/cms');
    const { fileContent, nodeDigestEngine } = await import('@kyso/cms/node');
    const p7s = await signCades({ signer, content: fileContent(file), digestEngine: nodeDigestEngine });
    await writeOutput(output, p7s);
    out(`Signed ${file} → ${output} (CAdES ${level}, ${p7s.length} bytes)`);
    return 0;
  },
};
