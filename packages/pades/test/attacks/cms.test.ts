/**
 * CMS-level forgeries carried in a PDF: the /ByteRange and the PDF are sound, the signature
 * value is made by the right key (or a key the forger owns), and what is wrong lies in the
 * SignedData — its signed attributes (RFC 5652 §5.3, §11; ETSI EN 319 122-1 §5.2), its signer
 * certificate, or what a signature without signed attributes covers. @kyso/cms judges them; these
 * tests show that verifyPdf passes its verdict through and never turns one into a pass.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import { fromBase64, pemToDer, toBase64 } from '@kyso/core';
import { finishCades, OID, prepareCades, signerFromPem, type PreparedCadesState, type Signer } from '@kyso/cms';
import { fixturePath } from '@kyso/test-fixtures';
import { describe, expect, it } from 'vitest';
import { embedContents, type ByteRange } from '../../src/byterange/placeholder.js';
import { prepareDocument } from '../../src/sign/prepare-document.js';
import { fixtureSigner } from '../helpers/pki.js';
import { expectPass, onePage, verify } from './kit.js';

function joined(b: Uint8Array, r: ByteRange): Uint8Array {
  return new Uint8Array(Buffer.concat([b.subarray(r[0], r[0] + r[1]), b.subarray(r[2], r[2] + r[3])]));
}

/** The signed attributes as a list of Attribute DERs, and back. */
function attributes(set: Uint8Array): Uint8Array[] {
  const parsed = asn1js.fromBER(set).result as asn1js.Set;
  return parsed.valueBlock.value.map((a) => new Uint8Array(a.toBER()));
}
function attrType(a: Uint8Array): string {
  const seq = asn1js.fromBER(a).result as asn1js.Sequence;
  return (seq.valueBlock.value[0] as asn1js.ObjectIdentifier).valueBlock.toString();
}
function attribute(type: string, value: Uint8Array): Uint8Array {
  return new Uint8Array(new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: type }), new asn1js.Set({ value: [asn1js.fromBER(value).result] })] }).toBER());
}
function setOf(items: Uint8Array[]): Uint8Array {
  return new Uint8Array(new asn1js.Set({ value: items.map((i) => asn1js.fromBER(i).result) }).toBER());
}
const octets = (b: Uint8Array) => new Uint8Array(new asn1js.OctetString({ valueHex: b }).toBER());

/**
 * Signs `pdf` with kyso's placeholders, letting `edit` rewrite the signed attributes (and
 * `certificate` replace the signer certificate in the SignedData) before the key signs them.
 */
async function forge(pdf: Uint8Array, signer: Signer, edit: (attrs: Uint8Array[]) => Uint8Array[], certificate?: Uint8Array): Promise<Uint8Array> {
  const p = prepareDocument(pdf, { signer });
  const digest = new Uint8Array(createHash('sha256').update(joined(p.bytes, p.byteRange)).digest());
  const { state } = await prepareCades({ signer, content: { digest }, signingTime: false });
  const signed = setOf(edit(attributes(fromBase64(state.signedAttributes))));
  const forged: PreparedCadesState = {
    ...state,
    signedAttributes: toBase64(signed),
    certificates: certificate ? [toBase64(certificate), ...state.certificates.slice(1)] : state.certificates,
  };
  const cms = await finishCades(forged, await signer.sign(signed), { verify: false });
  embedContents(p.bytes, p.placeholders, cms);
  return p.bytes;
}

const evilDigest = new Uint8Array(createHash('sha256').update('Pay 900 VND').digest());

describe('forged signed attributes in a PDF signature', () => {
  it('control: an unedited forge passes, so the edits below are what fails', async () => {
    expectPass(await verify(await forge(onePage(), await fixtureSigner('leader'), (a) => a)), 1);
  });

  it('a second message-digest attribute (for other content): TOTAL-FAILED / FORMAT_FAILURE', async () => {
    const r = await verify(await forge(onePage(), await fixtureSigner('leader'), (a) => [...a, attribute(OID.messageDigest, octets(evilDigest))]));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
    expect(r.signatures[0]!.errors.join('\n')).toMatch(/message-digest signed attribute appears 2 times/);
  });

  it('the message-digest of other content: TOTAL-FAILED / HASH_FAILURE', async () => {
    const r = await verify(await forge(onePage(), await fixtureSigner('leader'), (a) => a.map((x) => (attrType(x) === OID.messageDigest ? attribute(OID.messageDigest, octets(evilDigest)) : x))));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'HASH_FAILURE', integrity: false });
  });

  it('no message-digest attribute: TOTAL-FAILED / FORMAT_FAILURE', async () => {
    const r = await verify(await forge(onePage(), await fixtureSigner('leader'), (a) => a.filter((x) => attrType(x) !== OID.messageDigest)));
    expect(r.signatures[0]).toMatchObject({ indication: 'TOTAL-FAILED', subIndication: 'FORMAT_FAILURE' });
  });
});

