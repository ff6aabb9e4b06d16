/**
 * Batch signing and verification: `kyso sign a.pdf b.pdf … --out-dir DIR` and
 * `kyso verify a.pdf b.pdf …`. The files run in parallel on a pool of worker threads (one per
 * CPU core unless `--jobs N`); a progress bar shows on a terminal (stderr only), a summary lists
 * every file; one bad file does not stop the others.
 *
 * Where the key lives: a `CryptoKey` cannot cross threads and a token should be logged in once,
 * so the key is opened once, in the main thread. Each worker prepares and hashes its PDF with
 * `signPdf` through a proxy `Signer` that holds only the certificate, chain and algorithm and
 * posts the DER of the signed attributes (a few hundred bytes) to the main thread, which signs it
 * with the real `Signer` — one call at a time — and posts the value back. Reading, hashing,
 * drawing appearances and writing stay parallel; the one RSA operation per file (~1 ms) does not.
 */
import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SigningIdentity } from '@kyso/cms';
import type { PdfVerificationReport } from '@kyso/pades';
import { KysoError } from '@kyso/core';
import { UsageError } from './errors.js';
import { out, paint, writeOutput } from './io.js';
import { signerFromOptions } from './keys.js';

/** The outcome of one file: what the worker produced, or why it could not. */
export type BatchOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: string; readonly message: string };

/** What the main thread sends a worker once, at start. */
export type BatchWorkerData =
  | { readonly kind: 'sign'; readonly values: Record<string, unknown>; readonly identity: SigningIdentity }
  | { readonly kind: 'verify'; readonly trustAnchors: readonly Uint8Array[]; readonly time: string; readonly online: boolean };

/** One file for a worker: the input and, for signing, where the signed copy goes. */
export interface BatchJob {
  readonly input: string;
  readonly output?: string;
}

/** Messages between the main thread and a worker (structured clone). */
export type ToWorker = { readonly type: 'job'; readonly index: number; readonly job: BatchJob } | { readonly type: 'signature'; readonly id: number; readonly value?: Uint8Array; readonly error?: string };
export type FromWorker =
  | { readonly type: 'result'; readonly index: number; readonly outcome: BatchOutcome<unknown> }
  | { readonly type: 'sign'; readonly id: number; readonly data: Uint8Array };

/** What a signed file reports. */
export interface SignedFile {
  readonly output: string;
  readonly bytesAppended: number;
}

/** A one-line progress bar on a terminal; nothing at all when `stream` is not one. */
export interface Progress {
  /** Marks one more file done (`label` names the file). */
  tick(label: string): void;
  /** Clears the bar. */
  end(): void;
}

