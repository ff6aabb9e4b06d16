import type { PublicKeyInfo } from '../crypto/algorithm.js';
import type { Certificate } from '../x509/certificate.js';
import { type DistributionPoint, type DistributionPointName, REASON_FLAGS, type ReasonFlag } from '../x509/extensions.js';
import { type GeneralName, generalNameEquals } from '../x509/general-name.js';
import type { DistinguishedName } from '../x509/name.js';
import type { CrlReason, EvidenceOrigin, RevocationChecker, RevocationEvidence, RevocationRequest, RevocationStatus } from './checker.js';
import { Crl } from './crl.js';

/** Options of {@link CrlRevocationChecker}. */
export interface CrlRevocationCheckerOptions {
  /** The CRLs to use (complete and delta), parsed or DER. */
  readonly crls: readonly (Crl | Uint8Array)[];
  /** Use delta CRLs (RFC 5280 §6.3.3 use-deltas); default true. */
  readonly useDeltas?: boolean;
  /**
   * More CRLs on demand, e.g. fetched from the certificate's distribution points by a
   * `CrlFetcher`; called when the given ones do not settle the status. Errors count as "no CRL".
   */
  readonly fetchCrls?: (certificate: Certificate) => Promise<readonly (Crl | FetchedCrl)[]>;
}

/** A fetched CRL with where it came from. */
export interface FetchedCrl {
  readonly crl: Crl;
  readonly origin: EvidenceOrigin;
}

/** The reasons of "all-reasons" in RFC 5280 §6.3.2 (ReasonFlags without `unused`). */
const ALL_REASONS: readonly ReasonFlag[] = REASON_FLAGS.filter((r) => r !== 'unused');

interface SignerInfo {
  readonly key: PublicKeyInfo;
  readonly certificate: Certificate;
}

/**
 * A {@link RevocationChecker} over a list of CRLs: RFC 5280 §6.3.3 for each certificate,
 * distribution point by distribution point: CRL issuer and scope (issuing distribution point,
 * onlyContainsUserCerts/CACerts/AttributeCerts, onlySomeReasons, indirect CRLs and their
 * certificateIssuer entries), freshness (thisUpdate/nextUpdate against the validation time),
 * delta CRLs with removeFromCRL, the CRL signer's own certification path (a separate CRL
 * signing key is validated to the same trust anchor, with cRLSign), and the reasons mask.
 *
 * A CRL is usable at time T when T ≤ nextUpdate, or when it was issued at or after T (so a
 * later CRL can prove a past status).
 *
 * @example
 * ```ts
 * const revocation = new CrlRevocationChecker({ crls: [Crl.fromDer(bytes)] });
 * await validatePath({ certificates: [leaf, ca], trustAnchors: [root], revocation });
 * ```
 */
export class CrlRevocationChecker implements RevocationChecker {
  private readonly crls: readonly Crl[];
  private readonly useDeltas: boolean;
  private readonly fetchCrls: CrlRevocationCheckerOptions['fetchCrls'];

  constructor(options: CrlRevocationCheckerOptions) {
    this.crls = options.crls.map((c) => (c instanceof Crl ? c : Crl.fromDer(c)));
    this.useDeltas = options.useDeltas ?? true;
    this.fetchCrls = options.fetchCrls;
  }

  async check(req: RevocationRequest): Promise<RevocationStatus> {
    const origins = new Map<Crl, EvidenceOrigin>(this.crls.map((c) => [c, 'provided']));
    const first = await this.checkWith(req, this.crls, origins);
    if (first.status !== 'unknown' || !this.fetchCrls) return first;
    let fetched: Crl[] = [];
    try {
      for (const f of await this.fetchCrls(req.certificate)) {
        const crl = f instanceof Crl ? f : f.crl;
        origins.set(crl, f instanceof Crl ? 'fetched' : f.origin);
        fetched.push(crl);
      }
    } catch {
      fetched = [];
    }
    if (fetched.length === 0) return first;
    return this.checkWith(req, [...this.crls, ...fetched], origins);
  }

  private async checkWith(req: RevocationRequest, crls: readonly Crl[], origins: ReadonlyMap<Crl, EvidenceOrigin>): Promise<RevocationStatus> {
    const cert = req.certificate;
    const time = req.time.getTime();
    const notes: string[] = [];
    const reasonsMask = new Set<ReasonFlag>();
    let status: { reason: CrlReason; date: Date } | null = null;
    const dps: readonly DistributionPoint[] = cert.crlDistributionPoints ?? [{}];
    const complete = crls.filter((c) => !c.isDelta).sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime());
    const deltas = this.useDeltas ? crls.filter((c) => c.isDelta) : [];
    const signerCache = new Map<string, Promise<SignerInfo | string>>();
    const evidence: RevocationEvidence[] = [];
    const use = (c: Crl) => {
      if (!evidence.some((e) => e.der === c.der)) evidence.push({ type: 'crl', der: c.der, origin: origins.get(c) ?? 'provided' });
    };

