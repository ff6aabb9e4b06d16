import { spawnSync } from 'node:child_process';

const PACKAGES: Record<string, string> = { qpdf: 'qpdf', pdftoppm: 'poppler-utils', pdfsig: 'poppler-utils', gs: 'ghostscript', mutool: 'mupdf-tools' };

/** Runs a command-line tool; a missing tool fails the test with the package to install. */
export function tool(cmd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'latin1', maxBuffer: 64 * 1024 * 1024 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
    throw new Error(`${cmd} is not installed: install it with apt-get install ${PACKAGES[cmd] ?? cmd}`);
  }
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