/** A progress bar for `total` files on `stream` (default stderr), drawn only when it is a TTY: `[███░░░] 3/10 signed a.pdf` (the last file done). */
export function createProgress(total: number, verb: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { tick() {}, end() {} };
  let done = 0;
  const draw = (label: string) => {
    const width = 24;
    const filled = Math.round((done / total) * width);
    const cols = stream.columns || 80;
    const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total} ${verb} ${label}`;
    stream.write(`\r\x1b[K${line.length > cols - 1 ? line.slice(0, cols - 2) + '…' : line}`);
  };
  draw('');
  return {
    tick(label) {
      done++;
      draw(label);
    },
    end() {
      stream.write('\r\x1b[K');
    },
  };
}

/** Options of {@link runPool}. */
export interface PoolOptions {
  readonly workerData: BatchWorkerData;
  /** Number of worker threads; default one per CPU core, never more than there are files. */
  readonly size?: number;
  /** Signs the data a worker sends (batch signing). Calls are made one at a time. */
  readonly sign?: (data: Uint8Array) => Promise<Uint8Array>;
  /** Called as each file finishes. */
  readonly onResult?: (index: number, outcome: BatchOutcome<unknown>) => void;
  /** The worker script; default {@link batchWorkerUrl}. */
  readonly workerUrl?: URL;
}

/**
 * The worker script, `dist/batch-worker.js` of @kyso/cli, found through the package's own name
 * so that it is the same file whether this module runs from `dist/` or from the esbuild bundle's
 * chunk folder.
 */
export function batchWorkerUrl(): URL {
  try {
    return new URL('dist/batch-worker.js', pathToFileURL(createRequire(import.meta.url).resolve('@kyso/cli/package.json')));
  } catch {
    return new URL('./batch-worker.js', import.meta.url);
  }
}

/**
 * Runs `jobs` on a pool of worker threads and resolves, in the order of `jobs`, to the outcome
 * of each. A worker that dies takes only its current file with it (`WORKER_FAILED`); a new one
 * takes its place.
 */
export async function runPool(jobs: readonly BatchJob[], options: PoolOptions): Promise<BatchOutcome<unknown>[]> {
  const results: (BatchOutcome<unknown> | undefined)[] = new Array(jobs.length).fill(undefined);
  if (jobs.length === 0) return [];
  const size = Math.max(1, Math.min(options.size ?? availableParallelism(), jobs.length));
  const url = options.workerUrl ?? batchWorkerUrl();
  let next = 0;
  let finished = 0;
  // Signing with the one key is serialised: a PKCS#11 session or a prompt is not re-entrant.
  let signing: Promise<unknown> = Promise.resolve();

  return new Promise((resolvePool) => {
    const settle = (index: number, outcome: BatchOutcome<unknown>) => {
      if (results[index] !== undefined) return;
      results[index] = outcome;
      finished++;
      options.onResult?.(index, outcome);
      if (finished === jobs.length) resolvePool(results as BatchOutcome<unknown>[]);
    };

    const start = () => {
      const worker = new Worker(url, { workerData: options.workerData });
      let current: number | undefined;
      const feed = () => {
        if (next >= jobs.length) {
          current = undefined;
          void worker.terminate();
          return;
        }
        current = next++;
        worker.postMessage({ type: 'job', index: current, job: jobs[current]! } satisfies ToWorker);
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'result') {
          settle(m.index, m.outcome);
          feed();
        } else if (m.type === 'sign') {
          const sign = options.sign;
          signing = signing.then(async () => {
            try {
              if (!sign) throw new Error('this batch does not sign');
              const value = await sign(m.data);
              worker.postMessage({ type: 'signature', id: m.id, value } satisfies ToWorker);
            } catch (e) {
              worker.postMessage({ type: 'signature', id: m.id, error: (e as Error).message ?? String(e) } satisfies ToWorker);
            }
          });
        }
      });
      const lost = (why: string) => {
        if (current === undefined) return;
        const index = current;
        current = undefined;
        settle(index, { ok: false, code: 'WORKER_FAILED', message: `the worker thread stopped while on this file (${why})` });
        if (next < jobs.length) start();
      };
      worker.on('error', (e) => lost(e.message));
      worker.on('exit', (code) => lost(`exit code ${code}`));
      feed();
    };
    for (let i = 0; i < size; i++) start();
  });
}

/** `--jobs N`: the pool size, default one per CPU core. */
function poolSize(values: Record<string, unknown>): number | undefined {
  const j = values['jobs'];
  if (j === undefined) return undefined;
  const n = Number(j);
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new UsageError(`--jobs takes a number of worker threads from 1 to 256, not "${String(j)}".`);
  return n;
}

/** The output path of each input in `outDir`; refuses two inputs with one name, and overwriting an input. */
export function batchOutputs(inputs: readonly string[], outDir: string): string[] {
  const seen = new Map<string, string>();
  return inputs.map((input) => {
    const output = join(outDir, basename(input));
    const key = resolve(output);
    const other = seen.get(key);
    if (other !== undefined) throw new UsageError(`${other} and ${input} would both be written to ${output}; sign them into different --out-dir directories.`);
    seen.set(key, input);
    if (key === resolve(input)) throw new UsageError(`${input} would be overwritten by its signed copy; choose another --out-dir.`);
    return output;
  });
}

/** Batch `kyso sign`: resolves to the exit code (0 only if every file was signed, else 2). */
export async function runSignBatch(values: Record<string, string | boolean | string[] | undefined>, inputs: readonly string[], outDir: string): Promise<number> {
  const size = poolSize(values);
  const outputs = batchOutputs(inputs, outDir);
  const signer = await signerFromOptions(values, 'sign');
  try {
    try {
      await mkdir(outDir, { recursive: true });
    } catch (cause) {
      throw new KysoError('OUTPUT_UNWRITABLE', `Cannot create the directory ${outDir}: ${(cause as Error).message}.`, { cause });
    }
    const identity: SigningIdentity = { certificate: signer.certificate, chain: [...signer.chain], signatureAlgorithm: { ...signer.signatureAlgorithm } };
    // The options as parsed, minus nothing secret: passwords and PINs are named by variable, never given.
    const progress = createProgress(inputs.length, 'signed');
    const results = await runPool(
      inputs.map((input, i) => ({ input, output: outputs[i]! })),
      {
        workerData: { kind: 'sign', values, identity },
        ...(size ? { size } : {}),
        sign: (data) => signer.sign(data),
        onResult: (i) => progress.tick(basename(inputs[i]!)),
      },
    );
    progress.end();
    const failed = results.filter((r) => !r.ok).length;
    out(`Signed ${inputs.length - failed} of ${inputs.length} PDF(s) into ${outDir}${failed ? `; ${failed} failed` : ''}:`);
    results.forEach((r, i) => {
      if (r.ok) {
        const v = r.value as SignedFile;
        out(`  ${paint(32, 'signed')}  ${inputs[i]} → ${v.output} (${v.bytesAppended} bytes appended)`);
      } else out(`  ${paint(31, 'FAILED')}  ${inputs[i]}: ${r.code}: ${r.message}`);
    });
    return failed ? 2 : 0;
  } finally {
    await (signer as { close?: () => Promise<void> }).close?.();
  }
}

/** One file's verification: its report, or why it could not be verified. */
export type VerifiedFile = { readonly file: string } & BatchOutcome<PdfVerificationReport>;

/** Whether a report counts as passed: at least one signature, all TOTAL-PASSED. */
export function reportPassed(report: PdfVerificationReport): boolean {
  return report.signatures.length > 0 && report.signatures.every((s) => s.indication === 'TOTAL-PASSED');
}

/** Batch `kyso verify`: every file's outcome, in the order given. */
export async function verifyBatch(files: readonly string[], trustAnchors: readonly Uint8Array[], time: Date, values: Record<string, unknown>): Promise<VerifiedFile[]> {
  const size = poolSize(values);
  const progress = createProgress(files.length, 'verified');
  const results = await runPool(
    files.map((input) => ({ input })),
    {
      workerData: { kind: 'verify', trustAnchors, time: time.toISOString(), online: values['offline'] !== true },
      ...(size ? { size } : {}),
      onResult: (i) => progress.tick(basename(files[i]!)),
    },
  );
  progress.end();
  return results.map((r, i) => ({ file: files[i]!, ...(r as BatchOutcome<PdfVerificationReport>) }));
}

/** The exit code of a batch verification: 2 if any file could not be verified, else 1 if any did not pass, else 0. */
export function verifyBatchExitCode(results: readonly VerifiedFile[]): number {
  if (results.some((r) => !r.ok)) return 2;
  return results.every((r) => r.ok && reportPassed(r.value)) ? 0 : 1;
}

/** The summary that ends a batch verification's text output. */
export function verifySummary(results: readonly VerifiedFile[]): string {
  const passed = results.filter((r) => r.ok && reportPassed(r.value)).length;
  const errors = results.filter((r) => !r.ok).length;
  const lines = [`Verified ${results.length} PDF(s): ${passed} passed, ${results.length - passed - errors} not passed, ${errors} could not be verified`];
  for (const r of results) {
    if (!r.ok) lines.push(`  ${paint(31, 'ERROR')}       ${r.file}: ${r.code}: ${r.message}`);
    else if (reportPassed(r.value)) lines.push(`  ${paint(32, 'passed')}      ${r.file} (${r.value.signatures.length} signature(s), all TOTAL-PASSED)`);
    else if (r.value.signatures.length === 0) lines.push(`  ${paint(33, 'NOT PASSED')}  ${r.file}: no signature`);
    else {
      const bad = r.value.signatures.filter((s) => s.indication !== 'TOTAL-PASSED').map((s) => `${s.field} ${s.indication}${s.subIndication ? ` / ${s.subIndication}` : ''}`);
      lines.push(`  ${paint(33, 'NOT PASSED')}  ${r.file}: ${bad.join('; ')}`);
    }
  }
  return lines.join('\n');
}

/** Writes `text` to `output` atomically, or prints it. */
export async function emit(text: string, output: string | undefined): Promise<void> {
  if (output === undefined) out(text);
  else await writeOutput(output, text.endsWith('\n') ? text : text + '\n');
}
