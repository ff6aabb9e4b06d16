/**
 * Universal Signature Forgery and Signature Wrapping (Mladenov, Mainka, Meyer zu Selhausen,
 * Grothe, Schwenk: "1 Trillion Dollar Refund – How To Spoof PDF Signatures", CCS 2019), and the
 * /ByteRange manipulations behind them. USF: a signature dictionary whose /Contents or /ByteRange
 * is missing, empty or nonsense, which some viewers skip instead of failing. SWA: the signed
 * bytes stay, but the unsigned /Contents gap is widened or filled to carry other objects.
 * Every one must be TOTAL-FAILED / FORMAT_FAILURE (ETSI EN 319 102-1 §5.1.3), never a pass.
 */
import { PdfDocument, listSignatures } from '@kyso/pdf';
import { describe, expect, it } from 'vitest';
import { formatByteRange } from '../../src/byterange/placeholder.js';
import { signWithByteRange } from '../helpers/custom-sign.js';
import { fixtureSigner } from '../helpers/pki.js';
import { appendRaw, bytes, concat, expectFormatFailure, expectPass, kysoSign, offsetOf, onePage, patch, pdfsigSign, text, verify } from './kit.js';

/** Where a file's (first) signature keeps its /Contents and /ByteRange. */
function sigInfo(pdf: Uint8Array, index = 0) {
  const s = listSignatures(PdfDocument.open(pdf))[index]!;
  const t = text(pdf);
  const contents = t.slice(s.contentsSpan!.start, s.contentsSpan!.end);
  // The signature dictionary's object: from its header to its endobj.
  const start = offsetOf(pdf, s.ref!.num);
  const end = t.indexOf('endobj', s.contentsSpan!.end);
  const brAt = t.indexOf('/ByteRange', start);
  if (brAt < 0 || brAt > end) throw new Error('no /ByteRange in the signature dictionary');
  const brText = /\/ByteRange\s*(\[[^\]]*\])/.exec(t.slice(brAt))![1]!;
  return { s, contents, brText, brAt, start };
}

const blank = (n: number) => ' '.repeat(n);

for (const [who, sign] of [
  ['kyso', (p: Uint8Array) => kysoSign(p)],
  ['pdfsig', async (p: Uint8Array) => pdfsigSign(p, `usf-${Math.random().toString(16).slice(2)}`)],
] as const) {
  describe(`Universal Signature Forgery on a signature made by ${who}`, () => {
    it('control: the untouched file passes', async () => {
      expectPass(await verify(await sign(onePage())), 1);
    });

    it('/Contents removed, zeroed, or emptied: FORMAT_FAILURE', async () => {
      const signed = await sign(onePage());
      const { contents } = sigInfo(signed);
      // The key renamed: the dictionary has no /Contents.
      const at = text(signed).indexOf(contents);
      const renamed = patch(signed, '/Contents', '/Contentz', at - 12);
      expectFormatFailure(await verify(renamed), /\/Contents/);
      // The value zeroed: no CMS at all.
      const zeroed = patch(signed, contents, `<${'0'.repeat(contents.length - 2)}>`);
      expectFormatFailure(await verify(zeroed), /not a readable CMS|no \/Contents/);
      // An empty string where the value was: the gap no longer is the /Contents string.
      const emptied = patch(signed, contents, `<>${blank(contents.length - 2)}`);
      expectFormatFailure(await verify(emptied), /ByteRange/);
      // The literal null.
      const nulled = patch(signed, contents, `null${blank(contents.length - 4)}`);
      expect((await verify(nulled)).signatures[0]?.indication ?? 'gone').not.toBe('TOTAL-PASSED');
    });

    it('/ByteRange removed, null, or all zeros: FORMAT_FAILURE', async () => {
      const signed = await sign(onePage());
      const { brText, brAt } = sigInfo(signed);
      expectFormatFailure(await verify(patch(signed, '/ByteRange', '/ByteRangX', brAt)), /ByteRange: \/ByteRange must be four/);
      expectFormatFailure(await verify(patch(signed, brText, `null${blank(brText.length - 4)}`, brAt)), /ByteRange: \/ByteRange must be four/);
      const zeros = `[0 0 0 0]${blank(brText.length - 9)}`;
      expectFormatFailure(await verify(patch(signed, brText, zeros, brAt)), /ByteRange/);
    });

    it('/SubFilter removed: FORMAT_FAILURE (unsupported /SubFilter)', async () => {
      const signed = await sign(onePage());
      const { start } = sigInfo(signed);
      const sf = text(signed).indexOf('/SubFilter', start);
      expectFormatFailure(await verify(patch(signed, '/SubFilter', '/SubFiltex', sf)), /unsupported \/SubFilter/);
    });
  });
}

