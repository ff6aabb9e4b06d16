/**
 * A {@link Signer} whose private key stays on a PKCS#11 token or HSM (DESIGN.md decision 4).
 *
 * Mechanisms (PKCS#11 v2.40 Current Mechanisms §2.1, §2.3):
 * - RSASSA-PKCS1-v1_5: CKM_SHA{256,384,512}_RSA_PKCS over the data when the token lists it, else
 *   CKM_RSA_PKCS over the DigestInfo (RFC 8017 §9.2) of a digest computed here;
 * - RSA-PSS: CKM_SHA{256,384,512}_RSA_PKCS_PSS, else CKM_RSA_PKCS_PSS over the digest, with
 *   CK_RSA_PKCS_PSS_PARAMS naming the same hash for MGF1 and the salt length (RFC 4055 §3.1);
 * - ECDSA: CKM_ECDSA over the digest (the token returns r‖s, which becomes the DER
 *   Ecdsa-Sig-Value that CMS stores, RFC 5753 §7.2).
 */
import { toHex } from '@kyso/core';
import { digestInfo, externalSigner, parseCertificate, SignerError, type CertificateInfo, type HashAlgorithm, type Signer, type SignatureAlgorithm } from '@kyso/cms';
import { acquireModule, translate, type Binding, type ModuleLease } from './binding.js';
import { Pkcs11Error } from './errors.js';
import { certificateFitsKey, certificateForKey, describeKey, findCertificates, findPrivateKeys, issuerPath, type KeyObject } from './objects.js';
import { openSession, type OpenSession, type TokenSelection } from './session.js';
import type { Pkcs11TokenInfo } from './token.js';

/** What {@link openPkcs11Signer} needs. Name the token by `tokenLabel` and/or `slot`, the key by `keyLabel` and/or `keyId`. */
export interface Pkcs11SignerOptions extends TokenSelection {
  /** CKA_LABEL of the private key. */
  readonly keyLabel?: string;
  /** CKA_ID of the private key (the same ID links it to its certificate). */
  readonly keyId?: Uint8Array;
  /** The signer's certificate (DER), when the token does not hold it; it wins over the token's copy. */
  readonly certificate?: Uint8Array;
  /** Intermediate CA certificates (DER) to embed, besides those found on the token. */
  readonly chain?: readonly Uint8Array[];
  /** How to sign; by default the one the certificate's key suggests (RSA PKCS#1 v1.5 or ECDSA, SHA-256). */
  readonly signatureAlgorithm?: SignatureAlgorithm;
  /**
   * Let the token hash the data (CKM_SHA256_RSA_PKCS and friends) — `true` — or hash here and let
   * the token sign only the digest — `false`. By default the token hashes for RSA when it lists
   * the combined mechanism, and kyso hashes for ECDSA (CKM_ECDSA).
   */
  readonly hashOnToken?: boolean;
}

/** The private key a {@link Pkcs11Signer} uses. */
export interface Pkcs11KeyRef {
  /** CKA_LABEL. */
  readonly label: string;
  /** CKA_ID in lower-case hex. */
  readonly id: string;
  /** CKK_RSA or CKK_EC. */
  readonly keyType: 'RSA' | 'EC';
}

/**
 * A {@link Signer} over a PKCS#11 token. It holds a logged-in session until {@link close} is
 * called; call it in a `finally` so the token is released.
 */
export interface Pkcs11Signer extends Signer {
  /** The token the key lives on. */
  readonly token: Pkcs11TokenInfo;
  /** The key that signs. */
  readonly key: Pkcs11KeyRef;
  /** The mechanism the token signs with (e.g. `CKM_SHA256_RSA_PKCS`, `CKM_ECDSA`). */
  readonly mechanism: string;
  /** Closes the session and, when no other signer uses it, finalises the module. Idempotent. */
  close(): Promise<void>;
}

const HASH_MECH: Record<HashAlgorithm, string> = { 'SHA-256': 'SHA256', 'SHA-384': 'SHA384', 'SHA-512': 'SHA512' };

interface Plan {
  /** Token mechanism name (a key of the binding). */
  readonly name: string;
  readonly mechanism: { mechanism: number; parameter?: { type: number; hashAlg: number; mgf: number; saltLen: number } };
  /** The token hashes the data itself. */
  readonly onToken: boolean;
}

