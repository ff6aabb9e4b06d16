import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** The `kyso` command's script. */
export const BIN = fileURLToPath(new URL('../bin/kyso.cjs', import.meta.url));

/** Result of one `kyso` process. */
export interface KysoRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`pnpm build` first; `pnpm test` does) as a user would. */
export function kyso(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): KysoRun {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Like {@link kyso}, without blocking this process: needed when the test itself serves
 * something the CLI calls (a TSA, an OCSP responder on 127.0.0.1).
 */
export function kysoAsync(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<KysoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env: { ...process.env, ...opts.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** A temporary directory removed after the file's tests. */
export function tempDir(prefix = 'kyso-cli-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Fails (never skips) when a command-line tool is missing, naming the Debian package. */
export function requireTool(tool: string, debianPackage: string): void {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    throw new Error(`${tool} is not installed; install it with: apt-get install ${debianPackage}`);
  }
}

/** Runs a tool; returns its exit code and output without throwing. */
export function run(cmd: string, args: string[], cwd?: string): KysoRun {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