describe('Signature Wrapping', () => {
  it('an object injected into the /Contents padding and made live by an update: FORMAT_FAILURE', async () => {
    const signed = await kysoSign(onePage());
    const { contents } = sigInfo(signed);
    const der = contents.replace(/(00)+>$/, '');
    // Keep the dictionary parseable: end the hex string, hide the object in a literal string, reopen a hex string.
    const evil = '4 0 obj\n<< /Length 43 >>\nstream\nBT /F1 24 Tf 72 720 Td (Pay 900 VND) Tj ET\nendstream\nendobj\n';
    const injected = `${der}0> /X (\n${evil}) /Y <`;
    const wrapped = patch(signed, contents, injected + '0'.repeat(contents.length - injected.length - 1) + '>');
    const objAt = text(wrapped).indexOf('4 0 obj\n<< /Length 43');
    const attack = appendRaw(wrapped, { entries: [{ num: 4, at: objAt }] }).pdf;
    const s = expectFormatFailure(await verify(attack), /ByteRange: .*(\/Contents string ends|non-hex)/);
    expect(s.integrity).toBe(true); // the CMS itself still verifies: only the /ByteRange check stops it
  });

  it('the second signed range relocated to the end of the file: not a pass', async () => {
    const signed = await kysoSign(onePage());
    const { s, brText, brAt } = sigInfo(signed);
    const [a, b, c, d] = s.byteRange!;
    const copy = signed.subarray(c!, c! + d!);
    const moved = [a!, b!, signed.length + 1, d!] as [number, number, number, number];
    const relocated = concat(patch(signed, brText, formatByteRange(moved).padEnd(brText.length), brAt), concat(bytes('\n'), copy));
    const r = await verify(relocated);
    expect(r.signatures[0]!.indication).toBe('TOTAL-FAILED');
  });
});

describe('/ByteRange attacks with a valid CMS over the ranges it names', () => {
  it.each([
    ['overlap', (r: readonly number[]) => [0, r[1]!, r[1]! - 20, r[3]! + (r[2]! - r[1]!) + 20], /overlap|second range starts/],
    ['skip more than /Contents', (r: readonly number[]) => [0, r[1]! - 30, r[2]! + 30, r[3]! - 30], /first range ends/],
    ['point past the end of the file', (r: readonly number[]) => [0, r[1]!, r[2]!, r[3]! + 200], /past the end of the file|outside the file/],
  ])('ranges that %s: TOTAL-FAILED / FORMAT_FAILURE', async (_what, mutate, why) => {
    const bytesOut = await signWithByteRange(onePage(), await fixtureSigner('leader'), (r) => mutate(r) as unknown as typeof r);
    expectFormatFailure(await verify(bytesOut), why);
  });

  it('a gap that is another signature\'s /Contents, not the dictionary\'s own: FORMAT_FAILURE', async () => {
    const first = await kysoSign(onePage(), 'drafter');
    const one = sigInfo(first).s.contentsSpan!;
    const attack = await signWithByteRange(first, await fixtureSigner('leader'), (_r, _c, len) => [0, one.start, one.end, len - one.end] as unknown as typeof _r);
    const r = await verify(attack);
    expectFormatFailure(r, /first range ends at .* but the \/Contents string starts/, 1);
  });

  it('data hidden after the DER inside /Contents: FORMAT_FAILURE; zero padding is fine', async () => {
    const signed = await kysoSign(onePage());
    const { contents } = sigInfo(signed);
    const hidden = contents.slice(0, -11) + '4556494C>'.padStart(11, '0');
    expectFormatFailure(await verify(patch(signed, contents, hidden)), /hides 4 non-zero byte/);
    expectPass(await verify(signed), 1);
  });
});