function mechanismPlan(b: Binding, alg: SignatureAlgorithm, supported: ReadonlySet<number> | undefined, hashOnToken: boolean | undefined, token: string): Plan {
  if (alg.hash === 'SHA-1') throw new Pkcs11Error('PKCS11_BAD_OPTIONS', 'kyso does not sign with SHA-1; use SHA-256, SHA-384 or SHA-512.');
  const h = HASH_MECH[alg.hash];
  const num = (name: string): number => (b as unknown as Record<string, number>)[name]!;
  const has = (name: string) => supported === undefined || supported.has(num(name));
  const pick = (combined: string, raw: string, preferCombined: boolean): { name: string; onToken: boolean } => {
    const wantCombined = hashOnToken ?? preferCombined;
    if (wantCombined && has(combined)) return { name: combined, onToken: true };
    if (hashOnToken === true) {
      throw new Pkcs11Error('PKCS11_MECHANISM_UNSUPPORTED', `Token "${token}" does not offer ${combined}; leave hashOnToken unset so kyso hashes and the token signs with ${raw}.`);
    }
    if (has(raw)) return { name: raw, onToken: false };
    if (has(combined)) return { name: combined, onToken: true };
    throw new Pkcs11Error('PKCS11_MECHANISM_UNSUPPORTED', `Token "${token}" offers neither ${combined} nor ${raw}, so it cannot sign with ${alg.name}/${alg.hash}. Choose another signatureAlgorithm (the token's mechanisms: pkcs11-tool --list-mechanisms).`);
  };
  switch (alg.name) {
    case 'RSASSA-PKCS1-v1_5': {
      const p = pick(`CKM_${h}_RSA_PKCS`, 'CKM_RSA_PKCS', true);
      return { ...p, mechanism: { mechanism: num(p.name) } };
    }
    case 'RSA-PSS': {
      const p = pick(`CKM_${h}_RSA_PKCS_PSS`, 'CKM_RSA_PKCS_PSS', true);
      const saltLen = alg.saltLength ?? { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 }[alg.hash];
      // CK_RSA_PKCS_PSS_PARAMS: MGF1 with the message hash, as RFC 4055 §3.1 recommends and kyso verifies.
      return { ...p, mechanism: { mechanism: num(p.name), parameter: { type: b.CK_PARAMS_RSA_PSS, hashAlg: num(`CKM_${h}`), mgf: num(`CKG_MGF1_${h}`), saltLen } } };
    }
    case 'ECDSA': {
      const p = pick(`CKM_ECDSA_${h}`, 'CKM_ECDSA', false);
      return { ...p, mechanism: { mechanism: num(p.name) } };
    }
  }
}

