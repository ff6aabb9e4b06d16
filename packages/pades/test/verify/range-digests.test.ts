// All the signatures of a document are hashed in one pass over the file (src/verify/range-digests.ts):
// the digests must be those of each /ByteRange hashed on its own, and the bytes hashed about one
// file's worth, not one per signature.
import { nobleDigestEngine, type DigestEngine } from '@kyso/cms';
import { nodeDigestEngine } from '@kyso/cms/node';
import { listSignatures, PdfDocument, type ByteSource } from '@kyso/pdf';
import { FileByteSource } from '@kyso/pdf/node';
import { describe, expect, it } from 'vitest';
import { signPdf, verifyPdf, type ByteRange } from '../../src/index.js';
import { verifyPdfFile } from '../../src/node/index.js';
import { digestByteRange } from '../../src/sign/digest-ranges.js';
import { RangeDigests } from '../../src/verify/range-digests.js';
import { verifyDocument } from '../../src/verify/verify-pdf.js';
import { tamper, tempFile } from '../helpers/files.js';
import { minimalPdf } from '../helpers/pdfs.js';
import { fixtureRoot, fixtureSigner } from '../helpers/pki.js';
import { expectAllPassed } from '../helpers/verify.js';

const VERIFY_AT = new Date('2026-12-03T00:00:00Z');

/** A page whose text is 1 MB (so that the part all signatures share dominates), then three signatures. */
async function threeSignatures(): Promise<Uint8Array> {
  let pdf = minimalPdf('kyso '.repeat(200_000));
  for (const [who, field] of [['drafter', 'A'], ['head', 'B'], ['leader', 'C']] as const) {
    pdf = await signPdf(pdf, { signer: await fixtureSigner(who), field, signingTime: VERIFY_AT });
  }
  return pdf;
}

/** `engine`, counting the bytes it is fed. */
function counting(engine: DigestEngine): { engine: DigestEngine; bytes: () => number } {
  let n = 0;
  const wrap = (h: ReturnType<DigestEngine['create']>): ReturnType<DigestEngine['create']> => ({
    update: (chunk) => {
      n += chunk.length;
      h.update(chunk);
    },
    digest: () => h.digest(),
    ...(h.copy ? { copy: () => wrap(h.copy!()) } : {}),
  });
  return { engine: { create: (alg) => wrap(engine.create(alg)) }, bytes: () => n };
}

describe('the byte ranges of all signatures in one pass', () => {
  it('gives each range the digest it has on its own, with Node’s hashes and with @noble/hashes', async () => {
    const pdf = await threeSignatures();
    const ranges = listSignatures(PdfDocument.open(pdf)).map((s) => s.byteRange as unknown as ByteRange);
    expect(ranges).toHaveLength(3);
    for (const engine of [nodeDigestEngine, nobleDigestEngine]) {
      const digests = RangeDigests.create(pdf, ranges, engine)!;
      // Asked newest first: the pass still goes through the file once, from the start.
      for (const r of [...ranges].reverse()) {
        expect(Buffer.from(await digests.digest(r, 'SHA-256')).toString('hex')).toBe(Buffer.from(await digestByteRange(pdf, r, 'SHA-256')).toString('hex'));
      }
      expect(Buffer.from(await digests.digest(ranges[0]!, 'SHA-384')).toString('hex')).toBe(Buffer.from(await digestByteRange(pdf, ranges[0]!, 'SHA-384')).toString('hex'));
    }
  });

  it('verifyPdf and verifyPdfFile hash about the file once for three signatures; a changed byte in the shared part fails all three', async () => {
    const pdf = await threeSignatures();
    const inMemory = counting(nodeDigestEngine);
    expectAllPassed(await verifyPdf(pdf, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT, digestEngine: inMemory.engine, online: false }), 3);
    expect(inMemory.bytes()).toBeGreaterThan(pdf.length * 0.9);
    expect(inMemory.bytes()).toBeLessThan(pdf.length * 1.2); // each signature on its own: ~3 × the file
    const file = tempFile('three-one-pass.pdf', pdf);
    const fromFile = counting(nodeDigestEngine);
    expectAllPassed(await verifyPdfFile(file, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT, digestEngine: fromFile.engine, online: false }), 3);
    expect(fromFile.bytes()).toBeLessThan(pdf.length * 1.2);

    const bad = tamper(pdf, 1000);
    const report = await verifyPdf(bad, { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT, online: false });
    expect(report.signatures.map((s) => [s.indication, s.subIndication])).toEqual(Array(3).fill(['TOTAL-FAILED', 'HASH_FAILURE']));
  });

  it('hashes each range on its own where hashes cannot be copied, and leaves WebCrypto (no engine) to the caller', async () => {
    expect(RangeDigests.create(new Uint8Array(10), [[0, 1, 2, 3]], undefined)).toBeUndefined();
    const pdf = await threeSignatures();
    const ranges = listSignatures(PdfDocument.open(pdf)).map((s) => s.byteRange as unknown as ByteRange);
    const noCopy = counting({
      create: (alg) => {
        const h = nodeDigestEngine.create(alg);
        return { update: (c) => h.update(c), digest: () => h.digest() };
      },
    });
    const digests = RangeDigests.create(pdf, ranges, noCopy.engine)!;
    for (const r of ranges) {
      expect(Buffer.from(await digests.digest(r, 'SHA-256')).toString('hex')).toBe(Buffer.from(await digestByteRange(pdf, r, 'SHA-256')).toString('hex'));
    }
    expect(noCopy.bytes()).toBe(ranges.reduce((n, r) => n + r[1] + r[3], 0)); // each range once, on its own
  });

  it('a file whose signatures have revisions after them is read about once: the reference search runs on the hash pass', async () => {
    const pdf = await threeSignatures();
    const file = FileByteSource.open(tempFile('three-counted.pdf', pdf));
    let read = 0;
    const counted: ByteSource = {
      length: file.length,
      inMemory: false,
      read: (start, end) => {
        const b = file.read(start, end);
        read += b.length;
        return b;
      },
      readInto: (target, start) => {
        const n = file.readInto(target, start);
        read += n;
        return n;
      },
    };
    try {
      const report = await verifyDocument(PdfDocument.open(counted), { trustAnchors: [fixtureRoot().pem], time: VERIFY_AT, digestEngine: nodeDigestEngine, online: false });
      expectAllPassed(report, 3);
      // The changes after the first two signatures were analysed, references included.
      expect(report.signatures.map((s) => s.modificationsAfter)).toEqual(['allowed', 'allowed', 'none']);
      expect(read).toBeGreaterThan(pdf.length);
      // The hash pass, the rest of the reference search (a few KB) and the parser's reads (~0.4 MB
      // whatever the size); the reference search read the whole file again before (2.4 MB here).
      expect(read).toBeLessThan(pdf.length * 1.7);
    } finally {
      file.close();
    }
  });
});
