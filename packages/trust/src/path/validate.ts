import type { Clock } from '@kyso/core';
import { Oid } from '../asn1/oids.js';
import { type PublicKeyInfo, sameAlgorithm } from '../crypto/algorithm.js';
import { TrustError } from '../errors.js';
import type { RevocationChecker, RevocationRequest, RevocationStatus } from '../revocation/checker.js';
import { Certificate, SUPPORTED_CERT_EXTENSIONS } from '../x509/certificate.js';
import { type CandidatePath, type PathBuilderInput, buildPaths } from './build.js';
import { NameConstraintsState } from './name-constraints.js';
import { PolicyTree } from './policy-tree.js';
import { type CertificatePurpose, checkPurpose } from './purpose.js';
import type { PathAttempt, PathFailure, PathFailureCode, PathValidationResult } from './result.js';

/** Options of {@link validatePath}: the inputs of RFC 5280 §6.1.1 plus purpose and revocation. */
export interface ValidatePathOptions {
  /**
   * The end-entity certificate first, then any intermediates in any order; or
   * `{ leaf, candidates }`. Paths are built from them to a trust anchor and tried in turn.
   */
  readonly certificates: readonly Certificate[] | PathBuilderInput;
  /** Trusted certificates (RFC 5280 §6.1.1(d)): their subject and key anchor a path. */
  readonly trustAnchors: readonly Certificate[];
  /** The time the path must be valid at (§6.1.1(b)); default: `clock.now()`. */
  readonly time?: Date;
  /** Where "now" comes from when `time` is not given; default the system clock. */
  readonly clock?: Clock;
  /** user-initial-policy-set (policy OIDs); default `[anyPolicy]`. */
  readonly initialPolicySet?: readonly string[];
  /** initial-explicit-policy; default false. */
  readonly initialExplicitPolicy?: boolean;
  /** initial-policy-mapping-inhibit; default false. */
  readonly initialPolicyMappingInhibit?: boolean;
  /** initial-any-policy-inhibit; default false. */
  readonly initialAnyPolicyInhibit?: boolean;
  /** What the end-entity certificate must be good for; default `any`. */
  readonly purpose?: CertificatePurpose;
  /** Asked about every certificate of a path that passed the other checks (§6.1.3(a)(3)). */
  readonly revocation?: RevocationChecker;
  /** `hard-fail` (default): unknown revocation status fails the path; `soft-fail`: it does not. */
  readonly revocationMode?: 'hard-fail' | 'soft-fail';
  /** Critical extensions the caller processes itself (OIDs), besides those kyso knows. */
  readonly knownCriticalExtensions?: readonly string[];
  /** Longest path to build, trust anchor excluded; default 12. */
  readonly maxPathLength?: number;
  /**
   * Finds more issuer certificates when no valid path is found with the given ones, e.g.
   * `new CaIssuersFetcher(...).fetcher()` (AIA caIssuers, RFC 5280 §4.2.2.1). Up to 4 rounds.
   */
  readonly fetchIssuers?: (certificate: Certificate) => Promise<readonly Certificate[]>;
}

interface Context {
  readonly depth: number;
  readonly inProgress: ReadonlySet<string>;
  readonly signerCache: Map<string, Promise<PathValidationResult>>;
}

interface Attempt extends PathAttempt {
  readonly userConstrainedPolicySet: string[];
  readonly workingPublicKey: PublicKeyInfo;
  readonly revocation: (RevocationStatus | null)[];
}

const ANY = Oid.anyPolicy;

/**
 * Validates a certification path as RFC 5280 §6.1 describes (§6.1.2–§6.1.5): signatures, validity
 * at `time`, name chaining, basicConstraints and pathLenConstraint, keyUsage keyCertSign, name
 * constraints, the valid_policy_tree with policy mappings, explicit policy and inhibit anyPolicy,
 * self-issued certificates, unknown critical extensions; then the purpose of the end-entity
 * certificate and the revocation status of every certificate.
 *
 * Paths are built with {@link buildPaths} and tried in order; the first valid path wins and
 * `attempts` tells why the others failed. Never throws for an invalid path; throws
 * `TrustError('BAD_ARGUMENT')` for misuse.
 *
 * @example
 * ```ts
 * const r = await validatePath({ certificates: [leaf, ca], trustAnchors: [root], time: new Date(),
 *   purpose: 'document-signing', revocation: new CrlRevocationChecker({ crls }) });
 * if (!r.valid) console.log(r.failures.map((f) => `${f.certIndex}: ${f.code} ${f.message}`));
 * ```
 */
