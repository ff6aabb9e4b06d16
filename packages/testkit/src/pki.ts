import { encodePem, KysoError, toHex, type Clock } from '@kyso/core';
import { bytesFor } from './internal/drbg.js';
import { OID } from './internal/oids.js';
import { generateTestKeyPair, type TestKeyPair } from './keys/key-pair.js';
import { keySpecInfo, type KeySpec } from './keys/key-spec.js';
import { keyIdentifier, signCertificate } from './x509/certificate.js';
import { signCrl, type CrlReason, type Revocation } from './x509/crl.js';
import {
  authorityInfoAccess,
  authorityKeyIdentifier,
  basicConstraints,
  certificatePolicies,
  crlDistributionPoints,
  extKeyUsage,
  keyUsage,
  ocspNoCheck,
  subjectAltNameEmail,
  subjectKeyIdentifier,
  type ExtensionSpec,
} from './x509/extensions.js';
import { encodeName, formatName, type NameSpec } from './x509/name.js';

/** A certificate with its private key and issuer chain. */
export interface TestIdentity {
  /** The identity's label in its PKI (`leader`, `tsa`, …); also what seeds its key. */
  readonly name: string;
  /** The subject attributes the certificate was made from. */
  readonly subject: NameSpec;
  /** The subject as one line, e.g. "C=VN, ST=Bắc Ninh, …, CN=Nguyễn Văn An". */
  readonly subjectText: string;
  /** Serial number, lower-case hex without leading zero octets. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** DER certificate. */
  readonly certificate: Uint8Array;
  readonly certificatePem: string;
  /** Non-extractable WebCrypto private key (import {@link privateKeyPkcs8} for an extractable one). */
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** DER PKCS#8 PrivateKeyInfo, unencrypted. */
  readonly privateKeyPkcs8: Uint8Array;
  /** PEM "PRIVATE KEY" of {@link privateKeyPkcs8}. */
  readonly privateKeyPem: string;
  readonly keySpec: KeySpec;
  /** The digest that goes with the key: 'SHA-256', or 'SHA-384' for P-384. */
  readonly hash: 'SHA-256' | 'SHA-384';
  /** Issuer certificates (DER): the leaf's issuer first, the root last; empty for the root. */
  readonly chain: readonly Uint8Array[];
  /** Subject key identifier (RFC 5280 §4.2.1.2). */
  readonly keyIdentifier: Uint8Array;
  /** True for CA certificates. */
  readonly isCa: boolean;
}

/** What kind of certificate {@link TestPki.issue} makes: key usage, EKU and extensions follow. */
export type CertificateProfile = 'cadre' | 'seal' | 'tsa' | 'ocsp' | 'ca';

/** Options of {@link TestPki.issue}. */
export interface IssueOptions {
  /** Label of the new identity; with a seeded PKI it seeds the key and serial number. */
  readonly name: string;
  readonly subject: NameSpec;
  /** Default: the PKI's end-entity key spec (`ca` profile: its CA key spec). */
  readonly keySpec?: KeySpec;
  /** Default: `governmentCa`. Must be a CA identity of this PKI. */
  readonly issuer?: TestIdentity;
  /** Default `cadre`. */
  readonly profile?: CertificateProfile;
  /** Default: 30 days before `now`. */
  readonly notBefore?: Date;
  /** Default: 5 years after `now` (20 for a `ca`). */
  readonly notAfter?: Date;
  /** rfc822Name entries of subjectAltName. */
  readonly email?: string | readonly string[];
  /** Extra extensions; one with the OID of a profile extension replaces it. */
  readonly extensions?: readonly ExtensionSpec[];
  /** Drop the profile's extended key usage (cadre and seal profiles). */
  readonly noExtendedKeyUsage?: boolean;
  /** `ca` profile: pathLenConstraint (default none). */
  readonly pathLength?: number;
}

/** Options of {@link TestPki.issueCrl}. */
export interface IssueCrlOptions {
  /** Default `governmentCa`. */
  readonly issuer?: TestIdentity;
  /** Default: one hour before `now`. */
  readonly thisUpdate?: Date;
  /** Default: 30 days after thisUpdate. */
  readonly nextUpdate?: Date;
  /** Default: the PKI's revocations for that issuer. */
  readonly revoked?: readonly { readonly identity: TestIdentity; readonly revokedAt: Date; readonly reason?: CrlReason }[];
  /** Default 1. */
  readonly crlNumber?: bigint;
}

