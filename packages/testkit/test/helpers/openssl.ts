import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Result of one openssl run. */
export interface OpensslResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly stdoutBytes: Uint8Array;
}

/** Runs `openssl args…`; fails the test with an install hint when openssl is missing. */
export function openssl(args: readonly string[], input?: Uint8Array | string): OpensslResult {
  const r = spawnSync('openssl', args, { input, maxBuffer: 64 << 20 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error('openssl is not installed: install it with apt-get install openssl');
  }
  return {
    status: r.status ?? -1,
    stdout: r.stdout?.toString('utf8') ?? '',
    stderr: r.stderr?.toString('utf8') ?? '',
    stdoutBytes: new Uint8Array(r.stdout ?? []),
  };
}

/** A temporary directory with a `write(name, data)` helper and `cleanup()`. */
export function tempDir(prefix = 'kyso-testkit-'): { dir: string; write(name: string, data: Uint8Array | string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, data) {
      const p = join(dir, name);
      writeFileSync(p, data);
      return p;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Seconds since the epoch, for `openssl … -attime`. */
export const epoch = (d: Date): string => String(Math.floor(d.getTime() / 1000));

/**
 * Runs openssl without blocking the event loop: needed when it talks to a server running in
 * this same process (spawnSync would deadlock).
 */
export function opensslAsync(args: readonly string[], input?: Uint8Array | string): Promise<OpensslResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('openssl', args);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new Error('openssl is not installed: install it with apt-get install openssl') : e),
    );
    child.on('close', (code) => {
      const stdout = Buffer.concat(out);
      resolve({ status: code ?? -1, stdout: stdout.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), stdoutBytes: new Uint8Array(stdout) });
    });
    // openssl may exit before reading its input (e.g. `ocsp -url` that reads none): the pipe is
    // then closed (EPIPE), and its exit status and stderr say what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}