class TokenSigner implements Pkcs11Signer {
  readonly certificate: Uint8Array;
  readonly chain: readonly Uint8Array[];
  readonly signatureAlgorithm: SignatureAlgorithm;
  readonly token: Pkcs11TokenInfo;
  readonly key: Pkcs11KeyRef;
  readonly mechanism: string;
  readonly #s: OpenSession;
  readonly #b: Binding;
  readonly #k: KeyObject;
  readonly #plan: Plan;
  readonly #pin: string | undefined;
  readonly #digestSigner: Signer;
  #queue: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(s: OpenSession, key: KeyObject, cert: Uint8Array, chain: readonly Uint8Array[], alg: SignatureAlgorithm | undefined, hashOnToken: boolean | undefined, pin: string | undefined, supported: ReadonlySet<number> | undefined) {
    this.#s = s;
    this.#b = s.lease.binding;
    this.#k = key;
    this.#pin = pin;
    // externalSigner resolves the algorithm against the certificate, orders the chain and
    // turns ECDSA r‖s into DER; the token signs the digest it hands over.
    let plan: Plan | undefined;
    this.#digestSigner = externalSigner({
      certificate: cert,
      chain,
      ...(alg ? { signatureAlgorithm: alg } : {}),
      signDigest: (digest, a) => this.#signOnToken(plan!, a.name === 'RSASSA-PKCS1-v1_5' ? digestInfo(digest, a.hash) : digest),
    });
    this.certificate = this.#digestSigner.certificate;
    this.chain = this.#digestSigner.chain;
    this.signatureAlgorithm = this.#digestSigner.signatureAlgorithm;
    plan = mechanismPlan(this.#b, this.signatureAlgorithm, supported, hashOnToken, s.token.label);
    this.#plan = plan;
    this.mechanism = plan.name;
    this.token = s.token;
    this.key = Object.freeze({ label: key.label, id: toHex(key.id), keyType: key.keyType as 'RSA' | 'EC' });
    Object.freeze(this);
  }

  async sign(data: Uint8Array): Promise<Uint8Array> {
    if (!(data instanceof Uint8Array)) throw new Pkcs11Error('PKCS11_BAD_OPTIONS', 'sign() takes the bytes to sign as a Uint8Array.');
    if (this.#plan.onToken) return this.#signOnToken(this.#plan, data);
    try {
      return await this.#digestSigner.sign(data);
    } catch (e) {
      // Keep our own codes (PIN, token removed) rather than the generic SIGNER_FAILED wrapper.
      if (e instanceof SignerError && e.cause instanceof Pkcs11Error) throw e.cause;
      throw e;
    }
  }

  /** One C_SignInit + C_Sign at a time per session (PKCS#11 v2.40 §5.12: one active operation). */
  #signOnToken(plan: Plan, input: Uint8Array): Promise<Uint8Array> {
    const run = this.#queue.then(() => this.#signNow(plan, input));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #signNow(plan: Plan, input: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) throw new Pkcs11Error('PKCS11_CLOSED', 'This PKCS#11 signer was closed; open a new one with openPkcs11Signer().');
    const { lib } = this.#s.lease;
    const b = this.#b;
    const ctx = { tokenLabel: this.token.label };
    try {
      lib.C_SignInit(this.#s.session, plan.mechanism, this.#k.handle);
    } catch (e) {
      throw translate(b, e, `C_SignInit (${plan.name})`, ctx);
    }
    if (this.#k.alwaysAuthenticate) {
      // CKA_ALWAYS_AUTHENTICATE keys need the PIN again for each operation (PKCS#11 v2.40 §4.9, §5.6 CKU_CONTEXT_SPECIFIC).
      try {
        if (this.#pin === undefined) lib.C_Login(this.#s.session, b.CKU_CONTEXT_SPECIFIC);
        else lib.C_Login(this.#s.session, b.CKU_CONTEXT_SPECIFIC, this.#pin);
      } catch (e) {
        throw translate(b, e, 'C_Login (context specific)', ctx);
      }
    }
    // Big enough for RSA-16384 and any EC curve; the binding returns the used part.
    const out = Buffer.alloc(2048);
    const inBuf = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const sig = await new Promise<Buffer>((resolve, reject) => {
      lib.C_Sign(this.#s.session, inBuf, out, (err, data) => (err ? reject(err) : resolve(data)));
    }).catch((e: unknown) => {
      throw translate(b, e, `C_Sign (${plan.name})`, ctx);
    });
    const value = new Uint8Array(sig);
    if (value.length === 0) throw new Pkcs11Error('PKCS11_FAILED', `Token "${this.token.label}" returned an empty signature from ${plan.name}.`);
    return value;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    this.#s.close();
    this.#s.lease.release();
  }
}

function selectKey(keys: KeyObject[], opts: Pkcs11SignerOptions, token: string, allKeys: () => KeyObject[]): KeyObject {
  const listing = () => {
    const all = allKeys();
    return all.length ? `Keys on token "${token}": ${all.map(describeKey).join(', ')}.` : `Token "${token}" shows no private key after login.`;
  };
  if (keys.length === 1) return keys[0]!;
  if (keys.length === 0) {
    const wanted = [opts.keyLabel !== undefined ? `label "${opts.keyLabel}"` : '', opts.keyId !== undefined ? `id ${toHex(opts.keyId)}` : ''].filter(Boolean).join(' and ');
    throw new Pkcs11Error('PKCS11_KEY_NOT_FOUND', `${wanted ? `No private key with ${wanted}` : 'No private key'} on token "${token}". ${listing()} Name one with keyLabel or keyId (CLI: --key-label / --key-id).`);
  }
  throw new Pkcs11Error('PKCS11_KEY_AMBIGUOUS', `${keys.length} private keys on token "${token}" match. ${listing()} Name one with keyLabel or keyId (CLI: --key-label / --key-id).`);
}

/**
 * Opens a {@link Pkcs11Signer}: loads the module, finds the token, logs in with the PIN, finds the
 * private key (by label and/or CKA_ID; the only key when neither is given) and its certificate
 * (the same CKA_ID, else the same label, checked against the key), plus any issuer certificates
 * stored on the token for the chain.
 *
 * @example
 * ```ts
 * const signer = await openPkcs11Signer({ module: '/usr/lib/softhsm/libsofthsm2.so', tokenLabel: 'kyso', pin: '1234', keyLabel: 'leader' });
 * try { const p7s = await signCades(data, { signer }); } finally { await signer.close(); }
 * ```
 * @throws Pkcs11Error with a code from `PKCS11_MODULE_NOT_FOUND`, `PKCS11_TOKEN_NOT_FOUND`,
 *   `PKCS11_PIN_INCORRECT`, `PKCS11_PIN_LOCKED`, `PKCS11_KEY_NOT_FOUND`, `PKCS11_CERT_NOT_FOUND`, … (see {@link Pkcs11Error})
 */
export async function openPkcs11Signer(options: Pkcs11SignerOptions): Promise<Pkcs11Signer> {
  if (!options || typeof options !== 'object') throw new Pkcs11Error('PKCS11_BAD_OPTIONS', 'openPkcs11Signer takes an options object: { module, tokenLabel, pin, keyLabel | keyId }.');
  if (options.keyId !== undefined && !(options.keyId instanceof Uint8Array)) throw new Pkcs11Error('PKCS11_BAD_OPTIONS', 'keyId must be a Uint8Array (use fromHex("01") for the hex shown by listPkcs11Keys).');
  let userCert: CertificateInfo | undefined;
  if (options.certificate !== undefined) {
    try {
      userCert = parseCertificate(options.certificate);
    } catch (cause) {
      throw new Pkcs11Error('PKCS11_BAD_OPTIONS', 'The certificate option is not a DER X.509 certificate; pass the DER bytes (pemToDer() for PEM).', { cause });
    }
  }
  const lease: ModuleLease = await acquireModule(options.module);
  let session: OpenSession | undefined;
  try {
    session = openSession(lease, options, true);
    const { binding: b, lib } = lease;
    const label = session.token.label;
    const keys = findPrivateKeys(b, lib, session.session, options.keyLabel, options.keyId);
    const key = selectKey(keys, options, label, () => findPrivateKeys(b, lib, session!.session));
    if (key.keyType === 'other') throw new Pkcs11Error('PKCS11_KEY_UNSUPPORTED', `Key ${describeKey(key)} on token "${label}" is neither RSA nor EC; kyso signs with RSA and ECDSA keys.`);
    if (!key.canSign) throw new Pkcs11Error('PKCS11_KEY_UNSUPPORTED', `Key ${describeKey(key)} on token "${label}" is not allowed to sign (CKA_SIGN is false); choose the token's signing key.`);
    const certs = findCertificates(b, lib, session.session);
    let leaf: CertificateInfo;
    if (userCert) {
      if (!certificateFitsKey(userCert, key)) throw new Pkcs11Error('PKCS11_KEY_CERT_MISMATCH', `The certificate given does not belong to key ${describeKey(key)} on token "${label}" (its public key differs); pass that key's certificate or choose another key.`);
      leaf = userCert;
    } else {
      const found = certificateForKey(key, certs);
      if (!found) {
        const idHex = key.id.length ? toHex(key.id) : '01';
        throw new Pkcs11Error(
          'PKCS11_CERT_NOT_FOUND',
          `Token "${label}" holds no certificate for key ${describeKey(key)}. Write it to the token with the same ID (pkcs11-tool --module ${options.module} --login --write-object cert.der --type cert --id ${idHex}) or pass it as the certificate option (CLI: --cert CERT.pem).`,
        );
      }
      leaf = found.info;
    }
    const chain = [...(options.chain ?? []), ...issuerPath(leaf, certs)];
    let supported: Set<number> | undefined;
    try {
      const list = lib.C_GetMechanismList(session.slot);
      if (list.length) supported = new Set(list);
    } catch {
      // Some tokens do not list mechanisms; try the usual ones.
    }
    return new TokenSigner(session, key, leaf.der, chain, options.signatureAlgorithm, options.hashOnToken, options.pin, supported);
  } catch (e) {
    session?.close();
    lease.release();
    if (e instanceof SignerError) {
      throw new Pkcs11Error(e.code === 'KEY_UNSUPPORTED' ? 'PKCS11_MECHANISM_UNSUPPORTED' : 'PKCS11_BAD_OPTIONS', e.message, { cause: e });
    }
    throw e;
  }
}

