import { decodePem, looksLikePem } from '@kyso/core';
import { UsageError } from './errors.js';
import { readInput } from './io.js';

/** `--trust FILE` (repeatable): PEM files holding one or more certificates, or a DER certificate. */
export async function readCertificateFiles(files: readonly string[] | undefined, option = 'trust'): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const f of files ?? []) {
    const bytes = await readInput(f, `--${option} file`);
    if (!looksLikePem(bytes)) {
      out.push(bytes);
      continue;
    }
    const certs = decodePem(new TextDecoder().decode(bytes)).filter((b) => b.label === 'CERTIFICATE');
    if (certs.length === 0) throw new UsageError(`${f} (from --${option}) holds no "-----BEGIN CERTIFICATE-----" block.`);
    out.push(...certs.map((b) => b.der));
  }
  return out;
}

/** `--at ISO-TIME`: the validation time, default now. */
export function validationTime(values: Record<string, unknown>): Date {
  const at = values['at'];
  if (typeof at !== 'string') return new Date();
  const t = new Date(at);
  if (Number.isNaN(t.getTime())) throw new UsageError(`--at wants an ISO 8601 time such as 2026-12-04T10:00:00+07:00, not "${at}".`);
  return t;
}
