import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Certificate, verifySignature } from '@kyso/trust';
import { withoutNodeBuiltins } from '../../core/test/helpers/platform.js';
import { openssl, tempDir } from './helpers/openssl.js';

const t = tempDir();
afterAll(() => t.cleanup());

interface Case {
  name: string;
  keygen: string[];
  sign: string[];
  sigOid: string;
}

const CASES: Case[] = [
  ...(['sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const).map((h, i) => ({
    name: `RSA PKCS#1 v1.5 ${h}`,
    keygen: ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048'],
    sign: [`-${h}`],
    sigOid: `1.2.840.113549.1.1.${[5, 14, 11, 12, 13][i]}`,
  })),
  { name: 'RSA-PSS sha256 salt 32', keygen: ['-algorithm', 'RSA'], sign: ['-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32'], sigOid: '1.2.840.113549.1.1.10' },
  { name: 'RSA-PSS sha384 salt 20, MGF1-SHA1', keygen: ['-algorithm', 'RSA'], sign: ['-sha384', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:20', '-sigopt', 'rsa_mgf1_md:sha1'], sigOid: '1.2.840.113549.1.1.10' },
  { name: 'RSA-PSS sha512 with an id-RSASSA-PSS key', keygen: ['-algorithm', 'RSA-PSS'], sign: ['-sha512', '-sigopt', 'rsa_pss_saltlen:64'], sigOid: '1.2.840.113549.1.1.10' },
  { name: 'ECDSA P-256 sha256', keygen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], sign: ['-sha256'], sigOid: '1.2.840.10045.4.3.2' },
  { name: 'ECDSA P-384 sha384', keygen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384'], sign: ['-sha384'], sigOid: '1.2.840.10045.4.3.3' },
  { name: 'ECDSA P-521 sha512', keygen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521'], sign: ['-sha512'], sigOid: '1.2.840.10045.4.3.4' },
  { name: 'ECDSA P-256 sha384', keygen: ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'], sign: ['-sha384'], sigOid: '1.2.840.10045.4.3.3' },
  { name: 'Ed25519', keygen: ['-algorithm', 'ED25519'], sign: [], sigOid: '1.3.101.112' },
];

const certs = new Map<string, Certificate>();

beforeAll(() => {
  t.write('req.cnf', '[req]\ndistinguished_name=dn\n[dn]\n');
  openssl(t.dir, ['genpkey', '-genparam', '-algorithm', 'DSA', '-pkeyopt', 'dsa_paramgen_bits:2048', '-out', 'dsaparam.pem']);
  openssl(t.dir, ['genpkey', '-paramfile', 'dsaparam.pem', '-out', 'dsa.key']);
  openssl(t.dir, ['req', '-x509', '-key', 'dsa.key', '-sha256', '-subj', '/CN=Signature Test DSA', '-config', 'req.cnf', '-out', 'dsa.pem']);
  certs.set('DSA sha256', Certificate.fromPem(t.read('dsa.pem')));
  CASES.forEach((c, i) => {
    openssl(t.dir, ['genpkey', ...c.keygen, '-out', `k${i}.key`]);
    openssl(t.dir, ['req', '-x509', '-key', `k${i}.key`, ...c.sign, '-subj', '/CN=Signature Test', '-config', 'req.cnf', '-out', `c${i}.pem`]);
    certs.set(c.name, Certificate.fromPem(t.read(`c${i}.pem`)));
  });
});

function tamperSubject(cert: Certificate): Uint8Array {
  const tbs = cert.tbsDer.slice();
  const needle = new TextEncoder().encode('Signature Test');
  const at = tbs.findIndex((_, i) => needle.every((b, j) => tbs[i + j] === b));
  expect(at).toBeGreaterThan(0);
  tbs[at] = 's'.charCodeAt(0);
  return tbs;
}

/** Runs `fn` with node:crypto, or as a browser would (WebCrypto); each platform parses its own certificates. */
const onPlatform = <T>(platform: 'node:crypto' | 'WebCrypto', fn: () => Promise<T>): Promise<T> => (platform === 'node:crypto' ? fn() : withoutNodeBuiltins(fn));

describe.each(['node:crypto', 'WebCrypto'] as const)('verifySignature with openssl-made certificates, checked by %s', (platform) => {
  for (const c of [...CASES, { name: 'DSA sha256', sigOid: '2.16.840.1.101.3.4.3.2' }]) {
    it(`${c.name}: verifies, and fails when the signed data or signature is altered`, () => onPlatform(platform, async () => {
      const cert = Certificate.fromDer(certs.get(c.name)!.der);
      expect(cert.signatureAlgorithm.oid).toBe(c.sigOid);
      expect(await cert.verifySignedBy(cert)).toEqual({ valid: true });
      const tampered = await verifySignature(cert.publicKey, cert.signatureAlgorithm, cert.signatureValue, tamperSubject(cert));
      expect(tampered.valid).toBe(false);
      expect(tampered.error).toBe('BAD_SIGNATURE');
      const sig = cert.signatureValue.slice();
      sig[sig.length - 5] = sig[sig.length - 5]! ^ 0x01;
      expect((await verifySignature(cert.publicKey, cert.signatureAlgorithm, sig, cert.tbsDer)).valid).toBe(false);
    }));
  }

  it('reports a key of the wrong type, and an unknown algorithm, without throwing', () => onPlatform(platform, async () => {
    const rsa = certs.get('RSA PKCS#1 v1.5 sha256')!;
    const ec = certs.get('ECDSA P-256 sha256')!;
    expect(await rsa.verifySignedBy(ec)).toMatchObject({ valid: false, error: 'KEY_MISMATCH' });
    const unknown = { oid: '1.2.3.4', der: new Uint8Array() };
    expect(await verifySignature(rsa.publicKey, unknown, rsa.signatureValue, rsa.tbsDer)).toMatchObject({ valid: false, error: 'UNSUPPORTED_ALGORITHM' });
    const other = certs.get('RSA PKCS#1 v1.5 sha384')!;
    expect(await rsa.verifySignedBy(other)).toMatchObject({ valid: false, error: 'BAD_SIGNATURE' });
  }));
});