export function validatePath(options: ValidatePathOptions): Promise<PathValidationResult> {
  return run(options, { depth: 0, inProgress: new Set(), signerCache: new Map() });
}

async function run(options: ValidatePathOptions, ctx: Context): Promise<PathValidationResult> {
  const { leaf, candidates } = normalizeCertificates(options.certificates);
  if (!Array.isArray(options.trustAnchors) || options.trustAnchors.some((a) => !(a instanceof Certificate))) {
    throw new TrustError('BAD_ARGUMENT', 'validatePath needs trustAnchors: Certificate[] (parse them with Certificate.fromPem).');
  }
  const time = options.time ?? options.clock?.now() ?? new Date();
  if (Number.isNaN(time.getTime())) throw new TrustError('BAD_ARGUMENT', 'validatePath got an invalid time.');

  const attempts: Attempt[] = [];
  const tried = new Set<string>();
  let pool = candidates;
  for (let round = 0; ; round++) {
    for (const candidate of buildPaths({ leaf, candidates: pool, trustAnchors: options.trustAnchors, maxLength: options.maxPathLength ?? 12 })) {
      const key = [...candidate.certificates, candidate.trustAnchor].map((c) => c.fingerprintSha256).join('/');
      if (tried.has(key)) continue;
      tried.add(key);
      const attempt = await processPath(candidate, options, time, pool, ctx);
      attempts.push(attempt);
      if (attempt.failures.length === 0) return finish(attempt, attempts, time);
    }
    if (!options.fetchIssuers || round >= 4) break;
    const more = await fetchMissingIssuers(options.fetchIssuers, leaf, pool, options.trustAnchors);
    if (more.length === 0) break;
    pool = [...pool, ...more];
  }
  if (attempts.length === 0) {
    const failure: PathFailure = {
      certIndex: 0,
      code: 'NO_PATH_FOUND',
      message: `no chain from "${leaf.subject.toString()}" to a trust anchor: no trusted or candidate certificate has the subject "${leaf.issuer.toString()}"`,
    };
    return deepFreeze({
      valid: false,
      path: [leaf],
      trustAnchor: null,
      failures: [failure],
      userConstrainedPolicySet: [],
      workingPublicKey: null,
      revocation: [null],
      attempts: [],
      time,
    });
  }
  // No valid path: report the first one whose links at least verify, else the first.
  const best = attempts.find((a) => !a.failures.some((f) => f.code === 'SIGNATURE_INVALID' || f.code === 'NAME_CHAINING_FAILED')) ?? attempts[0]!;
  return finish(best, attempts, time);
}

/** AIA caIssuers for every certificate whose issuer is not among the known ones. */
async function fetchMissingIssuers(
  fetchIssuers: NonNullable<ValidatePathOptions['fetchIssuers']>,
  leaf: Certificate,
  pool: readonly Certificate[],
  anchors: readonly Certificate[],
): Promise<Certificate[]> {
  const known = [...pool, ...anchors];
  const seen = new Set([leaf, ...known].map((c) => c.fingerprintSha256));
  const out: Certificate[] = [];
  for (const c of [leaf, ...pool]) {
    if (c.isSelfIssued || known.some((k) => k.subject.equals(c.issuer) && !k.equals(c))) continue;
    let found: readonly Certificate[] = [];
    try {
      found = await fetchIssuers(c);
    } catch {
      found = [];
    }
    for (const f of found) {
      if (!seen.has(f.fingerprintSha256)) {
        seen.add(f.fingerprintSha256);
        out.push(f);
      }
    }
  }
  return out;
}

function normalizeCertificates(input: ValidatePathOptions['certificates']): { leaf: Certificate; candidates: readonly Certificate[] } {
  if (Array.isArray(input)) {
    const list = input as readonly Certificate[];
    if (list.length === 0 || list.some((c) => !(c instanceof Certificate))) {
      throw new TrustError('BAD_ARGUMENT', 'validatePath needs certificates: [endEntity, ...intermediates] as Certificate objects.');
    }
    return { leaf: list[0]!, candidates: list.slice(1) };
  }
  const b = input as PathBuilderInput;
  if (!b || !(b.leaf instanceof Certificate)) throw new TrustError('BAD_ARGUMENT', 'validatePath needs certificates: { leaf: Certificate, candidates?: Certificate[] }.');
  return { leaf: b.leaf, candidates: b.candidates ?? [] };
}

