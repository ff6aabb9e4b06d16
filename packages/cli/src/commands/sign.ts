import type { SignPdfOptions } from '@kyso/pades';
import type { Command } from '../command.js';
import { UsageError } from '../errors.js';
import { isKysoError, KysoError } from '@kyso/core';
import { checkReadable, out, outAfter, outputPath, readInput, STDIO, writeOutput } from '../io.js';
import { KEY_HELP, KEY_OPTIONS, signerFromOptions } from '../keys.js';
import { readCertificateFiles } from '../trust-options.js';

const LEVELS = ['B-B', 'B-T', 'B-LT', 'B-LTA'];
const LAYOUTS = ['approval', 'approval-image', 'issuance', 'attachment', 'copy'];

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
  help: `Usage: kyso sign <in.pdf> -o <out.pdf> <key> [--level B-B|B-T|B-LT|B-LTA --tsa URL [--trust root.pem]] [--field NAME] [--reason TEXT]
       kyso sign <a.pdf> <b.pdf>… --out-dir <dir> <key> [--jobs N] [same options]
                 [--location TEXT] [--certify 1|2|3] [--visible PAGE,X,Y,W,H]
                 [--appearance approval|approval-image|issuance|attachment|copy] [--image sig.png]
                 [--seal seal.png] [--anchor TEXT] [--title TEXT] [--agency TEXT]
                 [--doc-number 15/QĐ-UBND] [--copy-type "SAO Y"] [--template layout.json]

${KEY_HELP}

Each signature is appended as an incremental update: earlier bytes, and so earlier
signatures, are never touched. --certify makes this the certification signature
(DocMDP; 1 = no changes, 2 = form filling and signing, 3 = also annotations).

- as the input reads the PDF from standard input; -o - writes the signed PDF to standard
output (the summary line then goes to stderr), for programs that pipe documents through kyso.

Levels (ETSI EN 319 142-1): B-B by default; B-T adds a time-stamp from the RFC 3161 server
at --tsa; B-LT then stores the chain and OCSP/CRL answers in the document (DSS), fetched
from the URLs in the certificates; B-LTA adds a document time-stamp over all of it.

Visible signatures as Decree 30/2020 lays them out (--appearance): approval (the signature
image, with name, agency, title and time), issuance (the agency's red seal over the left third
of the last approval signature), attachment and copy (text at the top right of page 1). Place
them with --visible (page from 1, points from the bottom-left) or --anchor (a phrase on the
page, e.g. the title line); name, title and agency default to the certificate's CN, title and O.
--template takes an agency's own layout (JSON, see packages/pades/src/appearance/README.md).

Several PDFs (or --out-dir) sign in parallel on worker threads (--jobs N, default one per CPU
core), each into DIR under its own name. The key is opened once, in the main thread: the workers
prepare and hash each PDF and send only the data to sign to it, so a token is logged in once.
A progress bar shows on a terminal (stderr); a summary lists each file, signed or why not. One
bad file does not stop the others; the exit code is 0 only if every file was signed.

Examples:
  kyso sign du-thao.pdf -o du-thao.1.pdf --p12 drafter.p12 --password-env KYSO_PASSWORD --certify 2 --reason "Ký nháy"
  kyso sign du-thao.1.pdf -o du-thao.2.pdf --key leader.key.pem --cert leader.pem --chain gov-ca.pem \\
            --reason "Phê duyệt" --location "Bắc Ninh" --visible 1,350,80,200,80
  kyso sign qd.2.pdf -o qd.3.pdf --p12 leader.p12 --appearance approval --image chu-ky.png --anchor "CHỦ TỊCH"
  kyso sign qd.3.pdf -o qd.4.pdf --p12 van-thu.p12 --appearance issuance --seal con-dau.png --agency "UBND tỉnh Bắc Ninh"
  kyso sign phu-luc.pdf -o phu-luc.signed.pdf --p12 van-thu.p12 --appearance attachment --doc-number 15/QĐ-UBND
  kyso sign hoso/*.pdf --out-dir da-ky/ --p12 van-thu.p12 --password-env KYSO_PASSWORD --reason "Sao y bản chính"`,
  options: {
    ...KEY_OPTIONS,
    output: { type: 'string', short: 'o' },
    level: { type: 'string' },
    tsa: { type: 'string' },
    trust: { type: 'string', multiple: true },
    field: { type: 'string' },
    reason: { type: 'string' },
    location: { type: 'string' },
    'contact-info': { type: 'string' },
    certify: { type: 'string' },
    visible: { type: 'string' },
    appearance: { type: 'string' },
    image: { type: 'string' },
    seal: { type: 'string' },
    anchor: { type: 'string' },
    title: { type: 'string' },
    agency: { type: 'string' },
    'doc-number': { type: 'string' },
    'copy-type': { type: 'string' },
    template: { type: 'string' },
    'out-dir': { type: 'string' },
    jobs: { type: 'string' },
  },
  async run(values, positionals) {
    if (values['out-dir'] !== undefined || positionals.length > 1) return signBatch(values, positionals);
    if (positionals.length !== 1) throw new UsageError('Give exactly one PDF to sign. See "kyso sign --help".');
    const input = positionals[0]!;
    const output = outputPath(values, 'sign');
    const { level } = checkSignOptions(values);
    const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    // Without a layout to place (which reads the page) nor validation data to add after signing
    // (B-LT, B-LTA), the file is signed in bounded memory: read lazily, hashed in chunks,
    // copied by the operating system.
    if (input !== STDIO && output !== STDIO && values['appearance'] === undefined && values['template'] === undefined && (level === 'B-B' || level === 'B-T')) {
      await checkReadable(input, 'PDF');
      const signer = await signerFromOptions(values, 'sign');
      const { signPdfFile } = await import('@kyso/pades/node');
      // No layout is drawn on this path, so the options need none of the PDF's bytes.
      const options = await signOptionsFrom(values, new Uint8Array(0), signer.certificate, signingTime);
      let result;
      try {
        result = await signPdfFile(input, output, { signer, ...options });
      } catch (e) {
        if (isKysoError(e)) throw e;
        throw new KysoError('OUTPUT_UNWRITABLE', `Cannot write ${output}: ${(e as Error).message}.`, { cause: e });
      }
      out(`Signed ${input} → ${output} (PAdES ${level}, ${result.appended} bytes appended)`);
      return 0;
    }
    const pdf = await readInput(input, 'PDF');
    const signer = await signerFromOptions(values, 'sign');
    const { signPdf, signLevelOptions } = await import('@kyso/pades');
    const plan = signLevelOptions(level as 'B-B', values['tsa'] as string | undefined);
    const trustAnchors = await readCertificateFiles(values['trust'] as string[] | undefined);
    const signed = await plan.finish(await signPdf(pdf, { signer, ...(await signOptionsFrom(values, pdf, signer.certificate, signingTime)) }), trustAnchors.length ? { trustAnchors } : {});
    await writeOutput(output, signed);
    outAfter(output, `Signed ${input} → ${output} (PAdES ${level}, ${signed.length - pdf.length} bytes appended)`);
    return 0;
  },
};

