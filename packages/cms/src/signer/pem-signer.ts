import { decodePem, looksLikePem, type PemBlock } from '@kyso/core';
import { parseCertificate, orderChain } from '../certificate.js';
import { SignerError } from '../errors.js';
import { checkKeyMatchesCertificate, resolveAlgorithm, webCryptoSign, type SignerOptions } from './crypto-key-signer.js';
import { decryptEncryptedPrivateKeyInfo } from './pbe.js';
import { importPrivateKey, pkcs1ToPkcs8, sec1ToPkcs8 } from './private-key.js';
import type { Signer } from './signer.js';

/** PEM text, or bytes holding PEM text or DER. */
export type PemInput = string | Uint8Array;

/** Options of {@link signerFromPem}. */
export interface PemSignerOptions extends SignerOptions {
  /** Password of an "ENCRYPTED PRIVATE KEY" (PKCS#8 with PBES2, RFC 8018). */
  readonly password?: string;
}

function blocks(input: PemInput, what: string): PemBlock[] | Uint8Array {
  if (typeof input === 'string') return decodePem(input);
  if (looksLikePem(input)) return decodePem(new TextDecoder().decode(input));
  if (input.length === 0) throw new SignerError(what === 'key' ? 'KEY_UNREADABLE' : 'CERT_UNREADABLE', `The ${what} file is empty.`);
  return input;
}

/** Every certificate in PEM text / DER bytes. */
export function readCertificates(input: PemInput): Uint8Array[] {
  const b = blocks(input, 'certificate');
  if (b instanceof Uint8Array) return [b];
  const certs = b.filter((x) => x.label === 'CERTIFICATE').map((x) => x.der);
  if (certs.length === 0) throw new SignerError('CERT_UNREADABLE', 'No "-----BEGIN CERTIFICATE-----" block found; give the signer certificate in PEM or DER.');
  return certs;
}

/** The private key of PEM text / DER bytes as PKCS#8 DER. */
export async function readPrivateKey(input: PemInput, password?: string): Promise<Uint8Array> {
  const b = blocks(input, 'key');
  if (b instanceof Uint8Array) return b;
  for (const block of b) {
    switch (block.label) {
      case 'PRIVATE KEY':
        return block.der;
      case 'RSA PRIVATE KEY':
        return pkcs1ToPkcs8(block.der);
      case 'EC PRIVATE KEY':
        return sec1ToPkcs8(block.der);
      case 'ENCRYPTED PRIVATE KEY':
        if (password === undefined) throw new SignerError('KEY_PASSWORD_REQUIRED', 'The private key is encrypted; give its password.');
        return decryptEncryptedPrivateKeyInfo(block.der, password);
      default:
    }
  }
  throw new SignerError('KEY_UNREADABLE', 'No private key found: expected a "PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY" or "ENCRYPTED PRIVATE KEY" PEM block.');
}

/**
 * A {@link Signer} from a PEM private key and certificate: PKCS#8 ("PRIVATE KEY", or
 * "ENCRYPTED PRIVATE KEY" with `options.password`), or the legacy "RSA PRIVATE KEY" (PKCS#1) and
 * "EC PRIVATE KEY" (SEC 1) forms. `certPem` may hold the whole chain (signer first); `chainPem`
 * adds intermediates. The key is imported non-extractable and checked against the certificate
 * with a probe signature (`KEY_CERT_MISMATCH` if they do not belong together).
 *
 * @example
 * ```ts
 * const signer = await signerFromPem(readFileSync('key.pem', 'utf8'), readFileSync('cert.pem', 'utf8'), readFileSync('ca.pem', 'utf8'));
 * ```
 */
export async function signerFromPem(keyPem: PemInput, certPem: PemInput, chainPem?: PemInput | readonly PemInput[], options: PemSignerOptions = {}): Promise<Signer> {
  const [leaf, ...rest] = readCertificates(certPem);
  const extra = chainPem === undefined ? [] : (Array.isArray(chainPem) ? chainPem : [chainPem as PemInput]).flatMap(readCertificates);
  const cert = parseCertificate(leaf!);
  const alg = resolveAlgorithm(cert, options.signatureAlgorithm);
  const key = await importPrivateKey(await readPrivateKey(keyPem, options.password), cert, alg);
  const sign = webCryptoSign(key, alg);
  if (!options.skipKeyCheck) await checkKeyMatchesCertificate(cert, alg, sign);
  return Object.freeze({ certificate: leaf!, chain: Object.freeze(orderChain(leaf!, [...rest, ...extra])), signatureAlgorithm: alg, sign });
}
