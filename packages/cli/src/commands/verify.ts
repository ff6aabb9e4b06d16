import type { Command } from '../command.js';
import { formatOf } from '../command.js';
import { UsageError } from '../errors.js';
import { out, readInput } from '../io.js';
import { renderPanel } from '../panel.js';
import { readCertificateFiles, validationTime } from '../trust-options.js';

/** `kyso verify`: every signature of a PDF, as a panel or as the JSON report of DESIGN.md. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Verify every signature of a PDF',
  help: `Usage: kyso verify <file.pdf> [--trust root.pem]... [--at ISO-TIME] [--offline] [--format text|json]

Checks each signature's byte range, digest, CMS signature and certificate, and what later
revisions changed. Exit code 0 only if every signature is TOTAL-PASSED.

Examples:
  kyso verify quyet-dinh.signed.pdf --trust root.pem
  kyso verify quyet-dinh.signed.pdf --trust root.pem --at 2026-12-04T10:00:00+07:00 --format json`,
  options: {
    trust: { type: 'string', multiple: true },
    at: { type: 'string' },
    offline: { type: 'boolean' },
    format: { type: 'string' },
  },
  async run(values, positionals) {
    const format = formatOf(values);
    if (positionals.length !== 1) throw new UsageError('Give exactly one PDF to verify. See "kyso verify --help".');
    const file = positionals[0]!;
    const trustAnchors = await readCertificateFiles(values['trust'] as string[] | undefined);
    const time = validationTime(values);
    const pdf = await readInput(file, 'PDF');
    const { verifyPdf } = await import('@kyso/pades');
    const report = await verifyPdf(pdf, { trustAnchors, time });
    if (format === 'json') out(JSON.stringify({ file, ...report }, null, 2));
    else out(renderPanel(file, report));
    const passed = report.signatures.length > 0 && report.signatures.every((s) => s.indication === 'TOTAL-PASSED');
    return passed ? 0 : 1;
  },
};
