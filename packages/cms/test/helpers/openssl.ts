/**
 * A three-level PKI (root → intermediate → signer) made by the `openssl` CLI in a temp dir, so
 * interoperability tests run against keys and certificates kyso did not make.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pemToDer } from '@kyso/core';

/** Runs openssl; fails with an install hint when it is missing. */
export function openssl(args: string[], opts: { cwd?: string; input?: Uint8Array | string } = {}): { stdout: string; stderr: string; status: number } {
  const r = spawnSync('openssl', args, { cwd: opts.cwd, input: opts.input, stdio: ['pipe', 'pipe', 'pipe'] });
  if ((r.error as { code?: string } | undefined)?.code === 'ENOENT') throw new Error('openssl is not installed: install it with apt-get install openssl');
  return { stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '', status: r.status ?? 1 };
}

/** Like {@link openssl} but throws with stderr when the command fails. */
export function opensslOk(args: string[], opts: { cwd?: string; input?: Uint8Array | string } = {}): string {
  const r = openssl(args, opts);
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

export type KeyType = 'rsa2048' | 'rsa3072' | 'p256' | 'p384';

const CNF = `
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused
[v3_ca]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,nonRepudiation
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[v3_tsa]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = critical,timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
`;

function genKey(dir: string, name: string, type: KeyType): void {
  const args =
    type === 'rsa2048' || type === 'rsa3072'
      ? ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${type === 'rsa2048' ? 2048 : 3072}`]
      : ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${type === 'p256' ? 'P-256' : 'P-384'}`];
  opensslOk(['genpkey', ...args, '-out', `${name}.key`], { cwd: dir });
}

function issue(dir: string, name: string, cn: string, issuer: string, ext: string, serial: number): void {
  opensslOk(['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${cn}/O=Kyso OpenSSL Test`, '-config', 'openssl.cnf', '-out', `${name}.csr`], { cwd: dir });
  opensslOk(
    ['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-set_serial', String(serial), '-days', '3650', '-sha256', '-extfile', 'openssl.cnf', '-extensions', ext, '-out', `${name}.pem`],
    { cwd: dir },
  );
}

/** Files of an OpenSSL-made PKI. */
export interface OpensslPki {
  readonly dir: string;
  /** Paths (inside `dir`) of root.pem, inter.pem, signer.pem, signer.key. */
  readonly path: (file: string) => string;
  readonly read: (file: string) => Uint8Array;
  readonly text: (file: string) => string;
  /** DER of a PEM certificate file. */
  readonly der: (file: string) => Uint8Array;
  readonly cleanup: () => void;
}

/** Makes root (RSA-2048) → intermediate (`type`) → signer (`type`) and optionally a TSA. */
export function makeOpensslPki(type: KeyType, opts: { tsa?: boolean } = {}): OpensslPki {
  const dir = mkdtempSync(join(tmpdir(), `kyso-cms-${type}-`));
  writeFileSync(join(dir, 'openssl.cnf'), CNF);
  genKey(dir, 'root', 'rsa2048');
  opensslOk(['req', '-x509', '-new', '-key', 'root.key', '-subj', '/CN=Kyso OpenSSL Root/O=Kyso OpenSSL Test', '-days', '3650', '-sha256', '-config', 'openssl.cnf', '-extensions', 'v3_ca', '-out', 'root.pem'], { cwd: dir });
  genKey(dir, 'inter', type);
  issue(dir, 'inter', 'Kyso OpenSSL Intermediate', 'root', 'v3_ca', 2);
  genKey(dir, 'signer', type);
  issue(dir, 'signer', 'Kyso OpenSSL Signer', 'inter', 'v3_leaf', 3);
  if (opts.tsa) {
    genKey(dir, 'tsa', type);
    issue(dir, 'tsa', 'Kyso OpenSSL TSA', 'inter', 'v3_tsa', 4);
  }
  const path = (f: string) => join(dir, f);
  return {
    dir,
    path,
    read: (f) => new Uint8Array(readFileSync(path(f))),
    text: (f) => readFileSync(path(f), 'utf8'),
    der: (f) => pemToDer(readFileSync(path(f), 'utf8'), 'CERTIFICATE')[0]!,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