describe('the signer certificate swapped for another with the same name', () => {
  const pki = (name: string) => fixturePath('pki', name);

  it('a twin certificate from the same CA (same subject, serial and key): INDETERMINATE / NO_SIGNING_CERTIFICATE_FOUND', async () => {
    // A reissue of the leader certificate: the chain validates, the key signs, only the ESS
    // signing-certificate-v2 attribute (ETSI EN 319 122-1 §5.2.2) tells the certificates apart.
    const dir = mkdtempSync(join(tmpdir(), 'kyso-twin-'));
    const serial = /serial=([0-9A-F]+)/.exec(execFileSync('openssl', ['x509', '-in', pki('leader.pem'), '-noout', '-serial'], { encoding: 'utf8' }))![1]!;
    execFileSync('openssl', ['x509', '-x509toreq', '-in', pki('leader.pem'), '-signkey', pki('leader.key.pem'), '-out', join(dir, 'leader.csr')], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'leader.csr'), '-CA', pki('government-ca.pem'), '-CAkey', pki('government-ca.key.pem'), '-set_serial', `0x${serial}`, '-days', '20', '-sha256', '-copy_extensions', 'copyall', '-out', join(dir, 'twin.pem')], { stdio: 'ignore' });
    const twin = pemToDer(readFileSync(join(dir, 'twin.pem'), 'utf8'), 'CERTIFICATE')[0]!;
    const r = await verify(await forge(onePage(), await fixtureSigner('leader'), (a) => a, twin));
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_SIGNING_CERTIFICATE_FOUND' });
    expect(r.signatures[0]!.signer?.commonName).toBe('Nguyễn Văn An');
  });

  it('the forger\'s own key in a certificate naming the same person and CA: not a pass', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kyso-namesake-'));
    const subject = execFileSync('openssl', ['x509', '-in', pki('leader.pem'), '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'], { encoding: 'utf8' }).replace(/^subject=/, '').trim();
    const issuer = execFileSync('openssl', ['x509', '-in', pki('government-ca.pem'), '-noout', '-subject', '-nameopt', 'RFC2253,-esc_msb'], { encoding: 'utf8' }).replace(/^subject=/, '').trim();
    const toSubj = (rfc2253: string) => '/' + rfc2253.split(/(?<!\\),/).reverse().join('/');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'), '-subj', toSubj(issuer), '-utf8', '-days', '30'], { stdio: 'ignore' });
    execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'k.csr'), '-subj', toSubj(subject), '-utf8'], { stdio: 'ignore' });
    execFileSync('openssl', ['x509', '-req', '-in', join(dir, 'k.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-set_serial', '0x1234', '-days', '20', '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    const namesake = await signerFromPem(readFileSync(join(dir, 'k.pem'), 'utf8'), readFileSync(join(dir, 'c.pem'), 'utf8'), readFileSync(join(dir, 'ca.pem'), 'utf8'));
    const r = await verify(await forge(onePage(), namesake, (a) => a));
    expect(r.signatures[0]!.signer?.commonName).toBe('Nguyễn Văn An');
    expect(r.signatures[0]!.integrity).toBe(true);
    expect(r.signatures[0]).toMatchObject({ indication: 'INDETERMINATE', subIndication: 'NO_CERTIFICATE_CHAIN_FOUND' });
  });
});

describe('a signature without signed attributes', () => {
  it('over other data than the /ByteRange names: TOTAL-FAILED; over the right data it passes', async () => {
    const signer = await fixtureSigner('leader');
    const sign = (content: (ranges: Uint8Array) => Uint8Array) => {
      const p = prepareDocument(onePage(), { signer, subFilter: 'adbe.pkcs7.detached', contentsSize: 8192 });
      const dir = mkdtempSync(join(tmpdir(), 'kyso-noattr-'));
      writeFileSync(join(dir, 'in.bin'), content(joined(p.bytes, p.byteRange)));
      execFileSync('openssl', ['cms', '-sign', '-binary', '-noattr', '-in', join(dir, 'in.bin'), '-signer', fixturePath('pki', 'leader.pem'), '-inkey', fixturePath('pki', 'leader.key.pem'), '-certfile', fixturePath('pki', 'leader.chain.pem'), '-outform', 'DER', '-out', join(dir, 'out.p7s')]);
      embedContents(p.bytes, p.placeholders, new Uint8Array(readFileSync(join(dir, 'out.p7s'))));
      return p.bytes;
    };
    expectPass(await verify(sign((ranges) => ranges)), 1);
    const r = await verify(sign((ranges) => Buffer.concat([ranges, Buffer.from('\n% one more line')])));
    expect(r.signatures[0]!.indication).toBe('TOTAL-FAILED');
    expect(['SIG_CRYPTO_FAILURE', 'HASH_FAILURE']).toContain(r.signatures[0]!.subIndication);
    expect(r.signatures[0]!.integrity).toBe(false);
  });
});