    const fresh = (c: Crl) => c.nextUpdate === undefined || time <= c.nextUpdate.getTime() || c.thisUpdate.getTime() >= time;

    for (const dp of dps) {
      for (const crl of complete) {
        if (status || reasonsMask.size === ALL_REASONS.length) break;
        const label = `CRL of "${crl.issuer}" (thisUpdate ${crl.thisUpdate.toISOString()})`;
        // §6.3.3(b): issuer and scope.
        const scopeProblem = this.scopeProblem(cert, dp, crl);
        if (scopeProblem) {
          notes.push(`${label}: ${scopeProblem}`);
          continue;
        }
        if (crl.unsupportedCriticalExtensions.length > 0) {
          notes.push(`${label}: unsupported critical extension ${crl.unsupportedCriticalExtensions.join(', ')} (RFC 5280 §5.2, §5.3)`);
          continue;
        }
        // §6.3.3(c): a delta CRL of the same issuer and scope, newer than the complete CRL.
        const delta = deltas
          .filter(
            (d) =>
              d.issuer.equals(crl.issuer) &&
              d.sameScopeAs(crl) &&
              d.unsupportedCriticalExtensions.length === 0 &&
              crl.crlNumber !== undefined &&
              d.baseCrlNumber! <= crl.crlNumber &&
              (d.crlNumber === undefined || d.crlNumber > crl.crlNumber) &&
              fresh(d),
          )
          .sort((a, b) => b.thisUpdate.getTime() - a.thisUpdate.getTime())[0];
        // §6.3.3(a): a stale complete CRL is only usable when a fresh delta updates it.
        if (!fresh(crl) && !delta) {
          notes.push(`${label}: its nextUpdate ${crl.nextUpdate?.toISOString()} is before the validation time`);
          continue;
        }
        // §6.3.3(d)–(e): the reasons this CRL adds.
        const interim = ALL_REASONS.filter(
          (r) => (!crl.issuingDistributionPoint?.onlySomeReasons || crl.issuingDistributionPoint.onlySomeReasons.includes(r)) && (!dp.reasons || dp.reasons.includes(r)),
        );
        if (interim.every((r) => reasonsMask.has(r))) continue;
        // §6.3.3(f)–(g): the CRL signer's path and the CRL signature.
        const signer = await this.findSigner(req, crl, signerCache);
        if (typeof signer === 'string') {
          notes.push(`${label}: ${signer}`);
          continue;
        }
        // §6.3.3(h): the delta CRL must be signed by the same key.
        let usableDelta = delta;
        if (delta && !(await delta.verifySignedBy(signer.key)).valid) {
          notes.push(`delta CRL of "${delta.issuer}": its signature does not verify with the CRL signer's key`);
          usableDelta = undefined;
          if (!fresh(crl)) continue;
        }
        // §6.3.3(i)–(k).
        let found: { reason: CrlReason; date: Date } | null = null;
        const inDelta = usableDelta?.findEntry(cert);
        if (inDelta) found = { reason: inDelta.reason ?? 'unspecified', date: inDelta.revocationDate };
        if (!found) {
          const inComplete = crl.findEntry(cert);
          if (inComplete) found = { reason: inComplete.reason ?? 'unspecified', date: inComplete.revocationDate };
        }
        if (found && found.reason !== 'removeFromCRL') status = found;
        use(crl);
        if (usableDelta) use(usableDelta);
        // §6.3.3(l).
        for (const r of interim) reasonsMask.add(r);
      }
    }

