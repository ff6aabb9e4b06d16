/**
 * NIST PKITS 1.0.1 conformance (RFC 5280 §6.1 path validation, §6.3 CRL processing): every run of
 * `shared/conformance/pkits/expected.json` (read its README.md) must give its expected outcome
 * and, where given, its user-constrained-policy-set. CI places `shared/` beside the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Certificate, Crl, CrlRevocationChecker, Oid, validatePath, type ValidatePathOptions } from '@kyso/trust';

const DIR = new URL('../../../../shared/conformance/pkits/', import.meta.url);

interface Run {
  test_number: string;
  title: string;
  name: string;
  certs: string[];
  crls: string[];
  should_validate: boolean;
  SetInitialPolicySet?: string;
  SetInitialExplicitPolicy?: boolean;
  SetInitialPolicyMappingInhibit?: boolean;
  SetInitialInhibitAnyPolicy?: boolean;
  SetUserConstrainedPolicySet?: string;
}

const expectedPath = fileURLToPath(new URL('expected.json', DIR));
if (!existsSync(expectedPath)) {
  throw new Error(`PKITS data not found at ${expectedPath}: the conformance data must sit in ../shared/conformance/pkits beside the repository.`);
}
const runs = JSON.parse(readFileSync(expectedPath, 'utf8')) as Run[];

const certCache = new Map<string, Certificate>();
const crlCache = new Map<string, Crl>();
const cert = (stem: string) => {
  let c = certCache.get(stem);
  if (!c) certCache.set(stem, (c = Certificate.fromDer(new Uint8Array(readFileSync(new URL(`certs/${stem}.crt`, DIR))))));
  return c;
};
const crl = (stem: string) => {
  let c = crlCache.get(stem);
  if (!c) crlCache.set(stem, (c = Crl.fromDer(new Uint8Array(readFileSync(new URL(`crls/${stem}.crl`, DIR))))));
  return c;
};

/** README: anyPolicy = 2.5.29.32.0; NIST-test-policy-N = 2.16.840.1.101.3.2.1.48.N. */
function policies(list: string): string[] {
  return list
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => {
      if (p === 'anyPolicy') return Oid.anyPolicy;
      const m = p.match(/^NIST-test-policy-(\d+)$/);
      if (!m) throw new Error(`unknown policy name ${p}`);
      return `2.16.840.1.101.3.2.1.48.${m[1]}`;
    });
}

// Any time in 2011–2030 works (README); the middle of the range.
const TIME = new Date('2025-06-01T00:00:00Z');

describe('NIST PKITS (all runs of expected.json)', () => {
  it('has the 249 runs the README describes', () => {
    expect(runs).toHaveLength(249);
    expect(runs.filter((r) => r.should_validate)).toHaveLength(114);
  });

  for (const run of runs) {
    it(`${run.test_number} ${run.title}`, async () => {
      const [anchor, ...rest] = run.certs.map(cert);
      const leaf = rest.pop()!;
      const options: {
        -readonly [K in keyof ValidatePathOptions]: ValidatePathOptions[K];
      } = {
        // Trust anchor first, end entity last; what lies between may or may not be on the path
        // (CRL signers, self-issued certificates), so they are candidates for path building.
        certificates: { leaf, candidates: rest },
        trustAnchors: [anchor!],
        time: TIME,
        revocation: new CrlRevocationChecker({ crls: run.crls.map(crl) }),
      };
      if (run.SetInitialPolicySet !== undefined) options.initialPolicySet = policies(run.SetInitialPolicySet);
      if (run.SetInitialExplicitPolicy) options.initialExplicitPolicy = true;
      if (run.SetInitialPolicyMappingInhibit) options.initialPolicyMappingInhibit = true;
      if (run.SetInitialInhibitAnyPolicy) options.initialAnyPolicyInhibit = true;

      const result = await validatePath(options);
      const why = result.failures.map((f) => `[${f.certIndex}] ${f.code}: ${f.message}`).join('\n');
      expect(result.valid, why || 'the path validated').toBe(run.should_validate);
      expect(Object.isFrozen(result)).toBe(true);
      if (!run.should_validate) expect(result.failures.length).toBeGreaterThan(0);
      if (run.SetUserConstrainedPolicySet !== undefined) {
        expect([...result.userConstrainedPolicySet].sort()).toEqual(policies(run.SetUserConstrainedPolicySet).sort());
      }
    });
  }
});
