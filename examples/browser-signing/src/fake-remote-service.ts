/**
 * A FAKE remote signing service, for this example only.
 *
 * In production the key lives with a remote signing service (a CA's "ký số từ xa" API, a CSC API
 * server, an HSM behind the agency's back end) and the page talks to it over HTTPS. So that the
 * example runs alone, with nothing leaving the page, this class plays the service inside the
 * page: it speaks only JSON strings (what would go over the wire) and signs a bare digest, as
 * such services do (CSC API `signatures/signHash`).
 *
 * WebCrypto cannot sign a pre-computed digest (it always hashes the data itself), so this fake
 * does the RSA PKCS#1 v1.5 private-key operation (RFC 8017 §8.2.1, EMSA-PKCS1-v1_5 §9.2) with
 * BigInt, which needs the key's private exponent: the service imports its key as extractable.
 * That is fine for a simulated server and is exactly why the page's own .p12 path does not do it.
 */
import { fromBase64, toArrayBuffer, toBase64 } from '@kyso/core';
import { digestInfo, readPkcs12, signerFromPkcs12, type SignatureAlgorithm } from '@kyso/cms';

/** What the service answers to "which certificate do you sign with?" (JSON over the wire). */
export interface RemoteCredential {
  readonly credentialId: string;
  /** Base64 DER of the signing certificate. */
  readonly certificate: string;
  /** Base64 DER of the intermediate certificates, issuer first. */
  readonly chain: readonly string[];
  readonly signatureAlgorithm: SignatureAlgorithm;
}

/** A sign request: the digest only, never the document. */
export interface RemoteSignRequest {
  readonly credentialId: string;
  readonly hashAlgorithm: SignatureAlgorithm['hash'];
  /** Base64 digest to sign. */
  readonly hash: string;
}

const bytesToBigInt = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt('0x' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('')));
const b64urlToBigInt = (s: string): bigint => bytesToBigInt(fromBase64(s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4)));

function modPow(base: bigint, exp: bigint, mod: bigint): bigint {
  let result = 1n;
  let b = base % mod;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % mod;
    b = (b * b) % mod;
    e >>= 1n;
  }
  return result;
}

/** The simulated service. Create it with {@link FakeRemoteSigningService.fromPkcs12}. */
export class FakeRemoteSigningService {
  readonly #credential: RemoteCredential;
  readonly #key: { n: bigint; d: bigint; size: number };

  private constructor(credential: RemoteCredential, key: { n: bigint; d: bigint; size: number }) {
    this.#credential = credential;
    this.#key = key;
  }

  /** Loads the service's credential from a PKCS#12 file (RSA keys with PKCS#1 v1.5 only). */
  static async fromPkcs12(p12: Uint8Array, password: string): Promise<FakeRemoteSigningService> {
    // The certificate, chain and algorithm the same way a .p12 signer gets them.
    const identity = await signerFromPkcs12(p12, password);
    if (identity.signatureAlgorithm.name !== 'RSASSA-PKCS1-v1_5') {
      throw new Error(
        `Dịch vụ mô phỏng chỉ ký bằng khóa RSA PKCS#1 v1.5; khóa này là ${identity.signatureAlgorithm.name}. (The simulated service signs with RSA PKCS#1 v1.5 keys only.)`,
      );
    }
    const contents = await readPkcs12(p12, password);
    const pkcs8 = contents.keys[0]!.pkcs8;
    const key = await crypto.subtle.importKey('pkcs8', toArrayBuffer(pkcs8), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['sign']);
    const jwk = await crypto.subtle.exportKey('jwk', key);
    const n = b64urlToBigInt(jwk.n!);
    const credential: RemoteCredential = {
      credentialId: 'demo-credential-1',
      certificate: toBase64(identity.certificate),
      chain: identity.chain.map(toBase64),
      signatureAlgorithm: identity.signatureAlgorithm,
    };
    return new FakeRemoteSigningService(credential, { n, d: b64urlToBigInt(jwk.d!), size: bigIntBytes(n).length });
  }

  /** `GET /credential` — JSON in, JSON out, as over HTTP. */
  async getCredential(): Promise<string> {
    return JSON.stringify(this.#credential);
  }

  /** `POST /sign-hash` with a {@link RemoteSignRequest} JSON body; answers `{ "signature": base64 }`. */
  async signHash(requestJson: string): Promise<string> {
    const req = JSON.parse(requestJson) as RemoteSignRequest;
    if (req.credentialId !== this.#credential.credentialId) throw new Error('unknown credential');
    if (req.hashAlgorithm !== this.#credential.signatureAlgorithm.hash) throw new Error(`this credential signs ${this.#credential.signatureAlgorithm.hash} digests`);
    const digest = fromBase64(req.hash);
    // EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 00 01 FF…FF 00 || DigestInfo, as long as the modulus.
    const t = digestInfo(digest, req.hashAlgorithm);
    const em = new Uint8Array(this.#key.size);
    em[1] = 0x01;
    em.fill(0xff, 2, em.length - t.length - 1);
    em.set(t, em.length - t.length);
    const s = modPow(bytesToBigInt(em), this.#key.d, this.#key.n);
    const out = new Uint8Array(this.#key.size);
    const sb = bigIntBytes(s);
    out.set(sb, out.length - sb.length);
    return JSON.stringify({ signature: toBase64(out) });
  }
}

function bigIntBytes(v: bigint): Uint8Array {
  let hex = v.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
