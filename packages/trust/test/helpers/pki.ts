import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, tempDir } from './openssl.js';

/**
 * A small PKI made by the openssl CLI (`openssl ca` keeps the index.txt that `openssl ocsp` and
 * `-gencrl` use): root → sub CA → leaves, plus an OCSP responder and a TSA certificate.
 */
export interface TestPki {
  readonly dir: string;
  path(file: string): string;
  read(file: string): Uint8Array;
  write(file: string, data: string | Uint8Array): void;
  /** Issues a certificate from `ca` ('root' | 'sub'); returns the PEM file name. */
  issue(ca: 'root' | 'sub', name: string, subject: string, extensions: string, opts?: { start?: string; end?: string; keyAlg?: string[] }): string;
  /** Appends sections (extensions with URLs known only at run time) to the openssl config. */
  addConfig(text: string): void;
  /** `openssl ca -revoke` with a reason. */
  revoke(ca: 'root' | 'sub', certFile: string, reason?: string): void;
  /** `openssl ca -gencrl`; returns the DER file name. */
  crl(ca: 'root' | 'sub', name: string): string;
  cleanup(): void;
}

const CONFIG = (dir: string) => `
[req]
distinguished_name = dn
utf8 = yes
string_mask = utf8only
[dn]

[root_ca]
dir = ${dir}/root
database = $dir/index.txt
new_certs_dir = $dir/certs
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = ${dir}/root.pem
private_key = ${dir}/root.key
default_md = sha256
default_days = 365
default_crl_days = 30
policy = any_policy
unique_subject = no
utf8 = yes
string_mask = utf8only
crl_extensions = crl_ext

[sub_ca]
dir = ${dir}/sub
database = $dir/index.txt
new_certs_dir = $dir/certs
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = ${dir}/sub.pem
private_key = ${dir}/sub.key
default_md = sha256
default_days = 365
default_crl_days = 30
policy = any_policy
unique_subject = no
utf8 = yes
string_mask = utf8only
crl_extensions = crl_ext

[any_policy]
countryName = optional
stateOrProvinceName = optional
localityName = optional
organizationName = optional
organizationalUnitName = optional
commonName = supplied
emailAddress = optional

[crl_ext]
authorityKeyIdentifier = keyid

[v3_root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[v3_sub]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[v3_ca_any]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[v3_ca_noaki]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[v3_leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
authorityInfoAccess = OCSP;URI:http://127.0.0.1:1/ocsp

[v3_tsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[v3_ocsp]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[v3_ocsp_plain]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = OCSPSigning
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid

[v3_server]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/** Builds root and sub CA; more certificates with `issue`. */
export function makePki(): TestPki {
  const t = tempDir('kyso-pki-');
  const dir = t.dir;
  for (const ca of ['root', 'sub']) {
    mkdirSync(join(dir, ca, 'certs'), { recursive: true });
    writeFileSync(join(dir, ca, 'index.txt'), '');
    writeFileSync(join(dir, ca, 'serial'), ca === 'root' ? '1000\n' : '2000\n');
    writeFileSync(join(dir, ca, 'crlnumber'), '01\n');
  }
  writeFileSync(join(dir, 'openssl.cnf'), CONFIG(dir));
  const cnf = ['-config', 'openssl.cnf'];
  openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '3650', '-subj', '/C=VN/O=Kyso Test/CN=Kyso Test Root', ...cnf, '-extensions', 'v3_root', '-set_serial', '1']);
  openssl(dir, ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'sub.key', '-out', 'sub.csr', '-subj', '/C=VN/O=Kyso Test/CN=Kyso Test Sub CA', ...cnf]);
  openssl(dir, ['ca', '-batch', ...cnf, '-name', 'root_ca', '-extensions', 'v3_sub', '-in', 'sub.csr', '-out', 'sub.pem', '-notext', '-startdate', '20240101000000Z', '-enddate', '20341231000000Z']);

  const pki: TestPki = {
    dir,
    path: t.path,
    read: t.read,
    write: t.write,
    issue(ca, name, subject, extensions, opts = {}) {
      openssl(dir, ['req', '-new', ...(opts.keyAlg ?? ['-newkey', 'rsa:2048']), '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject, ...cnf]);
      openssl(dir, ['ca', '-batch', ...cnf, '-name', `${ca}_ca`, '-extensions', extensions, '-in', `${name}.csr`, '-out', `${name}.pem`, '-notext',
        '-startdate', opts.start ?? '20240101000000Z', '-enddate', opts.end ?? '20331231000000Z']);
      return `${name}.pem`;
    },
    addConfig(text) {
      appendFileSync(join(dir, 'openssl.cnf'), `\n${text}\n`);
    },
    revoke(ca, certFile, reason = 'keyCompromise') {
      openssl(dir, ['ca', ...cnf, '-name', `${ca}_ca`, '-revoke', certFile, '-crl_reason', reason]);
    },
    crl(ca, name) {
      openssl(dir, ['ca', ...cnf, '-name', `${ca}_ca`, '-gencrl', '-out', `${name}.pem`]);
      openssl(dir, ['crl', '-in', `${name}.pem`, '-outform', 'DER', '-out', `${name}.der`]);
      return `${name}.der`;
    },
    cleanup: t.cleanup,
  };
  return pki;
}