/** Checks the options that do not depend on the PDF, before any file is read. */
export function checkSignOptions(values: Record<string, unknown>): { level: string } {
  const level = (values['level'] as string | undefined) ?? 'B-B';
  if (!LEVELS.includes(level)) throw new UsageError(`--level must be one of ${LEVELS.join(', ')}, not "${level}".`);
  if (level !== 'B-B' && typeof values['tsa'] !== 'string') throw new UsageError(`--level ${level} needs a time-stamping authority: give --tsa URL.`);
  const certifyText = values['certify'] as string | undefined;
  if (certifyText !== undefined && !['1', '2', '3'].includes(certifyText)) throw new UsageError('--certify takes 1, 2 or 3.');
  if (typeof values['visible'] === 'string') parseVisible(values['visible']);
  return { level };
}

/**
 * The `signPdf` options (all but the signer) that the command line asks for, for one PDF:
 * field, visible appearance, text entries, certification. Shared by single-file and batch
 * signing, so both sign the same way.
 */
export async function signOptionsFrom(values: Record<string, unknown>, pdf: Uint8Array, certificate: Uint8Array, signingTime: Date): Promise<Omit<SignPdfOptions, 'signer'>> {
  const certifyText = values['certify'] as string | undefined;
  const visible = typeof values['visible'] === 'string' ? parseVisible(values['visible']) : undefined;
  const fieldName = values['field'] as string | undefined;
  const layout = await layoutFromOptions(values, pdf, certificate, signingTime, visible);
  const place = layout ? layout.field : visible;
  const { signLevelOptions } = await import('@kyso/pades');
  const level = ((values['level'] as string | undefined) ?? 'B-B') as 'B-B';
  const timeStamping = level === 'B-B' ? {} : signLevelOptions(level, values['tsa'] as string).signOptions;
  return {
    ...timeStamping,
    signingTime,
    ...(place || fieldName ? { field: { ...(fieldName ? { name: fieldName } : {}), ...(place ?? {}) } } : {}),
    ...(layout ? { appearance: layout.appearance } : visible ? { appearance: true } : {}),
    ...(typeof values['reason'] === 'string' ? { reason: values['reason'] } : {}),
    ...(typeof values['location'] === 'string' ? { location: values['location'] } : {}),
    ...(typeof values['contact-info'] === 'string' ? { contactInfo: values['contact-info'] } : {}),
    ...(certifyText ? { certify: Number(certifyText) as 1 | 2 | 3 } : {}),
  };
}