function finish(a: Attempt, attempts: readonly Attempt[], time: Date): PathValidationResult {
  const plain = (x: Attempt): PathAttempt => ({ path: x.path, trustAnchor: x.trustAnchor, failures: x.failures });
  return deepFreeze({
    valid: a.failures.length === 0,
    path: a.path,
    trustAnchor: a.trustAnchor,
    failures: a.failures,
    userConstrainedPolicySet: a.failures.length === 0 ? a.userConstrainedPolicySet : [],
    workingPublicKey: a.workingPublicKey,
    revocation: a.revocation,
    attempts: attempts.map(plain),
    time,
  });
}

/** Freezes plain objects and arrays; leaves class instances (certificates, keys, dates) alone. */
function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

function anyPolicyQualifiers(cert: Certificate) {
  return cert.certificatePolicies?.find((p) => p.policyIdentifier === ANY)?.qualifiers ?? [];
}

/** RFC 5280 §6.1.4(d)–(f): the next working public key, inheriting DSA parameters. */
function nextWorkingKey(cert: Certificate, working: PublicKeyInfo): PublicKeyInfo {
  const key = cert.publicKey;
  if (key.hasParameters) return key;
  if (key.keyType === 'dsa' && working.keyType === 'dsa' && working.hasParameters) return key.withInheritedParameters(working.algorithm.parameters!);
  return key;
}

