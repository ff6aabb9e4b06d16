import { run } from './tools.js';

/** One `Signature #N:` block of pdfsig's report. */
export interface PdfsigSignature {
  readonly index: number;
  readonly fieldName: string | null;
  readonly commonName: string | null;
  readonly signatureType: string | null;
  readonly hashAlgorithm: string | null;
  readonly ranges: string | null;
  readonly totalDocumentSigned: boolean;
  /** The text after "Signature Validation:", e.g. "Signature is Valid." or "Digest Mismatch.". */
  readonly validation: string | null;
  /** The text after "Certificate Validation:", e.g. "Certificate is Trusted.". */
  readonly certificate: string | null;
  readonly valid: boolean;
  readonly trusted: boolean;
}

/**
 * Parses pdfsig's text report. pdfsig exits 0 even on a digest mismatch, so the text is the only
 * verdict: one block per "Signature #N:".
 */
export function parsePdfsig(text: string): PdfsigSignature[] {
  const blocks = text.split(/^Signature #(\d+):\s*$/m);
  const out: PdfsigSignature[] = [];
  for (let i = 1; i + 1 < blocks.length; i += 2) {
    const body = blocks[i + 1]!;
    const field = (label: string): string | null => {
      const m = new RegExp(`^\\s*- ${label}: (.*)$`, 'm').exec(body);
      return m ? m[1]!.trim() : null;
    };
    const validation = field('Signature Validation');
    const certificate = field('Certificate Validation');
    out.push({
      index: Number(blocks[i]),
      fieldName: field('Signature Field Name'),
      commonName: field('Signer Certificate Common Name'),
      signatureType: field('Signature Type'),
      hashAlgorithm: field('Signing Hash Algorithm'),
      ranges: field('Signed Ranges'),
      totalDocumentSigned: /^\s*- Total document signed\s*$/m.test(body),
      validation,
      certificate,
      valid: validation === 'Signature is Valid.',
      trusted: certificate === 'Certificate is Trusted.',
    });
  }
  return out;
}

/** Runs `pdfsig [-nssdir DB] file` and parses its report. */
export function pdfsig(file: string, nssSpec?: string): PdfsigSignature[] {
  const args = nssSpec ? ['-nssdir', nssSpec, file] : [file];
  const r = run('pdfsig', args, { timeoutMs: 30_000 });
  if (r.status !== 0 && !/Signature #/.test(r.stdout)) {
    throw new Error(`pdfsig failed (${r.status}): ${r.stderr}${r.stdout}`);
  }
  return parsePdfsig(r.stdout);
}

/** Runs `pdfsig -nssdir DB -add-signature -nick NICK in out`, adding an adbe.pkcs7.detached signature. */
export function pdfsigAddSignature(nssSpec: string, nick: string, input: string, output: string, extra: readonly string[] = []): void {
  const r = run('pdfsig', ['-nssdir', nssSpec, '-add-signature', '-nick', nick, ...extra, input, output]);
  if (r.status !== 0) throw new Error(`pdfsig -add-signature failed (${r.status}): ${r.stderr}${r.stdout}`);
}
