import { execFileSync, spawnSync } from 'node:child_process';

/** Which Debian package provides each external tool the interop tests run. */
const PACKAGE_OF: Record<string, string> = {
  pdfsig: 'poppler-utils',
  mutool: 'mupdf-tools',
  certutil: 'libnss3-tools',
  pk12util: 'libnss3-tools',
  qpdf: 'qpdf',
  openssl: 'openssl',
};

/**
 * Throws (so the test fails, never skips) when `tool` is not on PATH, naming the package to install.
 */
export function requireTool(tool: string): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`${tool} is missing: install it with apt-get install ${PACKAGE_OF[tool] ?? tool}`);
  }
}

/** Runs a tool and returns stdout, stderr and the exit code, without throwing on a non-zero exit. */
export function run(tool: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}) {
  requireTool(tool);
  const r = spawnSync(tool, args, {
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
    ...(opts.input === undefined ? {} : { input: opts.input }),
  });
  if (r.error) throw r.error;
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** Runs a tool and throws with its stderr when it exits non-zero. */
export function runOk(tool: string, args: readonly string[]): string {
  requireTool(tool);
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
