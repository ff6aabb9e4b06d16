import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs openssl with `args` in `cwd`; fails with an install hint when openssl is missing. */
export function openssl(cwd: string, args: string[], input?: string | Uint8Array): Buffer {
  try {
    return execFileSync('openssl', args, { cwd, input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new Error('openssl is not installed: install it with apt-get install openssl');
    throw new Error(`openssl ${args.join(' ')} failed: ${err.stderr?.toString() ?? err.message}`);
  }
}

/** A temp dir that `cleanup()` removes. */
export function tempDir(prefix = 'kyso-trust-'): { dir: string; path: (f: string) => string; read: (f: string) => Uint8Array; write: (f: string, d: string | Uint8Array) => void; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    path: (f) => join(dir, f),
    read: (f) => new Uint8Array(readFileSync(join(dir, f))),
    write: (f, d) => writeFileSync(join(dir, f), d),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Key generation arguments for `openssl req -newkey`. */
export const KEY_SPECS = {
  rsa: ['-newkey', 'rsa:2048'],
  p256: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'],
  p384: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-384'],
  p521: ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-521'],
} as const;