    if (status) {
      return { status: 'revoked', revocationTime: status.date, reason: status.reason, source: 'crl', evidence };
    }
    if (reasonsMask.size === ALL_REASONS.length) return { status: 'good', source: 'crl', evidence };
    const covered = reasonsMask.size > 0 ? ` (the CRLs cover only ${[...reasonsMask].join(', ')})` : '';
    return { status: 'unknown', source: 'crl', message: notes.length ? `${notes.join('; ')}${covered}` : `no CRL of "${cert.issuer}" was available${covered}` };
  }

  /** §6.3.3(b): why `crl` cannot speak for `cert` through `dp`, or null when it can. */
  private scopeProblem(cert: Certificate, dp: DistributionPoint, crl: Crl): string | null {
    const idp = crl.issuingDistributionPoint;
    // (b)(1)
    if (dp.cRLIssuer) {
      if (!dp.cRLIssuer.some((g) => g.type === 'directoryName' && g.name.equals(crl.issuer))) return 'its issuer is not the cRLIssuer of the distribution point';
      if (!idp?.indirectCRL) return 'the distribution point names a cRLIssuer but the CRL is not an indirect CRL';
    } else if (!crl.issuer.equals(cert.issuer)) {
      return 'its issuer is not the certificate issuer';
    }
    if (!idp) return null;
    // (b)(2)(i)
    if (idp.distributionPoint) {
      const idpNames = resolveDpName(idp.distributionPoint, crl.issuer);
      let certNames: readonly GeneralName[] = [];
      if (dp.distributionPoint) {
        const base = dp.cRLIssuer?.find((g) => g.type === 'directoryName');
        certNames = resolveDpName(dp.distributionPoint, base?.type === 'directoryName' ? base.name : cert.issuer);
      } else if (dp.cRLIssuer) certNames = dp.cRLIssuer;
      if (!idpNames.some((a) => certNames.some((b) => generalNameEquals(a, b)))) {
        return 'its issuing distribution point does not match the certificate\'s distribution point';
      }
    }
    // (b)(2)(ii)–(iv)
    if (idp.onlyContainsUserCerts && cert.isCa) return 'it only covers end-entity certificates';
    if (idp.onlyContainsCACerts && !cert.isCa) return 'it only covers CA certificates';
    if (idp.onlyContainsAttributeCerts) return 'it only covers attribute certificates';
    return null;
  }

  /**
   * §6.3.3(f)–(g): a key that verifies the CRL and whose certificate has a valid path to the same
   * trust anchor with cRLSign. The path's issuer (the usual case) and the anchor need no new path.
   */
  private findSigner(req: RevocationRequest, crl: Crl, cache: Map<string, Promise<SignerInfo | string>>): Promise<SignerInfo | string> {
    let p = cache.get(crl.fingerprintSha256);
    if (!p) {
      p = this.findSignerUncached(req, crl);
      cache.set(crl.fingerprintSha256, p);
    }
    return p;
  }

  private async findSignerUncached(req: RevocationRequest, crl: Crl): Promise<SignerInfo | string> {
    const problems: string[] = [];
    const noCrlSign = (c: Certificate) => c.keyUsage !== undefined && !c.keyUsage.cRLSign;
    // The issuer of the certificate in the path (its key may carry inherited DSA parameters).
    const direct: SignerInfo[] = [];
    if (req.issuer.subject.equals(crl.issuer)) direct.push({ certificate: req.issuer, key: req.issuerPublicKey });
    if (req.trustAnchor.subject.equals(crl.issuer) && !req.trustAnchor.equals(req.issuer)) direct.push({ certificate: req.trustAnchor, key: req.trustAnchor.publicKey });
    const inPath = new Set([req.trustAnchor.fingerprintSha256, ...req.path.slice(req.index + 1).map((c) => c.fingerprintSha256)]);
    for (const s of direct) {
      if (!(await crl.verifySignedBy(s.key)).valid) continue;
      if (noCrlSign(s.certificate)) {
        problems.push(`its signer "${s.certificate.subject}" has keyUsage without cRLSign`);
        continue;
      }
      return s;
    }
    // Another certificate of the CRL issuer: a separate CRL signing key, or a key rollover.
    const seen = new Set(direct.map((d) => d.certificate.fingerprintSha256));
    for (const c of req.candidates) {
      if (seen.has(c.fingerprintSha256) || !c.subject.equals(crl.issuer)) continue;
      seen.add(c.fingerprintSha256);
      if (c.publicKey.keyType !== 'dsa' || c.publicKey.hasParameters) {
        if (!(await crl.verifySignedBy(c.publicKey)).valid) continue;
      }
      if (noCrlSign(c)) {
        problems.push(`its signer "${c.subject}" has keyUsage without cRLSign`);
        continue;
      }
      if (inPath.has(c.fingerprintSha256)) return { certificate: c, key: c.publicKey };
      const result = await req.validateSigner(c);
      if (!result.valid) {
        problems.push(`the path of its signer "${c.subject}" is not valid: ${result.failures.map((f) => f.code).join(', ')}`);
        continue;
      }
      const key = result.workingPublicKey ?? c.publicKey;
      if (!(await crl.verifySignedBy(key)).valid) continue;
      return { certificate: c, key };
    }
    return problems.length ? problems.join('; ') : 'its signature does not verify with the key of any certificate of its issuer';
  }
}

/** The full names of a DistributionPointName; a relative name is appended to `base` (§5.2.5). */
function resolveDpName(dpName: DistributionPointName, base: DistinguishedName): readonly GeneralName[] {
  if (dpName.type === 'fullName') return dpName.names;
  return [{ type: 'directoryName', name: base.withRdn(dpName.rdn) }];
}
