import type { Command } from '../command.js';
import { formatOf } from '../command.js';
import { UsageError } from '../errors.js';
import { checkReadable, out, readInput, STDIO } from '../io.js';
import { renderPanel } from '../panel.js';
import { readCertificateFiles, validationTime } from '../trust-options.js';

/** `kyso verify`: every signature of one or more PDFs, as a panel, the JSON report of DESIGN.md, or an HTML report. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Verify every signature of a PDF',
  help: `Usage: kyso verify <file.pdf>... [--trust root.pem]... [--at ISO-TIME] [--offline]
                   [--format text|json|html] [-o REPORT] [--jobs N]

Checks each signature's byte range, digest, CMS signature and certificate, and what later
revisions changed. Exit code 0 only if every signature is TOTAL-PASSED. A file named - is
read from standard input.

Revocation (OCSP, CRL) is taken from the file's DSS and signatures first, and fetched from the
URLs in the certificates when missing. --offline uses only what the file carries; --at
validates at a past time, with time-stamps as proofs of existence (ETSI EN 319 102-1).

--format html writes a self-contained validation report (no external resources; Vietnamese
and English labels): the signature panel, each signer's certificate, time (+07:00), level,
indication, coverage and the changes made after it, with timestamps, chain and revocation
details as far as the report has them. -o writes the report (any format) to a file instead
of standard output.

Several PDFs are verified in parallel on worker threads (--jobs N, default one per CPU core),
with a progress bar on a terminal and a summary at the end; --format json then prints
{"files": [...], "summary": {...}}, each file as the single-file report or with "error".
Exit code with several PDFs: 0 if every file passed, 1 if any did not pass, 2 if any could
not be verified (unreadable, not a PDF).

Examples:
  kyso verify quyet-dinh.signed.pdf --trust root.pem
  kyso verify quyet-dinh.signed.pdf --trust root.pem --at 2026-12-04T10:00:00+07:00 --format json
  kyso verify quyet-dinh.signed.pdf --trust root.pem --format html -o bao-cao.html
  curl -s https://egov.example.vn/van-ban/15.pdf | kyso verify - --trust root.pem
  kyso verify da-ky/*.pdf --trust root.pem
  kyso verify da-ky/*.pdf --trust root.pem --format html -o bao-cao-tong-hop.html`,
  options: {
    trust: { type: 'string', multiple: true },
    at: { type: 'string' },
    offline: { type: 'boolean' },
    format: { type: 'string' },
    output: { type: 'string', short: 'o' },
    jobs: { type: 'string' },
  },
  async run(values, positionals) {
    const format = formatOf(values, ['text', 'json', 'html']);
    if (positionals.length === 0) throw new UsageError('Give the PDF(s) to verify. See "kyso verify --help".');
    const output = values['output'] as string | undefined;
    if (output === '') throw new UsageError('-o wants a file name for the report.');
    const trustAnchors = await readCertificateFiles(values['trust'] as string[] | undefined);
    const time = validationTime(values);
    if (positionals.length > 1) return verifySeveral(positionals, trustAnchors, time, values, format, output);

    const file = positionals[0]!;
    const options = { trustAnchors, time, online: values['offline'] !== true };
    let report;
    if (file === STDIO) {
      const pdf = await readInput(file, 'PDF');
      report = await (await import('@kyso/pades')).verifyPdf(pdf, options);
    } else {
      // The file is read lazily and hashed in chunks (bounded memory for any size).
      await checkReadable(file, 'PDF');
      report = await (await import('@kyso/pades/node')).verifyPdfFile(file, options);
    }
    if (format === 'html') {
      const [{ renderHtmlReport }, { emit }] = await Promise.all([import('../report/html.js'), import('../batch.js')]);
      await emit(renderHtmlReport([{ file, ok: true, value: report }], { validationTime: time, trustAnchors: trustAnchors.length }), output);
    } else {
      const text = format === 'json' ? JSON.stringify({ file, ...report }, null, 2) : renderPanel(file, report);
      if (output === undefined) out(text);
      else await (await import('../batch.js')).emit(text, output);
    }
    const passed = report.signatures.length > 0 && report.signatures.every((s) => s.indication === 'TOTAL-PASSED');
    return passed ? 0 : 1;
  },
};

async function verifySeveral(files: string[], trustAnchors: Uint8Array[], time: Date, values: Record<string, unknown>, format: string, output: string | undefined): Promise<number> {
  const batch = await import('../batch.js');
  const results = await batch.verifyBatch(files, trustAnchors, time, values);
  let text: string;
  if (format === 'html') {
    const { renderHtmlReport } = await import('../report/html.js');
    text = renderHtmlReport(results, { validationTime: time, trustAnchors: trustAnchors.length });
  } else if (format === 'json') {
    const passed = results.filter((r) => r.ok && batch.reportPassed(r.value)).length;
    const errors = results.filter((r) => !r.ok).length;
    text = JSON.stringify(
      {
        files: results.map((r) => (r.ok ? { file: r.file, ...r.value } : { file: r.file, error: { code: r.code, message: r.message } })),
        summary: { files: results.length, passed, notPassed: results.length - passed - errors, errors },
      },
      null,
      2,
    );
  } else {
    const blocks = results.map((r) => (r.ok ? renderPanel(r.file, r.value) : `${r.file}: could not be verified: ${r.code}: ${r.message}`));
    text = [...blocks, batch.verifySummary(results)].join('\n\n');
  }
  await batch.emit(text, output);
  return batch.verifyBatchExitCode(results);
}