async function processPath(
  candidate: CandidatePath,
  options: ValidatePathOptions,
  time: Date,
  pool: readonly Certificate[],
  ctx: Context,
): Promise<Attempt> {
  const anchor = candidate.trustAnchor;
  const leafFirst = candidate.certificates;
  const certs = leafFirst.slice().reverse(); // certs[i-1] is certificate i of §6.1 (1 = next to the anchor)
  const n = certs.length;
  const failures: PathFailure[] = [];
  const fail = (i: number, code: PathFailureCode, message: string) => failures.push({ certIndex: n - i, code, message });
  const known = new Set([...SUPPORTED_CERT_EXTENSIONS, ...(options.knownCriticalExtensions ?? [])]);
  const userPolicies = new Set(options.initialPolicySet && options.initialPolicySet.length > 0 ? options.initialPolicySet : [ANY]);

  // §6.1.2 initialization.
  const tree = new PolicyTree();
  const nc = new NameConstraintsState();
  let explicitPolicy = options.initialExplicitPolicy ? 0 : n + 1;
  let inhibitAnyPolicy = options.initialAnyPolicyInhibit ? 0 : n + 1;
  let policyMapping = options.initialPolicyMappingInhibit ? 0 : n + 1;
  let workingKey = anchor.publicKey;
  let workingIssuerName = anchor.subject;
  let maxPathLength = n;
  let policyFailed = false;
  const issuerKeys: PublicKeyInfo[] = [];
  let ucps: string[] = [];

  const checkCritical = (i: number, cert: Certificate) => {
    for (const ext of cert.extensions) {
      if (ext.critical && !known.has(ext.oid)) fail(i, 'UNKNOWN_CRITICAL_EXTENSION', `the critical extension ${ext.oid} is not recognised`);
    }
  };
  const requirePolicy = (i: number) => {
    // §6.1.3(f) / §6.1.5(g): explicit_policy exhausted and no valid policy left.
    if (!policyFailed && explicitPolicy <= 0 && tree.isNull) {
      policyFailed = true;
      fail(i, 'EXPLICIT_POLICY_REQUIRED', 'an explicit certificate policy is required, but no acceptable policy is valid for the path');
    }
  };

  for (let i = 1; i <= n; i++) {
    const cert = certs[i - 1]!;
    const selfIssued = cert.isSelfIssued;
    issuerKeys.push(workingKey);

    // §6.1.3(a)(1) signature, (a)(2) validity, (a)(4) name chaining.
    if (!sameAlgorithm(cert.signatureAlgorithm, cert.tbsSignatureAlgorithm)) {
      fail(i, 'SIGNATURE_ALGORITHM_MISMATCH', 'signatureAlgorithm differs from tbsCertificate.signature (RFC 5280 §4.1.1.2)');
    }
    const sig = await cert.verifySignedBy(workingKey);
    if (!sig.valid) {
      fail(i, sig.error === 'UNSUPPORTED_ALGORITHM' ? 'SIGNATURE_UNSUPPORTED' : 'SIGNATURE_INVALID', `signature of "${cert.subject}": ${sig.message ?? 'invalid'}`);
    }
    if (time.getTime() < cert.notBefore.getTime()) {
      fail(i, 'CERT_NOT_YET_VALID', `"${cert.subject}" is not valid before ${cert.notBefore.toISOString()}`);
    }
    if (time.getTime() > cert.notAfter.getTime()) {
      fail(i, 'CERT_EXPIRED', `"${cert.subject}" expired at ${cert.notAfter.toISOString()}`);
    }
    if (!cert.issuer.equals(workingIssuerName)) {
      fail(i, 'NAME_CHAINING_FAILED', `issuer "${cert.issuer}" is not the subject "${workingIssuerName}" of the certificate before it`);
    }

    // §6.1.3(b)–(c): name constraints, skipped for self-issued intermediates.
    if (!selfIssued || i === n) {
      for (const v of nc.check(cert)) {
        const why = v.reason === 'excluded' ? 'is in an excluded subtree' : v.reason === 'not-permitted' ? 'is not in the permitted subtrees' : 'has a constrained name form kyso cannot check';
        fail(i, 'NAME_CONSTRAINTS_VIOLATED', `name ${v.name} of "${cert.subject}" ${why}`);
      }
    }

    // §6.1.3(d)–(f): certificate policies.
    const policies = cert.certificatePolicies;
    if (policies && !tree.isNull) tree.processCertificatePolicies(i, policies, inhibitAnyPolicy > 0 || (i < n && selfIssued));
    if (!policies) tree.setNull();
    requirePolicy(i);

    if (i < n) {
      // §6.1.4 preparation for certificate i+1.
      const mappings = cert.policyMappings;
      if (mappings) {
        if (mappings.some((m) => m.issuerDomainPolicy === ANY || m.subjectDomainPolicy === ANY)) {
          fail(i, 'POLICY_MAPPING_ANY_POLICY', `"${cert.subject}" maps a policy from or to anyPolicy (RFC 5280 §6.1.4(a))`);
        } else {
          tree.applyMappings(i, mappings, policyMapping > 0, anyPolicyQualifiers(cert));
        }
      }
      workingIssuerName = cert.subject;
      workingKey = nextWorkingKey(cert, workingKey);
      nc.add(cert);
      if (!selfIssued) {
        if (explicitPolicy > 0) explicitPolicy--;
        if (policyMapping > 0) policyMapping--;
        if (inhibitAnyPolicy > 0) inhibitAnyPolicy--;
      }
      const pc = cert.policyConstraints;
      if (pc?.requireExplicitPolicy !== undefined) explicitPolicy = Math.min(explicitPolicy, pc.requireExplicitPolicy);
      if (pc?.inhibitPolicyMapping !== undefined) policyMapping = Math.min(policyMapping, pc.inhibitPolicyMapping);
      if (cert.inhibitAnyPolicy !== undefined) inhibitAnyPolicy = Math.min(inhibitAnyPolicy, cert.inhibitAnyPolicy);
      // (k): version 1/2 certificates cannot be shown to be CAs in-band, so they are refused too.
      if (!cert.isCa) fail(i, 'NOT_A_CA', `"${cert.subject}" issues a certificate but is not a CA (basicConstraints cA is not true)`);
      if (!selfIssued) {
        if (maxPathLength <= 0) fail(i, 'PATH_LENGTH_EXCEEDED', `"${cert.subject}" exceeds the pathLenConstraint of a CA above it`);
        else maxPathLength--;
      }
      const pathLen = cert.basicConstraints?.pathLenConstraint;
      if (pathLen !== undefined && pathLen < maxPathLength) maxPathLength = pathLen;
      if (cert.keyUsage && !cert.keyUsage.keyCertSign) fail(i, 'KEY_CERT_SIGN_MISSING', `"${cert.subject}" has keyUsage without keyCertSign`);
      checkCritical(i, cert);
    } else {
      // §6.1.5 wrap-up.
      if (explicitPolicy > 0) explicitPolicy--;
      if (cert.policyConstraints?.requireExplicitPolicy === 0) explicitPolicy = 0;
      workingKey = nextWorkingKey(cert, workingKey);
      checkCritical(i, cert);
      ucps = tree.intersect(n, userPolicies);
      requirePolicy(i);
      for (const f of checkPurpose(cert, options.purpose ?? 'any')) fail(i, f.code, f.message);
    }
  }

  if (n === 0) {
    // The certificate is itself a trust anchor.
    for (const f of checkPurpose(anchor, options.purpose ?? 'any')) failures.push({ certIndex: 0, ...f });
    ucps = [ANY];
  }

  const revocation: (RevocationStatus | null)[] = leafFirst.map(() => null);
  if (failures.length === 0 && options.revocation) {
    await checkRevocation(options.revocation, certs, leafFirst, anchor, issuerKeys, time, pool, options, ctx, revocation, failures);
  }
  return { path: leafFirst, trustAnchor: anchor, failures, userConstrainedPolicySet: ucps, workingPublicKey: workingKey, revocation };
}

