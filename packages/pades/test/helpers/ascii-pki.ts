import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from './tools.js';

/** A root and a signer with ASCII-only names, made by openssl (for producers that mangle UTF-8 names). */
export interface AsciiPki {
  readonly dir: string;
  readonly rootPem: string;
  /** Legacy (3DES/RC2) PKCS#12 of the signer with its chain, password `kyso`. */
  readonly p12: Uint8Array;
}

/**
 * node-forge (under @signpdf/signer-p12) re-encodes the issuer Name of the SignerInfo and
 * double-encodes UTF-8 (found here: the sid of a Vietnamese-named CA no longer matches its
 * certificate), so @signpdf interop needs ASCII names.
 */
export function makeAsciiPki(): AsciiPki {
  requireTool('openssl');
  const dir = mkdtempSync(join(tmpdir(), 'kyso-ascii-pki-'));
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  writeFileSync(f('ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
  writeFileSync(f('ee.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('root.key'), '-out', f('root.pem'), '-subj', '/C=VN/O=Kyso Interop Test/CN=Kyso Interop Root', '-days', '3650', '-extensions', 'v3_ca', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ee.key'), '-out', f('ee.csr'), '-subj', '/C=VN/O=Kyso Interop Test/CN=Interop Signer']);
  run(['x509', '-req', '-in', f('ee.csr'), '-CA', f('root.pem'), '-CAkey', f('root.key'), '-CAcreateserial', '-out', f('ee.pem'), '-days', '3650', '-extfile', f('ee.ext')]);
  run(['pkcs12', '-export', '-legacy', '-in', f('ee.pem'), '-inkey', f('ee.key'), '-certfile', f('root.pem'), '-out', f('ee.p12'), '-passout', 'pass:kyso', '-name', 'interop']);
  return { dir, rootPem: readFileSync(f('root.pem'), 'utf8'), p12: new Uint8Array(readFileSync(f('ee.p12'))) };
}