/** A revoked certificate of the PKI. */
export interface TestRevocation {
  readonly identity: TestIdentity;
  readonly issuer: TestIdentity;
  readonly revokedAt: Date;
  readonly reason: CrlReason;
}

/** URLs written into certificates when the PKI has a `baseUrl` (served by the testkit's servers). */
export interface TestPkiUrls {
  /** Where the root CA's CRL is published (in the government CA's CRL DP). */
  readonly rootCrl: string;
  /** Where the government CA's CRL is published (in end-entity CRL DPs). */
  readonly governmentCaCrl: string;
  /** The OCSP responder for end-entity certificates (AIA id-ad-ocsp). */
  readonly ocsp: string;
  /** The root certificate, DER (AIA caIssuers of the government CA). */
  readonly rootCertificate: string;
  /** The government CA certificate, DER (AIA caIssuers of end entities). */
  readonly governmentCaCertificate: string;
  /** The time-stamping service (not in any certificate; for convenience). */
  readonly tsa: string;
}

/** The four cadres of a one-office approval route. */
export interface TestCadres {
  /** Chuyên viên who drafts the document. */
  readonly drafter: TestIdentity;
  /** Chánh Văn phòng who checks it. */
  readonly head: TestIdentity;
  /** Chủ tịch who signs it. */
  readonly leader: TestIdentity;
  /** Văn thư who numbers and issues it. */
  readonly clerk: TestIdentity;
}

/** A generated test PKI. */
export interface TestPki {
  /** The time the PKI was made for (whole seconds). */
  readonly now: Date;
  /** The seed, when the PKI is deterministic. */
  readonly seed: string | undefined;
  /** Key spec of end entities. */
  readonly keySpec: KeySpec;
  /** Key spec of the root and government CA. */
  readonly caKeySpec: KeySpec;
  readonly urls: TestPkiUrls | undefined;
  /** Self-signed root CA. */
  readonly root: TestIdentity;
  /** Issuing CA under the root (pathLen 0); issues every end entity. */
  readonly governmentCa: TestIdentity;
  readonly cadres: TestCadres;
  /** Organisation (seal) certificate of UBND tỉnh Bắc Ninh. */
  readonly seal: TestIdentity;
  /** Time-stamping authority (critical EKU timeStamping only, RFC 3161 §2.3). */
  readonly tsa: TestIdentity;
  /** Delegated OCSP responder for the government CA (EKU OCSPSigning, ocsp-nocheck). */
  readonly ocspResponder: TestIdentity;
  /** A cadre whose certificate ended one day before `now`. */
  readonly expired: TestIdentity;
  /** A cadre whose certificate starts one year after `now`. */
  readonly notYetValid: TestIdentity;
  /** A cadre revoked (keyCompromise) one day before `now`; listed in `crls.governmentCa`. */
  readonly revoked: TestIdentity;
  /** Revocations known to the PKI (for OCSP and CRL servers). */
  readonly revocations: readonly TestRevocation[];
  /** DER CRLs at `now`: the root's (empty) and the government CA's (lists `revoked`). */
  readonly crls: { readonly root: Uint8Array; readonly governmentCa: Uint8Array };
  /** Every identity by name, including those made with {@link issue}. */
  readonly identities: ReadonlyMap<string, TestIdentity>;
  /** Makes another certificate under a CA of this PKI. */
  issue(options: IssueOptions): Promise<TestIdentity>;
  /** Makes a CRL of a CA of this PKI. */
  issueCrl(options?: IssueCrlOptions): Promise<Uint8Array>;
  /** Marks `identity` revoked for later `issueCrl` calls and servers. */
  revoke(identity: TestIdentity, revokedAt?: Date, reason?: CrlReason): TestRevocation;
}

