/**
 * A SoftHSM2 token made for one test file: its own token directory under a temp dir
 * (SOFTHSM2_CONF), a token "kyso" (user PIN 1234, SO PIN 5678), fixture keys imported with
 * softhsm2-util and their certificates written as CKO_CERTIFICATE objects with C_CreateObject.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCertificate } from '@kyso/cms';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
export const TOKEN = 'kyso';
export const PIN = '1234';
export const SO_PIN = '5678';

/** Runs a tool; a missing tool fails with the Debian package that brings it. */
export function run(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string | Uint8Array; env?: NodeJS.ProcessEnv } = {}): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, input: opts.input, env: opts.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 120_000 });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    const pkg = { 'softhsm2-util': 'softhsm2', openssl: 'openssl', pdfsig: 'poppler-utils', certutil: 'libnss3-tools' }[cmd] ?? cmd;
    throw new Error(`${cmd} is not installed: install it with apt-get install ${pkg}`);
  }
  return { status: r.status ?? 1, stdout: r.stdout?.toString() ?? '', stderr: r.stderr?.toString() ?? '' };
}

export function runOk(cmd: string, args: readonly string[], opts: { cwd?: string; input?: string | Uint8Array } = {}): string {
  const r = run(cmd, args, opts);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Fails (never skips) when SoftHSM2 is missing. */
export function requireSoftHsm(): void {
  if (!existsSync(SOFTHSM_MODULE)) throw new Error(`SoftHSM2 is missing (${SOFTHSM_MODULE}): install it with apt-get install softhsm2`);
  run('softhsm2-util', ['--version']);
}

/** One key to put on the token. */
export interface TokenKey {
  /** Fixture identity under test-fixtures/pki (NAME.key.pem, NAME.cer). */
  readonly fixture: string;
  readonly label: string;
  /** CKA_ID in hex. */
  readonly id: string;
  /** Write the certificate too (default true). */
  readonly withCertificate?: boolean;
}

/** A CA certificate to store on the token without a key, as Vietnamese CA tokens do. */
export interface TokenCaCert {
  readonly fixture: string;
  readonly label: string;
}

export interface TestToken {
  readonly dir: string;
  cleanup(): void;
}

/**
 * Makes the token and points this process at it (SOFTHSM2_CONF). Must run before the first
 * C_Initialize of the module in this process: SoftHSM2 reads its configuration then.
 */
export async function makeTestToken(keys: readonly TokenKey[], caCerts: readonly TokenCaCert[] = []): Promise<TestToken> {
  requireSoftHsm();
  const dir = mkdtempSync(join(tmpdir(), 'kyso-softhsm-'));
  const tokens = join(dir, 'tokens');
  runOk('mkdir', ['-p', tokens]);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  process.env['SOFTHSM2_CONF'] = conf;
  runOk('softhsm2-util', ['--init-token', '--free', '--label', TOKEN, '--pin', PIN, '--so-pin', SO_PIN]);
  for (const k of keys) {
    const p8 = join(dir, `${k.label}.p8`);
    // softhsm2-util takes an unencrypted PKCS#8 file (RFC 5208); the fixtures are PKCS#8 PEM already, normalised here.
    runOk('openssl', ['pkcs8', '-topk8', '-nocrypt', '-in', fixturePath('pki', `${k.fixture}.key.pem`), '-out', p8]);
    runOk('softhsm2-util', ['--import', p8, '--token', TOKEN, '--label', k.label, '--id', k.id, '--pin', PIN]);
  }
  const certs = [
    ...keys.filter((k) => k.withCertificate !== false).map((k) => ({ der: loadFixture('pki', `${k.fixture}.cer`), label: k.label, id: k.id })),
    ...caCerts.map((c) => ({ der: loadFixture('pki', `${c.fixture}.cer`), label: c.label, id: '' })),
  ];
  if (certs.length) await writeCertificates(certs);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Writes X.509 certificate objects (PKCS#11 v2.40 §4.6.3) with the binding itself, then
 * finalises the module so the code under test initialises it afresh.
 */
async function writeCertificates(certs: readonly { der: Uint8Array; label: string; id: string }[]): Promise<void> {
  const require = createRequire(import.meta.url);
  // Resolved from the package under test, which depends on pkcs11js.
  const pkcs11js = require('pkcs11js') as typeof import('pkcs11js');
  const lib = new pkcs11js.PKCS11();
  lib.load(SOFTHSM_MODULE);
  lib.C_Initialize();
  try {
    const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === TOKEN);
    if (!slot) throw new Error('the test token is not visible');
    const session = lib.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    lib.C_Login(session, pkcs11js.CKU_USER, PIN);
    for (const c of certs) {
      const info = parseCertificate(c.der);
      lib.C_CreateObject(session, [
        // CKA_SUBJECT is required on creation (PKCS#11 v2.40 §4.6.3, Table 24).
        { type: pkcs11js.CKA_SUBJECT, value: Buffer.from(info.subject) },
        { type: pkcs11js.CKA_ISSUER, value: Buffer.from(info.issuer) },
        { type: pkcs11js.CKA_SERIAL_NUMBER, value: Buffer.from(info.serialNumber) },
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_CERTIFICATE },
        { type: pkcs11js.CKA_CERTIFICATE_TYPE, value: pkcs11js.CKC_X_509 },
        { type: pkcs11js.CKA_TOKEN, value: true },
        { type: pkcs11js.CKA_PRIVATE, value: false },
        { type: pkcs11js.CKA_LABEL, value: c.label },
        { type: pkcs11js.CKA_ID, value: Buffer.from(c.id, 'hex') },
        { type: pkcs11js.CKA_VALUE, value: Buffer.from(c.der) },
      ]);
    }
    lib.C_CloseSession(session);
  } finally {
    lib.C_Finalize();
    lib.close();
  }
}

/** `openssl cms -verify` of a detached CAdES signature, trusting only the fixture root. */
export function opensslCmsVerify(dir: string, p7s: Uint8Array, content: Uint8Array): { ok: boolean; stderr: string } {
  writeFileSync(join(dir, 'sig.p7s'), p7s);
  writeFileSync(join(dir, 'content.bin'), content);
  const r = run('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', 'sig.p7s', '-content', 'content.bin', '-CAfile', fixturePath('pki', 'root.pem'), '-purpose', 'any', '-out', '/dev/null'], { cwd: dir });
  return { ok: r.status === 0, stderr: r.stderr };
}
