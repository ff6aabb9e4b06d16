/**
 * A worker thread of the batch pool (see batch.ts): takes one file at a time from the main
 * thread, signs or verifies it, and answers with the outcome. For signing it holds no key: its
 * `Signer` posts the data to sign to the main thread and waits for the value.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Signer } from '@kyso/cms';
import { isKysoError } from '@kyso/core';
import type { BatchJob, BatchOutcome, BatchWorkerData, FromWorker, SignedFile, ToWorker } from './batch.js';
import { readInput, writeOutput } from './io.js';

const port = parentPort!;
const data = workerData as BatchWorkerData;
const pending = new Map<number, { resolve: (v: Uint8Array) => void; reject: (e: Error) => void }>();
let nextId = 0;

/** A Signer whose key is in the main thread. */
function proxySigner(identity: Extract<BatchWorkerData, { kind: 'sign' }>['identity']): Signer {
  return {
    ...identity,
    sign(toBeSigned: Uint8Array): Promise<Uint8Array> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        port.postMessage({ type: 'sign', id, data: toBeSigned } satisfies FromWorker);
      });
    },
  };
}

async function signOne(job: BatchJob, d: Extract<BatchWorkerData, { kind: 'sign' }>): Promise<SignedFile> {
  const [{ signPdf }, { signOptionsFrom }] = await Promise.all([import('@kyso/pades'), import('./commands/sign.js')]);
  const pdf = await readInput(job.input, 'PDF');
  const signingTime = new Date(Math.floor(Date.now() / 1000) * 1000);
  const options = await signOptionsFrom(d.values, pdf, d.identity.certificate, signingTime);
  const signed = await signPdf(pdf, { signer: proxySigner(d.identity), ...options });
  await writeOutput(job.output!, signed);
  return { output: job.output!, bytesAppended: signed.length - pdf.length };
}

async function verifyOne(job: BatchJob, d: Extract<BatchWorkerData, { kind: 'verify' }>) {
  const { verifyPdf } = await import('@kyso/pades');
  const pdf = await readInput(job.input, 'PDF');
  return verifyPdf(pdf, { trustAnchors: d.trustAnchors, time: new Date(d.time), online: d.online });
}

port.on('message', (m: ToWorker) => {
  if (m.type === 'signature') {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.value) p?.resolve(m.value);
    else p?.reject(new Error(`the key could not sign: ${m.error ?? 'no value'}`));
    return;
  }
  const run = data.kind === 'sign' ? signOne(m.job, data) : verifyOne(m.job, data);
  run.then(
    (value) => port.postMessage({ type: 'result', index: m.index, outcome: { ok: true, value } } satisfies FromWorker),
    (e: unknown) => {
      const outcome: BatchOutcome<never> = isKysoError(e)
        ? { ok: false, code: e.code, message: e.message.split('\n')[0]! }
        : { ok: false, code: 'UNEXPECTED', message: (e as Error)?.message ?? String(e) };
      port.postMessage({ type: 'result', index: m.index, outcome } satisfies FromWorker);
    },
  );
});
