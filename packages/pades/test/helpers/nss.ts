import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './tools.js';

/** An NSS database in a temporary directory, as pdfsig wants it (`-nssdir sql:DIR`). */
export interface NssDb {
  /** The directory. */
  readonly dir: string;
  /** `sql:DIR`, the value of pdfsig's `-nssdir`. */
  readonly spec: string;
}

/**
 * Creates an empty-password NSS database and adds each PEM certificate in `trusted` as a trust
 * anchor for signing (`CT,C,C`).
 */
export function createNssDb(trusted: readonly { nick: string; pem: string }[]): NssDb {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-nss-'));
  const spec = `sql:${dir}`;
  runOk('certutil', ['-N', '-d', spec, '--empty-password']);
  for (const t of trusted) {
    const file = join(dir, `${t.nick}.pem`);
    writeFileSync(file, t.pem);
    runOk('certutil', ['-A', '-d', spec, '-n', t.nick, '-t', 'CT,C,C', '-i', file]);
  }
  return { dir, spec };
}

/**
 * Imports a PKCS#12 file (key + certificate) into the database so `pdfsig -add-signature -nick`
 * can sign with it; returns the nickname NSS gave the certificate.
 */
export function importP12(db: NssDb, p12: Uint8Array, password: string): string {
  const file = join(db.dir, `import-${Date.now()}-${Math.random().toString(16).slice(2)}.p12`);
  writeFileSync(file, p12);
  const before = listNicks(db);
  runOk('pk12util', ['-i', file, '-d', db.spec, '-W', password]);
  const added = listNicks(db).filter((n) => !before.includes(n));
  const userCert = added[0] ?? before.find((n) => n !== 'root');
  if (!userCert) throw new Error('pk12util imported no certificate');
  return userCert;
}

/** The certificate nicknames in the database with their trust flags. */
export function listNicks(db: NssDb): string[] {
  const out = runOk('certutil', ['-L', '-d', db.spec]);
  const lines = out.split('\n').slice(4);
  return lines
    .map((l) => l.replace(/\s+[a-zA-Z,]*,[a-zA-Z,]*,[a-zA-Z]*\s*$/, '').trim())
    .filter((l) => l.length > 0);
}
