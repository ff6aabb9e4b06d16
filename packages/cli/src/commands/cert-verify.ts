import type { Command } from '../command.js';
import { formatOf } from '../command.js';
import { UsageError } from '../errors.js';
import { out } from '../io.js';
import { readCertificateFiles, validationTime } from '../trust-options.js';

const PURPOSES = ['any', 'document-signing', 'timestamping', 'ocsp-signing'] as const;

/** `kyso cert verify`: RFC 5280 §6.1 path validation of one certificate. */
export const certVerifyCommand: Command = {
  name: 'cert verify',
  summary: 'Validate a certificate chain (RFC 5280)',
  help: `Usage: kyso cert verify <leaf.pem> [--intermediate ca.pem]... --trust root.pem [--at ISO-TIME]
                        [--purpose any|document-signing|timestamping|ocsp-signing] [--format text|json]

Builds every candidate path from the certificate to a trust anchor and validates it
(signatures, validity, basic constraints, key usage, name constraints, policies). No
extended key usage is checked unless --purpose asks for one. Revocation is not checked here.

Example:
  kyso cert verify leader.pem --intermediate gov-ca.pem --trust root.pem --purpose document-signing`,
  options: {
    intermediate: { type: 'string', multiple: true },
    trust: { type: 'string', multiple: true },
    at: { type: 'string' },
    purpose: { type: 'string' },
    format: { type: 'string' },
  },
  async run(values, positionals) {
    const format = formatOf(values);
    if (positionals.length !== 1) throw new UsageError('Give exactly one certificate file. See "kyso cert verify --help".');
    const purpose = (values['purpose'] as string | undefined) ?? 'any';
    if (!(PURPOSES as readonly string[]).includes(purpose)) throw new UsageError(`--purpose must be one of ${PURPOSES.join(', ')}.`);
    const anchorsDer = await readCertificateFiles(values['trust'] as string[] | undefined);
    if (anchorsDer.length === 0) throw new UsageError('Give at least one --trust root.pem. See "kyso cert verify --help".');
    const [leafDer, ...withLeaf] = await readCertificateFiles(positionals, 'certificate');
    const intermediatesDer = await readCertificateFiles(values['intermediate'] as string[] | undefined, 'intermediate');
    const { Certificate, validatePath } = await import('@kyso/trust');
    const leaf = Certificate.fromDer(leafDer!);
    const candidates = [...withLeaf, ...intermediatesDer].map((d) => Certificate.fromDer(d));
    const r = await validatePath({
      certificates: { leaf, candidates },
      trustAnchors: anchorsDer.map((d) => Certificate.fromDer(d)),
      time: validationTime(values),
      purpose: purpose as (typeof PURPOSES)[number],
    });
    const report = {
      valid: r.valid,
      time: r.time.toISOString(),
      path: r.path.map((c) => ({ subject: c.subject.toString(), serialNumber: c.serialNumberHex, notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(), sha256: c.fingerprintSha256 })),
      trustAnchor: r.trustAnchor?.subject.toString() ?? null,
      failures: r.failures.map((f) => ({ certIndex: f.certIndex, code: f.code, message: f.message })),
      attempts: r.attempts.length,
    };
    if (format === 'json') out(JSON.stringify(report, null, 2));
    else {
      out(`${positionals[0]}: ${r.valid ? 'VALID' : 'NOT VALID'} at ${report.time}`);
      report.path.forEach((c, i) => out(`  ${i}. ${c.subject} (serial ${c.serialNumber}, until ${c.notAfter})`));
      if (report.trustAnchor) out(`  anchor: ${report.trustAnchor}`);
      for (const f of report.failures) out(`  failure: [${f.code}] ${f.message} (certificate ${f.certIndex})`);
    }
    return r.valid ? 0 : 1;
  },
};