async function checkRevocation(
  checker: RevocationChecker,
  certs: readonly Certificate[],
  leafFirst: readonly Certificate[],
  anchor: Certificate,
  issuerKeys: readonly PublicKeyInfo[],
  time: Date,
  pool: readonly Certificate[],
  options: ValidatePathOptions,
  ctx: Context,
  out: (RevocationStatus | null)[],
  failures: PathFailure[],
): Promise<void> {
  const n = certs.length;
  const signerPool = [...pool, ...leafFirst];
  const validateSigner = (cert: Certificate): Promise<PathValidationResult> => {
    const key = `${cert.fingerprintSha256}|${anchor.fingerprintSha256}`;
    if (ctx.inProgress.has(cert.fingerprintSha256)) {
      // The signer's status is being settled by data it signed itself (an indirect CRL issuer
      // listed on its own CRL, RFC 5280 §6.3.3(f)): its path already passed every other check, so
      // its key is accepted here and the outer check decides its revocation status.
      return Promise.resolve(signerResult(cert, anchor, time, true));
    }
    if (ctx.depth >= 6) return Promise.resolve(signerResult(cert, anchor, time, false));
    let p = ctx.signerCache.get(key);
    if (!p) {
      const inProgress = new Set(ctx.inProgress);
      inProgress.add(cert.fingerprintSha256);
      p = run(
        {
          certificates: { leaf: cert, candidates: signerPool },
          trustAnchors: [anchor],
          time,
          ...(options.revocation ? { revocation: options.revocation } : {}),
          ...(options.revocationMode ? { revocationMode: options.revocationMode } : {}),
          ...(options.knownCriticalExtensions ? { knownCriticalExtensions: options.knownCriticalExtensions } : {}),
          ...(options.fetchIssuers ? { fetchIssuers: options.fetchIssuers } : {}),
        },
        { depth: ctx.depth + 1, inProgress, signerCache: ctx.signerCache },
      );
      ctx.signerCache.set(key, p);
    }
    return p;
  };

  for (let i = 1; i <= n; i++) {
    const cert = certs[i - 1]!;
    const index = n - i;
    const request: RevocationRequest = {
      certificate: cert,
      issuer: i === 1 ? anchor : certs[i - 2]!,
      issuerPublicKey: issuerKeys[i - 1]!,
      path: leafFirst,
      index,
      trustAnchor: anchor,
      time,
      candidates: signerPool,
      validateSigner,
    };
    const status = await checker.check(request);
    out[index] = Object.freeze({ ...status });
    if (status.status === 'revoked') {
      // Revoked only after the validation time: the certificate was good at that time.
      if (status.revocationTime && status.revocationTime.getTime() > time.getTime()) continue;
      const when = status.revocationTime ? ` at ${status.revocationTime.toISOString()}` : '';
      failures.push({ certIndex: index, code: 'REVOKED', message: `"${cert.subject}" was revoked${when}${status.reason ? ` (${status.reason})` : ''}` });
    } else if (status.status === 'unknown' && (options.revocationMode ?? 'hard-fail') === 'hard-fail') {
      failures.push({ certIndex: index, code: 'REVOCATION_UNKNOWN', message: `no usable revocation information for "${cert.subject}"${status.message ? `: ${status.message}` : ''}` });
    }
  }
}

function signerResult(cert: Certificate, anchor: Certificate, time: Date, provisional: boolean): PathValidationResult {
  const failures: PathFailure[] = provisional
    ? []
    : [{ certIndex: 0, code: 'REVOCATION_UNKNOWN', message: `validating "${cert.subject}" needs too many nested signer paths` }];
  return deepFreeze({
    valid: provisional,
    path: [cert],
    trustAnchor: anchor,
    failures,
    userConstrainedPolicySet: [],
    workingPublicKey: cert.publicKey,
    revocation: [null],
    attempts: [],
    time,
  });
}
