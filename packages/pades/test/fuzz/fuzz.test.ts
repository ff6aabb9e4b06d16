/**
 * Fuzzing the PDF reader, the CMS parser and verifyPdf with random mutations of real signed
 * files (kyso, pdfsig; table and stream cross-references; one, two and three revisions after the
 * original). Properties: no crash (only a KysoError subclass, or a result), no hang (each case
 * within a time budget; an endless loop trips the test timeout), and no changed document turned
 * into a pass (a mutation inside a signature's signed ranges never leaves it TOTAL-PASSED).
 *
 * CI runs a fixed seed and a short budget. A longer local run:
 *   KYSO_FUZZ_RUNS=100000 pnpm exec vitest run packages/pades/test/fuzz   (KYSO_FUZZ_SEED=n for another sequence)
 */
import { isKysoError } from '@kyso/core';
import { inspectCms, verifyCades } from '@kyso/cms';
import { listSignatures, PdfDocument } from '@kyso/pdf';
import { loadFixture } from '@kyso/test-fixtures';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { signPdf, verifyPdf } from '../../src/index.js';
import { minimalPdf, pdfLibPdf } from '../helpers/pdfs.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { pdfsigSign } from '../attacks/kit.js';
import { concrete, fuzzParams, fuzzTimeout, mutate, mutationArb, rangesIntact } from './mutations.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');
/** The most one case may take; far above the few milliseconds a case needs. */
const CASE_BUDGET_MS = 5_000;

interface Seed {
  readonly name: string;
  readonly bytes: Uint8Array;
  /** The signed ranges of each signature, by field name. */
  readonly ranges: ReadonlyMap<string, readonly number[]>;
  /** The DER of each signature's /Contents (for the CMS parser). */
  readonly cms: readonly Uint8Array[];
}

let seeds: Seed[] = [];

function seedOf(name: string, bytes: Uint8Array): Seed {
  const sigs = listSignatures(PdfDocument.open(bytes));
  return { name, bytes, ranges: new Map(sigs.map((s) => [s.field.name, s.byteRange!])), cms: sigs.map((s) => s.contents!) };
}

/** Runs `f`, failing on anything but a KysoError, and on taking longer than the budget. */
async function bounded<T>(f: () => Promise<T> | T): Promise<T | 'threw'> {
  const t0 = performance.now();
  try {
    return await f();
  } catch (e) {
    if (!isKysoError(e)) throw e;
    return 'threw';
  } finally {
    const ms = performance.now() - t0;
    if (ms > CASE_BUDGET_MS) throw new Error(`a fuzz case took ${Math.round(ms)} ms (budget ${CASE_BUDGET_MS} ms)`);
  }
}

beforeAll(async () => {
  const [drafter, head, leader] = await Promise.all([fixtureSigner('drafter'), fixtureSigner('head'), fixtureSigner('leader')]);
  const one = await signPdf(minimalPdf(), { signer: leader });
  const certified = await signPdf(await pdfLibPdf({ objectStreams: true, pages: 1 }), { signer: drafter, certify: 2 });
  const twice = await signPdf(certified, { signer: head, field: { name: 'Head', page: 0, rect: [40, 40, 240, 100] }, appearance: true });
  const forms = await signPdf(loadFixture('pdfs', 'forms-annots.pdf'), { signer: leader, field: 'Signature1' });
  seeds = [seedOf('kyso-table', one), seedOf('kyso-stream-two', twice), seedOf('pdfsig', pdfsigSign(minimalPdf(), 'fuzz-seed')), seedOf('kyso-forms', forms)];
  for (const s of seeds) {
    const r = await verifyPdf(s.bytes, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT });
    expect(r.signatures.every((x) => x.indication === 'TOTAL-PASSED'), s.name).toBe(true);
  }
});

const seedArb = () => fc.integer({ min: 0, max: 3 }).map((i) => seeds[i]!);

describe('fuzz', () => {
  it('the PDF reader: opening and listing signatures of a mutated file gives a result or a KysoError', async () => {
    await fc.assert(
      fc.asyncProperty(seedArb(), fc.array(mutationArb, { minLength: 1, maxLength: 3 }), async (seed, ms) => {
        let b = seed.bytes;
        for (const m of ms) b = mutate(b, concrete(m, b.length));
        await bounded(() => {
          const doc = PdfDocument.open(b);
          listSignatures(doc);
          for (let i = 0; i < doc.revisions.length; i++) doc.atRevision(i).catalog;
        });
      }),
      fuzzParams(1500),
    );
  }, fuzzTimeout(20));

  it('the CMS parser: inspectCms and verifyCades of a mutated /Contents give a result or a KysoError', async () => {
    await fc.assert(
      fc.asyncProperty(seedArb(), fc.nat(), mutationArb, async (seed, which, m) => {
        const der = seed.cms[which % seed.cms.length]!;
        const bad = mutate(der, concrete(m, der.length));
        await bounded(() => inspectCms(bad));
        await bounded(() => verifyCades(bad, { content: { digest: new Uint8Array(32) } }));
      }),
      fuzzParams(3000),
    );
  }, fuzzTimeout(5));

  it('verifyPdf: a report or a KysoError, and never TOTAL-PASSED for a signature whose signed bytes changed', async () => {
    await fc.assert(
      fc.asyncProperty(seedArb(), fc.array(mutationArb, { minLength: 1, maxLength: 2 }), async (seed, ms) => {
        let b = seed.bytes;
        for (const m of ms) b = mutate(b, concrete(m, b.length));
        const r = await bounded(() => verifyPdf(b, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT }));
        if (r === 'threw') return;
        for (const s of r.signatures) {
          const ranges = seed.ranges.get(s.field);
          if (s.indication !== 'TOTAL-PASSED') continue;
          // A pass is only acceptable where the signed bytes are the original ones.
          expect(ranges, `a signature "${s.field}" that the original did not have passed`).toBeDefined();
          expect(rangesIntact(seed.bytes, b, ranges!), `"${s.field}" passed although its signed bytes changed (${JSON.stringify(ms.map((m) => m.kind))})`).toBe(true);
        }
      }),
      fuzzParams(600),
    );
  }, fuzzTimeout(60));
});
