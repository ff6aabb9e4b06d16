import type { Command } from '../command.js';
import { requireString } from '../command.js';
import { UsageError } from '../errors.js';
import { out, readInput, writeOutput } from '../io.js';
import { KEY_HELP, KEY_OPTIONS, signerFromOptions } from '../keys.js';

/** `--visible PAGE,X,Y,W,H` (page from 1, PDF points from the bottom-left). */
function parseVisible(spec: string): { page: number; rect: [number, number, number, number] } {
  const n = spec.split(',').map((s) => Number(s.trim()));
  if (n.length !== 5 || n.some((x) => !Number.isFinite(x)) || n[0]! < 1 || n[3]! <= 0 || n[4]! <= 0) {
    throw new UsageError(`--visible wants PAGE,X,Y,W,H (page from 1, points), e.g. 1,350,80,200,80; not "${spec}".`);
  }
  const [page, x, y, w, h] = n as [number, number, number, number, number];
  return { page: page - 1, rect: [x, y, x + w, y + h] };
}

/** `kyso sign`: adds a PAdES signature to a PDF as an incremental update. */
export const signCommand: Command = {
  name: 'sign',
  summary: 'Sign a PDF (PAdES), keeping every earlier signature valid',
  help: `Usage: kyso sign <in.pdf> -o <out.pdf> <key> [--level B-B] [--field NAME] [--reason TEXT]
                 [--location TEXT] [--certify 1|2|3] [--visible PAGE,X,Y,W,H]

${KEY_HELP}

Each signature is appended as an incremental update: earlier bytes, and so earlier
signatures, are never touched. --certify makes this the certification signature
(DocMDP; 1 = no changes, 2 = form filling and signing, 3 = also annotations).

Examples:
  kyso sign du-thao.pdf -o du-thao.1.pdf --p12 drafter.p12 --password-env KYSO_PASSWORD --certify 2 --reason "Ký nháy"
  kyso sign du-thao.1.pdf -o du-thao.2.pdf --key leader.key.pem --cert leader.pem --chain gov-ca.pem \\
            --reason "Phê duyệt" --location "Bắc Ninh" --visible 1,350,80,200,80`,
  options: {
    ...KEY_OPTIONS,
    output: { type: 'string', short: 'o' },
    level: { type: 'string' },
    tsa: { type: 'string' },
    field: { type: 'string' },
    reason: { type: 'string' },
    location: { type: 'string' },
    'contact-info': { type: 'string' },
    certify: { type: 'string' },
    visible: { type: 'string' },
  },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one PDF to sign. See "kyso sign --help".');
    const input = positionals[0]!;
    const output = requireString(values, 'output', 'sign');
    const level = (values['level'] as string | undefined) ?? 'B-B';
    if (level !== 'B-B') throw new UsageError(`--level ${level} is not available yet; this version signs PAdES B-B.`);
    const certifyText = values['certify'] as string | undefined;
    if (certifyText !== undefined && !['1', '2', '3'].includes(certifyText)) throw new UsageError('--certify takes 1, 2 or 3.');
    const visible = typeof values['visible'] === 'string' ? parseVisible(values['visible']) : undefined;
    const pdf = await readInput(input, 'PDF');
    const signer = await signerFromOptions(values, 'sign');
    const { signPdf } = await import('@kyso/pades');
    const fieldName = values['field'] as string | undefined;
    const signed = await signPdf(pdf, {
      signer,
      ...(visible || fieldName ? { field: { ...(fieldName ? { name: fieldName } : {}), ...(visible ?? {}) } } : {}),
      ...(visible ? { appearance: true } : {}),
      ...(typeof values['reason'] === 'string' ? { reason: values['reason'] } : {}),
      ...(typeof values['location'] === 'string' ? { location: values['location'] } : {}),
      ...(typeof values['contact-info'] === 'string' ? { contactInfo: values['contact-info'] } : {}),
      ...(certifyText ? { certify: Number(certifyText) as 1 | 2 | 3 } : {}),
    });
    await writeOutput(output, signed);
    out(`Signed ${input} → ${output} (PAdES ${level}, ${signed.length - pdf.length} bytes appended)`);
    return 0;
  },
};
