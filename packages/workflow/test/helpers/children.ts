import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * Child processes run the built package (`dist/`), as a deployment would: build it (and what
 * it depends on) first. `tsc -b` is incremental, so this is quick when nothing changed.
 */
export async function buildWorkflowPackage(): Promise<void> {
  // Test files run in parallel: one build at a time (a lock directory), the others wait.
  const lock = `${ROOT}packages/workflow/.build-lock`;
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 1200) throw new Error(`${lock} is held for 10 minutes; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    execFileSync(process.execPath, [`${ROOT}node_modules/typescript/bin/tsc`, '-b', 'packages/workflow'], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    throw new Error(`tsc -b packages/workflow failed, so the worker processes have no dist/ to run:\n${String((e as { stdout?: Buffer }).stdout ?? e)}`);
  } finally {
    rmdirSync(lock);
  }
}

/** Starts `test/workers/<script>` with `args`; messages come back over IPC. */
export function startWorker(script: string, args: string[]): ChildProcess {
  return fork(fileURLToPath(new URL(`../workers/${script}`, import.meta.url)), args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
}

/** Waits for a worker to exit and returns its last IPC message; rejects with its stderr if it fails. */
export function workerResult<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    let last: T | undefined;
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.on('message', (m) => (last = m as T));
    child.on('exit', (code, signal) => {
      if (code === 0 && last !== undefined) resolve(last);
      else reject(new Error(`worker exited with ${code ?? signal}: ${err.slice(-3000)}`));
    });
  });
}

export const PKI_DIR = fileURLToPath(new URL('../../../../test-fixtures/pki/', import.meta.url));