/** Options of {@link createTestPki}. */
export interface CreateTestPkiOptions {
  /** Makes every key, serial number and signature reproducible (with a fixed `now`). */
  readonly seed?: string;
  /** The PKI's "now" (default: the system clock), truncated to whole seconds. */
  readonly now?: Date | Clock;
  /** Key spec of end entities (default `rsa-2048`). */
  readonly keySpec?: KeySpec;
  /** Key spec of the root and government CA (default: `keySpec`). */
  readonly caKeySpec?: KeySpec;
  /**
   * Base URL (e.g. "http://127.0.0.1:8123") for CRL distribution points and AIA (OCSP and
   * caIssuers) in the certificates; without it the certificates carry none.
   */
  readonly baseUrl?: string;
}

interface Internals {
  readonly key: TestKeyPair;
  readonly subjectDer: Uint8Array;
}

const internals = new WeakMap<TestIdentity, Internals>();

/** @internal The key pair behind an identity made by the testkit. */
export function identityKey(identity: TestIdentity): TestKeyPair {
  const i = internals.get(identity);
  if (!i) throw new KysoError('TESTKIT_FOREIGN_IDENTITY', `"${identity.name}" was not made by @kyso/testkit; issue it with createTestPki().issue().`);
  return i.key;
}

/** @internal The DER subject Name of an identity made by the testkit. */
export function identitySubjectDer(identity: TestIdentity): Uint8Array {
  const i = internals.get(identity);
  if (!i) throw new KysoError('TESTKIT_FOREIGN_IDENTITY', `"${identity.name}" was not made by @kyso/testkit.`);
  return i.subjectDer;
}

const DAY = 86_400_000;
const YEAR = 365 * DAY;
const TEST_ORG = 'Ban Cơ yếu Chính phủ (TEST)';
const PROVINCE = { C: 'VN', ST: 'Bắc Ninh', L: 'Thành phố Bắc Ninh', O: 'UBND tỉnh Bắc Ninh' } as const;

/** Subjects of the default identities (all fictitious). */
const SUBJECTS = {
  root: { C: 'VN', O: TEST_ORG, CN: 'RootCA Test Chính phủ' },
  governmentCa: { C: 'VN', O: TEST_ORG, OU: 'Cục Chứng thực số và Bảo mật thông tin (TEST)', CN: 'CA Test phục vụ các cơ quan Nhà nước' },
  drafter: { ...PROVINCE, OU: 'Văn phòng', title: 'Chuyên viên', CN: 'Trần Thị Bình', UID: 'CCCD:027190001234' },
  head: { ...PROVINCE, OU: 'Văn phòng', title: 'Chánh Văn phòng', CN: 'Lê Văn Cường', UID: 'CCCD:027080005678' },
  leader: { ...PROVINCE, OU: 'Văn phòng', title: 'Chủ tịch', CN: 'Nguyễn Văn An', UID: 'CCCD:001085012345' },
  clerk: { ...PROVINCE, OU: 'Văn phòng', title: 'Văn thư', CN: 'Phạm Thị Dung', UID: 'CCCD:027195009876' },
  seal: { ...PROVINCE, CN: 'Ủy ban nhân dân tỉnh Bắc Ninh', UID: 'MST:2300000000' },
  tsa: { C: 'VN', O: TEST_ORG, CN: 'TSA Test Chính phủ' },
  ocspResponder: { C: 'VN', O: TEST_ORG, CN: 'OCSP Test phục vụ các cơ quan Nhà nước' },
  expired: { ...PROVINCE, OU: 'Sở Tư pháp', title: 'Phó Giám đốc', CN: 'Hoàng Văn Hải', UID: 'CCCD:027075004321' },
  notYetValid: { ...PROVINCE, OU: 'Sở Nội vụ', title: 'Chuyên viên', CN: 'Vũ Thị Giang', UID: 'CCCD:027198006543' },
  revoked: { ...PROVINCE, OU: 'Sở Tài chính', title: 'Kế toán trưởng', CN: 'Đặng Văn Hùng', UID: 'CCCD:027082007654' },
} as const satisfies Record<string, NameSpec>;

const EMAILS: Record<string, string> = {
  drafter: 'binhtt@bacninh.gov.vn',
  head: 'cuonglv@bacninh.gov.vn',
  leader: 'annv@bacninh.gov.vn',
  clerk: 'dungpt@bacninh.gov.vn',
  seal: 'ubnd@bacninh.gov.vn',
  expired: 'haihv@bacninh.gov.vn',
  notYetValid: 'giangvt@bacninh.gov.vn',
  revoked: 'hungdv@bacninh.gov.vn',
};

