import type { Command } from '../command.js';
import { requireString } from '../command.js';
import { UsageError } from '../errors.js';
import { out, readInput, writeOutput } from '../io.js';
import { KEY_HELP, KEY_OPTIONS, signerFromOptions } from '../keys.js';

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
  help: `Usage: kyso sign <in.pdf> -o <out.pdf> <key> [--level B-B] [--field NAME] [--reason TEXT]
                 [--location TEXT] [--certify 1|2|3] [--visible PAGE,X,Y,W,H]
                 [--appearance approval|approval-image|issuance|attachment|copy] [--image sig.png]
                 [--seal seal.png] [--anchor TEXT] [--title TEXT] [--agency TEXT]
                 [--doc-number 15/QĐ-UBND] [--copy-type "SAO Y"] [--template layout.json]

${KEY_HELP}

Each signature is appended as an incremental update: earlier bytes, and so earlier
signatures, are never touched. --certify makes this the certification signature
(DocMDP; 1 = no changes, 2 = form filling and signing, 3 = also annotations).

Visible signatures as Decree 30/2020 lays them out (--appearance): approval (the signature
image, with name, agency, title and time), issuance (the agency's red seal over the left third
of the last approval signature), attachment and copy (text at the top right of page 1). Place
them with --visible (page from 1, points from the bottom-left) or --anchor (a phrase on the
page, e.g. the title line); name, title and agency default to the certificate's CN, title and O.
--template takes an agency's own layout (JSON, see packages/pades/src/appearance/README.md).

Examples:
  kyso sign du-thao.pdf -o du-thao.1.pdf --p12 drafter.p12 --password-env KYSO_PASSWORD --certify 2 --reason "Ký nháy"
  kyso sign du-thao.1.pdf -o du-thao.2.pdf --key leader.key.pem --cert leader.pem --chain gov-ca.pem \\
            --reason "Phê duyệt" --location "Bắc Ninh" --visible 1,350,80,200,80
  kyso sign qd.2.pdf -o qd.3.pdf --p12 leader.p12 --appearance approval --image chu-ky.png --anchor "CHỦ TỊCH"
  kyso sign qd.3.pdf -o qd.4.pdf --p12 van-thu.p12 --appearance issuance --seal con-dau.png --agency "UBND tỉnh Bắc Ninh"
  kyso sign phu-luc.pdf -o phu-luc.signed.pdf --p12 van-thu.p12 --appearance attachment --doc-number 15/QĐ-UBND`,
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
    appearance: { type: 'string' },
    image: { type: 'string' },
    seal: { type: 'string' },
    anchor: { type: 'string' },
    title: { type: 'string' },
    agency: { type: 'string' },
    'doc-number': { type: 'string' },
    'copy-type': { type: 'string' },
    template: { type: 'string' },
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
    const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
    const layout = await layoutFromOptions(values, pdf, signer.certificate, signingTime, visible);
    const place = layout ? layout.field : visible;
    const signed = await signPdf(pdf, {
      signer,
      signingTime,
      ...(place || fieldName ? { field: { ...(fieldName ? { name: fieldName } : {}), ...(place ?? {}) } } : {}),
      ...(layout ? { appearance: layout.appearance } : visible ? { appearance: true } : {}),
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
