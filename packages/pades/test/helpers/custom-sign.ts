import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fromLatin1, latin1, pemToDer } from '@kyso/core';
import { finishCades, prepareCades, type Signer } from '@kyso/cms';
import { PdfArray, PdfDict, PdfDocument, PdfName, PdfRaw, PdfString, formatPdfDate, serializeIndirectObject } from '@kyso/pdf';
import { fixturePath, loadFixture } from '@kyso/test-fixtures';
import { BYTE_RANGE_PLACEHOLDER, contentsPlaceholder, embedContents, formatByteRange, patchByteRange, type ByteRange, type PlaceholderOffsets } from '../../src/byterange/placeholder.js';
import { prepareDocument } from '../../src/sign/prepare-document.js';
import type { SigningSubFilter } from '../../src/sign/options.js';
import { tempFile } from './files.js';
import { requireTool } from './tools.js';

function joined(bytes: Uint8Array, r: ByteRange): Uint8Array {
  const out = new Uint8Array(r[1] + r[3]);
  out.set(bytes.subarray(r[0], r[0] + r[1]), 0);
  out.set(bytes.subarray(r[2], r[2] + r[3]), r[1]);
  return out;
}

/**
 * Signs with a /ByteRange of the test's choosing (an attacker's or a broken tool's): a valid CMS
 * over the wrong bytes, to check that the verifier looks at the ByteRange itself.
 */
export async function signWithByteRange(pdf: Uint8Array, signer: Signer, mutate: (r: ByteRange, contents: { start: number; end: number }, length: number) => ByteRange): Promise<Uint8Array> {
  const p = prepareDocument(pdf, { signer });
  const range = mutate(p.byteRange, { start: p.placeholders.contentsStart, end: p.placeholders.contentsEnd }, p.bytes.length);
  p.bytes.set(latin1(formatByteRange(range)), p.placeholders.byteRangeAt);
  await embedCadesOver(p.bytes, range, p.placeholders, signer);
  return p.bytes;
}

/** Signs the bytes `range` covers (SHA-256, CAdES without signing-time) and writes the CMS into the placeholder. */
async function embedCadesOver(bytes: Uint8Array, range: ByteRange, placeholders: PlaceholderOffsets, signer: Signer): Promise<void> {
  const digest = new Uint8Array(createHash('sha256').update(joined(bytes, range)).digest());
  const cades = await prepareCades({ signer, content: { digest }, signingTime: false });
  embedContents(bytes, placeholders, await finishCades(cades.state, await signer.sign(cades.toBeSigned)));
}

/**
 * Signs with `openssl cms -sign` as another producer would: `adbe.pkcs7.detached` with or
 * without signed attributes, or `adbe.pkcs7.sha1` (the SHA-1 digest of the ranges, encapsulated).
 */
export function signWithOpenssl(pdf: Uint8Array, name: string, mode: 'detached' | 'detached-noattr' | 'sha1'): Uint8Array {
  requireTool('openssl');
  const certificate = loadFixture('pki', `${name}.cer`);
  const chain = pemToDer(readFileSync(fixturePath('pki', `${name}.chain.pem`), 'utf8'), 'CERTIFICATE');
  const subFilter = (mode === 'sha1' ? 'adbe.pkcs7.sha1' : 'adbe.pkcs7.detached') as SigningSubFilter;
  const p = prepareDocument(pdf, { signer: { certificate, chain, signatureAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } }, subFilter, contentsSize: 8192 });
  const ranges = joined(p.bytes, p.byteRange);
  const content = mode === 'sha1' ? new Uint8Array(createHash('sha1').update(ranges).digest()) : ranges;
  const input = tempFile(`openssl-${mode}-${Date.now()}.bin`, content);
  const args = ['cms', '-sign', '-binary', '-in', input, '-signer', fixturePath('pki', `${name}.pem`), '-inkey', fixturePath('pki', `${name}.key.pem`), '-certfile', fixturePath('pki', `${name}.chain.pem`), '-outform', 'DER', '-out', `${input}.p7s`];
  if (mode === 'detached-noattr') args.push('-noattr');
  if (mode === 'sha1') args.push('-nodetach', '-md', 'sha1');
  execFileSync('openssl', args);
  embedContents(p.bytes, p.placeholders, new Uint8Array(readFileSync(`${input}.p7s`)));
  return p.bytes;
}

/**
 * Signs as a producer that leaves the AcroForm out: a new signature widget (merged with its
 * field) goes into page `pageIndex`'s /Annots only, with the signature dictionary in the same
 * update. ETSI.CAdES.detached, signed by @kyso/cms over the ranges.
 */
export async function signUnlistedWidget(pdf: Uint8Array, signer: Signer, name: string, pageIndex = 0): Promise<Uint8Array> {
  const doc = PdfDocument.open(pdf);
  const up = doc.beginUpdate();
  const widgetRef = up.allocate();
  const sigRef = up.allocate();
  const page = doc.getPage(pageIndex);
  const sig = PdfDict.of({
    Type: PdfName.of('Sig'),
    Filter: PdfName.of('Adobe.PPKLite'),
    SubFilter: PdfName.of('ETSI.CAdES.detached'),
    ByteRange: PdfRaw.fromString(BYTE_RANGE_PLACEHOLDER),
    Contents: PdfRaw.fromString(contentsPlaceholder(8192)),
    M: PdfString.fromLatin1(formatPdfDate(new Date('2026-12-02T09:00:00Z'))),
  });
  up.set(sigRef, sig);
  up.set(widgetRef, PdfDict.of({ Type: PdfName.of('Annot'), Subtype: PdfName.of('Widget'), FT: PdfName.of('Sig'), T: PdfString.fromText(name), Rect: PdfArray.of([0, 0, 0, 0]), P: page.ref!, F: 132, V: sigRef }));
  const pd = page.dict.clone();
  const annots = (doc.resolve(pd.get('Annots')) as PdfArray | undefined)?.clone() ?? PdfArray.of();
  annots.push(widgetRef);
  pd.set('Annots', annots);
  up.set(page.ref!, pd);
  const res = up.finish();
  const bytes = res.bytes.slice();
  const text = fromLatin1(serializeIndirectObject(sigRef, sig));
  const at = res.offsets.get(sigRef.num)!;
  const contentsStart = at + text.indexOf('/Contents <') + '/Contents '.length;
  const placeholders = { byteRangeAt: at + text.indexOf('/ByteRange [') + '/ByteRange '.length, contentsStart, contentsEnd: contentsStart + 2 * 8192 + 2 };
  await embedCadesOver(bytes, patchByteRange(bytes, placeholders), placeholders, signer);
  return bytes;
}