/**
 * Makes a realistic Vietnamese e-government test PKI: a root CA, a government CA under it,
 * four cadres, an organisation seal, a TSA, an OCSP responder, expired / not-yet-valid /
 * revoked cadres, and CRLs. With `seed` and a fixed `now` every byte is reproducible.
 *
 * @example
 * ```ts
 * const pki = await createTestPki({ seed: 'demo', now: new Date('2026-12-01T00:00:00Z') });
 * pki.cadres.leader.certificatePem; // CN=Nguyễn Văn An, title=Chủ tịch, O=UBND tỉnh Bắc Ninh
 * ```
 */
export async function createTestPki(options: CreateTestPkiOptions = {}): Promise<TestPki> {
  const rawNow = options.now === undefined ? new Date() : options.now instanceof Date ? options.now : options.now.now();
  if (Number.isNaN(rawNow.getTime())) throw new KysoError('TESTKIT_BAD_OPTION', 'createTestPki: `now` is not a valid date.');
  const now = new Date(Math.floor(rawNow.getTime() / 1000) * 1000);
  const seed = options.seed;
  const eeSpec = options.keySpec ?? 'rsa-2048';
  const caSpec = options.caKeySpec ?? eeSpec;
  keySpecInfo(eeSpec);
  keySpecInfo(caSpec);
  const base = options.baseUrl?.replace(/\/+$/, '');
  const urls: TestPkiUrls | undefined =
    base === undefined
      ? undefined
      : Object.freeze({
          rootCrl: `${base}/crl/root.crl`,
          governmentCaCrl: `${base}/crl/government-ca.crl`,
          ocsp: `${base}/ocsp`,
          rootCertificate: `${base}/certs/root.cer`,
          governmentCaCertificate: `${base}/certs/government-ca.cer`,
          tsa: `${base}/tsa`,
        });

  const identities = new Map<string, TestIdentity>();

  // Start every key at once: WebCrypto generates in parallel; seeded keys are cached per label.
  const names = Object.keys(SUBJECTS) as (keyof typeof SUBJECTS)[];
  const keys = new Map<string, Promise<TestKeyPair>>();
  for (const n of names) {
    const spec = n === 'root' || n === 'governmentCa' ? caSpec : eeSpec;
    const p = generateTestKeyPair(spec, { seed, label: n });
    p.catch(() => undefined);
    keys.set(n, p);
  }

  async function make(
    name: string,
    subject: NameSpec,
    key: TestKeyPair,
    issuer: TestIdentity | 'self',
    notBefore: Date,
    notAfter: Date,
    extensions: readonly ExtensionSpec[],
    isCa: boolean,
  ): Promise<TestIdentity> {
    if (identities.has(name)) throw new KysoError('TESTKIT_DUPLICATE_NAME', `This PKI already has an identity named "${name}"; pick another name.`);
    const subjectDer = encodeName(subject);
    const ski = keyIdentifier(key.spki);
    const serial = bytesFor(16, seed, `serial:${name}`);
    serial[0] = (serial[0]! & 0x7f) | 0x40; // positive, 16 octets, no leading zero (RFC 5280 §4.1.2.2)
    const issuerKey = issuer === 'self' ? key : identityKey(issuer);
    const issuerDer = issuer === 'self' ? subjectDer : identitySubjectDer(issuer);
    const exts: ExtensionSpec[] = [subjectKeyIdentifier(ski)];
    if (issuer !== 'self') exts.push(authorityKeyIdentifier(issuer.keyIdentifier));
    for (const e of extensions) {
      const i = exts.findIndex((x) => x.oid === e.oid);
      if (i >= 0) exts[i] = e;
      else exts.push(e);
    }
    const certificate = await signCertificate(
      { serialNumber: serial, issuer: issuerDer, subject: subjectDer, notBefore, notAfter, spki: key.spki, extensions: exts },
      issuerKey,
    );
    const chain = issuer === 'self' ? [] : [issuer.certificate, ...issuer.chain];
    const identity: TestIdentity = Object.freeze({
      name,
      subject: Object.freeze({ ...subject }),
      subjectText: formatName(subject),
      serialNumber: toHex(serial),
      notBefore,
      notAfter,
      certificate,
      certificatePem: encodePem(certificate, 'CERTIFICATE'),
      privateKey: key.privateKey,
      publicKey: key.publicKey,
      privateKeyPkcs8: key.pkcs8,
      privateKeyPem: encodePem(key.pkcs8, 'PRIVATE KEY'),
      keySpec: key.keySpec,
      hash: key.hash,
      chain: Object.freeze(chain),
      keyIdentifier: ski,
      isCa,
    });
    internals.set(identity, { key, subjectDer });
    identities.set(name, identity);
    return identity;
  }

  const policy = certificatePolicies([OID.testPolicy]);

  function profileExtensions(profile: CertificateProfile, opts: { email: readonly string[]; noEku?: boolean; pathLength?: number; issuer: TestIdentity }): ExtensionSpec[] {
    const exts: ExtensionSpec[] = [];
    if (profile === 'ca') {
      exts.push(basicConstraints(true, opts.pathLength), keyUsage(['keyCertSign', 'cRLSign']));
    } else {
      exts.push(basicConstraints(false));
      if (profile === 'cadre' || profile === 'seal') {
        exts.push(keyUsage(['digitalSignature', 'nonRepudiation']));
        // emailProtection so `openssl cms -verify` (purpose smimesign) accepts the signer;
        // documentSigning per RFC 9336.
        if (!opts.noEku) exts.push(extKeyUsage([OID.kpEmailProtection, OID.kpDocumentSigning]));
      } else if (profile === 'tsa') {
        exts.push(keyUsage(['digitalSignature', 'nonRepudiation']), extKeyUsage([OID.kpTimeStamping], true));
      } else {
        exts.push(keyUsage(['digitalSignature']), extKeyUsage([OID.kpOcspSigning]), ocspNoCheck());
      }
    }
    exts.push(policy);
    if (opts.email.length > 0) exts.push(subjectAltNameEmail(opts.email));
    if (urls) {
      const isRootIssued = opts.issuer === identities.get('root');
      exts.push(crlDistributionPoints([isRootIssued ? urls.rootCrl : urls.governmentCaCrl]));
      const caIssuers = [isRootIssued ? urls.rootCertificate : urls.governmentCaCertificate];
      if (isRootIssued || profile === 'ocsp' || profile === 'ca') exts.push(authorityInfoAccess({ caIssuers }));
      else exts.push(authorityInfoAccess({ ocsp: [urls.ocsp], caIssuers }));
    }
    return exts;
  }

  const rootKey = await keys.get('root')!;
  const root = await make(
    'root',
    SUBJECTS.root,
    rootKey,
    'self',
    new Date(now.getTime() - 2 * YEAR),
    new Date(now.getTime() + 20 * YEAR),
    [basicConstraints(true), keyUsage(['keyCertSign', 'cRLSign'])],
    true,
  );
  const governmentCa = await make(
    'governmentCa',
    SUBJECTS.governmentCa,
    await keys.get('governmentCa')!,
    root,
    new Date(now.getTime() - 2 * YEAR),
    new Date(now.getTime() + 15 * YEAR),
    profileExtensions('ca', { email: [], pathLength: 0, issuer: root }),
    true,
  );

  async function issue(opts: IssueOptions): Promise<TestIdentity> {
    const profile = opts.profile ?? 'cadre';
    const issuer = opts.issuer ?? governmentCa;
    if (!issuer.isCa) throw new KysoError('TESTKIT_NOT_A_CA', `"${issuer.name}" is not a CA; issue under pki.governmentCa or pki.root.`);
    identityKey(issuer);
    const spec = opts.keySpec ?? (profile === 'ca' ? caSpec : eeSpec);
    const key = await (keys.get(opts.name) && opts.keySpec === undefined ? keys.get(opts.name)! : generateTestKeyPair(spec, { seed, label: opts.name }));
    const email = opts.email === undefined ? [] : typeof opts.email === 'string' ? [opts.email] : [...opts.email];
    const exts = profileExtensions(profile, {
      email,
      issuer,
      ...(opts.noExtendedKeyUsage ? { noEku: true } : {}),
      ...(opts.pathLength !== undefined ? { pathLength: opts.pathLength } : {}),
    });
    for (const e of opts.extensions ?? []) {
      const i = exts.findIndex((x) => x.oid === e.oid);
      if (i >= 0) exts[i] = e;
      else exts.push(e);
    }
    const notBefore = opts.notBefore ?? new Date(now.getTime() - 30 * DAY);
    const notAfter = opts.notAfter ?? new Date(now.getTime() + (profile === 'ca' ? 20 : 5) * YEAR);
    if (notAfter.getTime() <= notBefore.getTime()) throw new KysoError('TESTKIT_BAD_OPTION', `issue("${opts.name}"): notAfter must be after notBefore.`);
    return make(opts.name, opts.subject, key, issuer, notBefore, notAfter, exts, profile === 'ca');
  }

  const ee = (name: keyof typeof SUBJECTS, profile: CertificateProfile, extra: Partial<IssueOptions> = {}) => {
    const email = EMAILS[name];
    return issue({ name, subject: SUBJECTS[name], profile, ...(email ? { email } : {}), ...extra });
  };
  // Sequential so that seeded output never depends on scheduling (the keys are already cached).
  const drafter = await ee('drafter', 'cadre');
  const head = await ee('head', 'cadre');
  const leader = await ee('leader', 'cadre');
  const clerk = await ee('clerk', 'cadre');
  const seal = await ee('seal', 'seal');
  const tsa = await ee('tsa', 'tsa');
  const ocspResponder = await ee('ocspResponder', 'ocsp');
  const expired = await ee('expired', 'cadre', { notBefore: new Date(now.getTime() - 2 * YEAR), notAfter: new Date(now.getTime() - DAY) });
  const notYetValid = await ee('notYetValid', 'cadre', { notBefore: new Date(now.getTime() + YEAR), notAfter: new Date(now.getTime() + 3 * YEAR) });
  const revoked = await ee('revoked', 'cadre');

  const revocations: TestRevocation[] = [];
  function revoke(identity: TestIdentity, revokedAt = new Date(now.getTime() - DAY), reason: CrlReason = 'keyCompromise'): TestRevocation {
    identityKey(identity);
    const issuer = [...identities.values()].find((c) => c.isCa && identity.chain[0] !== undefined && c.certificate === identity.chain[0]);
    if (!issuer) throw new KysoError('TESTKIT_NOT_REVOCABLE', `"${identity.name}" has no issuer in this PKI (a root cannot be revoked).`);
    const r: TestRevocation = Object.freeze({ identity, issuer, revokedAt, reason });
    revocations.push(r);
    return r;
  }
  revoke(revoked);

  async function issueCrl(opts: IssueCrlOptions = {}): Promise<Uint8Array> {
    const issuer = opts.issuer ?? governmentCa;
    if (!issuer.isCa) throw new KysoError('TESTKIT_NOT_A_CA', `"${issuer.name}" is not a CA and cannot issue CRLs.`);
    const thisUpdate = opts.thisUpdate ?? new Date(now.getTime() - 3600_000);
    const list: Revocation[] = (opts.revoked ?? revocations.filter((r) => r.issuer === issuer)).map((r) => ({
      serialNumber: fromHexSerial(r.identity.serialNumber),
      revokedAt: r.revokedAt,
      reason: r.reason,
    }));
    return signCrl(
      {
        issuer: identitySubjectDer(issuer),
        issuerKeyId: issuer.keyIdentifier,
        thisUpdate,
        nextUpdate: opts.nextUpdate ?? new Date(thisUpdate.getTime() + 30 * DAY),
        crlNumber: opts.crlNumber ?? 1n,
        revoked: list,
      },
      identityKey(issuer),
    );
  }

  const crls = Object.freeze({ root: await issueCrl({ issuer: root }), governmentCa: await issueCrl() });

  return Object.freeze({
    now,
    seed,
    keySpec: eeSpec,
    caKeySpec: caSpec,
    urls,
    root,
    governmentCa,
    cadres: Object.freeze({ drafter, head, leader, clerk }),
    seal,
    tsa,
    ocspResponder,
    expired,
    notYetValid,
    revoked,
    revocations,
    crls,
    identities,
    issue,
    issueCrl,
    revoke,
  });
}

function fromHexSerial(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
