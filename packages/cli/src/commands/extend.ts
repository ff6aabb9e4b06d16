import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { outAfter, outputPath, readInput, writeOutput } from '../io.js';
import { readCertificateFiles } from '../trust-options.js';

/** `kyso extend`: raises the signatures of a PDF to PAdES B-LT or B-LTA (ETSI EN 319 142-1 §6.3). */
export const extendCommand: Command = {
  name: 'extend',
  summary: 'Add validation data (B-LT) and an archive time-stamp (B-LTA) to a signed PDF',
  help: `Usage: kyso extend <in.pdf> -o <out.pdf> --level B-LT|B-LTA [--tsa URL] [--trust root.pem]...
                   [--chain ca.pem]... [--offline] [--strict]

Adds, as incremental updates that leave every signature intact:
  B-LT   the document security store (DSS): each signer's and time-stamping authority's
         certificate path, and an OCSP response or CRL for every certificate, fetched from
         the URLs in the certificates (AIA, CRL distribution points). A signature without a
         time-stamp first gets a document time-stamp when --tsa is given.
  B-LTA  then a document time-stamp (ETSI.RFC3161) from --tsa over the whole file.
Run it again on a B-LTA file before the last time-stamp's certificate expires: it adds the
validation data of that time-stamp and a new archive time-stamp.
- as the input reads standard input; -o - writes the PDF to standard output.

--trust names the roots that end the paths (default: self-signed certificates found in the
file or through AIA). --offline uses only the data in the file and --chain files. --strict
fails (exit 2, no output) when a path or revocation data is missing; otherwise each missing
piece is a warning on stderr.

Examples:
  kyso extend quyet-dinh.pdf -o quyet-dinh.lt.pdf --level B-LT --trust root.pem
  kyso extend quyet-dinh.pdf -o quyet-dinh.lta.pdf --level B-LTA --tsa http://tsa.example.vn/tsa --trust root.pem`,
  options: {
    output: { type: 'string', short: 'o' },
    level: { type: 'string' },
    tsa: { type: 'string' },
    trust: { type: 'string', multiple: true },
    chain: { type: 'string', multiple: true },
    offline: { type: 'boolean' },
    strict: { type: 'boolean' },
  },
  async run(values, positionals) {
    if (positionals.length !== 1) throw new UsageError('Give exactly one PDF to extend. See "kyso extend --help".');
    const input = positionals[0]!;
    const output = outputPath(values, 'extend');
    const level = values['level'];
    if (level !== 'B-LT' && level !== 'B-LTA') throw new UsageError(`--level must be B-LT or B-LTA, not "${String(level ?? '')}". See "kyso extend --help".`);
    const tsaUrl = values['tsa'] as string | undefined;
    if (level === 'B-LTA' && !tsaUrl) throw new UsageError('--level B-LTA needs --tsa URL (the time-stamping authority for the archive time-stamp).');
    if (tsaUrl !== undefined && !/^https?:\/\//i.test(tsaUrl)) throw new UsageError(`--tsa wants an http(s) URL, not "${tsaUrl}".`);
    const trustAnchors = await readCertificateFiles(values['trust'] as string[] | undefined);
    const certificates = await readCertificateFiles(values['chain'] as string[] | undefined, 'chain');
    const pdf = await readInput(input, 'PDF');
    const [{ extendPdfWithReport }, { httpTimeStamper }, { fetchHttpClient }] = await Promise.all([import('@kyso/pades'), import('@kyso/cms'), import('@kyso/core')]);
    const http = fetchHttpClient();
    const offline = values['offline'] === true;
    const report = await extendPdfWithReport(pdf, {
      level,
      trustAnchors,
      certificates,
      ...(offline ? { online: false } : { http }),
      ...(tsaUrl ? { timeStamper: httpTimeStamper({ url: tsaUrl, http }) } : {}),
      ...(values['strict'] === true ? { strict: true } : {}),
    });
    for (const p of report.problems) process.stderr.write(`kyso: warning: ${p}\n`);
    await writeOutput(output, report.pdf);
    const a = report.added;
    outAfter(
      output,
      `Wrote ${output}: ${level}, ${report.revisionsAdded} update(s) appended; DSS +${a.certs} certificate(s), +${a.ocsps} OCSP response(s), +${a.crls} CRL(s); ${report.documentTimestamps} document time-stamp(s).`,
    );
    return 0;
  },
};