/** `kyso sign a.pdf b.pdf … --out-dir DIR`: see ../batch.ts. */
async function signBatch(values: Record<string, string | boolean | string[] | undefined>, positionals: string[]): Promise<number> {
  if (positionals.length === 0) throw new UsageError('Give the PDFs to sign. See "kyso sign --help".');
  if (values['output'] !== undefined) throw new UsageError('Several PDFs go to a directory: give --out-dir DIR instead of -o. See "kyso sign --help".');
  if (typeof values['out-dir'] !== 'string' || values['out-dir'] === '') throw new UsageError('Several PDFs: give --out-dir DIR for the signed copies. See "kyso sign --help".');
  const { level } = checkSignOptions(values);
  if (level === 'B-LT' || level === 'B-LTA') throw new UsageError(`Batch signing makes B-B or B-T; raise the signed files with "kyso extend --level ${level}" afterwards.`);
  const { runSignBatch } = await import('../batch.js');
  return runSignBatch(values, positionals, values['out-dir']);
}

/** The Decree 30/2020 layout that `--appearance` asks for, drawn and placed; undefined without it. */
async function layoutFromOptions(
  values: Record<string, unknown>,
  pdf: Uint8Array,
  certificate: Uint8Array,
  signingTime: Date,
  visible: { page: number; rect: [number, number, number, number] } | undefined,
) {
  const name = values['appearance'] as string | undefined;
  const templateFile = values['template'] as string | undefined;
  if (name === undefined && templateFile === undefined) {
    for (const o of ['image', 'seal', 'anchor', 'title', 'agency', 'doc-number', 'copy-type']) {
      if (values[o] !== undefined) throw new UsageError(`--${o} only applies with --appearance. See "kyso sign --help".`);
    }
    return undefined;
  }
  if (name !== undefined && !LAYOUTS.includes(name)) throw new UsageError(`--appearance must be one of ${LAYOUTS.join(', ')}, not "${name}".`);
  if (visible && values['anchor'] !== undefined) throw new UsageError('Give --visible or --anchor, not both.');
  const pades = await import('@kyso/pades');
  const { loadDefaultFonts } = await import('@kyso/pades/node');
  const template = templateFile ? pades.loadTemplate(new TextDecoder().decode(await readInput(templateFile, 'template'))) : (name as 'approval');
  const images: Record<string, Uint8Array> = {};
  if (typeof values['image'] === 'string') images['signature'] = await readInput(values['image'], 'signature image');
  if (typeof values['seal'] === 'string') images['seal'] = await readInput(values['seal'], 'seal image');
  if ((name === 'approval' || name === 'approval-image') && !images['signature']) throw new UsageError(`--appearance ${name} needs --image (the signer's signature as a PNG).`);
  if (name === 'issuance' && !images['seal']) throw new UsageError('--appearance issuance needs --seal (the agency seal as a PNG).');
  const str = (k: string) => (typeof values[k] === 'string' ? { [k === 'doc-number' ? 'docNumber' : k === 'copy-type' ? 'copyType' : k]: values[k] as string } : {});
  const data = { ...pades.appearanceDataFromCertificate(certificate), ...str('title'), ...str('agency'), ...str('doc-number'), ...str('copy-type'), signingTime, images };
  const [x1, y1, x2, y2] = visible?.rect ?? [0, 0, 0, 0];
  const placement = visible
    ? { page: visible.page + 1, x: x1, y: y1, width: x2 - x1, height: y2 - y1 }
    : typeof values['anchor'] === 'string'
      ? { anchor: values['anchor'], occurrence: 'last' as const }
      : undefined;
  return pades.visibleSignature(pdf, { layout: template, fonts: await loadDefaultFonts(), data, ...(placement ? { placement } : {}) });
}
