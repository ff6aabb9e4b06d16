/**
 * A plain certificate chain walk from the signer up to a trust anchor: issuer by name and key
 * identifier, each signature checked, each validity period checked at the validation time.
 * No revocation, no policies, no name constraints: that is `@kyso/trust`'s RFC 5280 §6.1
 * validator; this walk exists so that `verifyCades` can say something useful on its own.
 */
import { bytesEqual } from '@kyso/core';
import { parseSignatureAlgorithm } from '../algorithms.js';
import { isIssuedBy, parseCertificate, verifyWithCertificate, type CertificateInfo } from '../certificate.js';

/** Outcome of the chain walk. */
export interface ChainWalkResult {
  /** `trusted`: a path to an anchor with valid signatures and dates; `untrusted`: no such path. */
  readonly status: 'trusted' | 'untrusted';
  /** Signer first, anchor last (as far as the walk got). */
  readonly path: readonly Uint8Array[];
  /** Why the walk failed. */
  readonly errors: readonly string[];
  /** The signer certificate (or an issuer) was outside its validity at the time. */
  readonly expired: boolean;
  readonly notYetValid: boolean;
  /** No issuer found up to an anchor. */
  readonly noPath: boolean;
}

/** Verifies the signature on `cert` with `issuer`'s key. */
export async function verifyCertificateSignature(cert: CertificateInfo, issuer: CertificateInfo): Promise<boolean> {
  try {
    return await verifyWithCertificate(issuer, parseSignatureAlgorithm(cert.signatureAlgorithm, undefined), cert.signatureValue, cert.tbs);
  } catch {
    return false; // an algorithm kyso does not know
  }
}

const label = (c: CertificateInfo, i: number) => (i === 0 ? 'the signer certificate' : `chain certificate #${i}`);

/** Walks from `leaf` through `pool` to one of `anchors`, checking signatures and validity at `at`. */
export async function walkChain(leaf: Uint8Array, pool: readonly Uint8Array[], anchors: readonly Uint8Array[], at: Date): Promise<ChainWalkResult> {
  const anchorInfos = anchors.map(parseCertificate);
  const poolInfos: CertificateInfo[] = [];
  for (const c of pool) {
    try {
      poolInfos.push(parseCertificate(c));
    } catch {
      /* unreadable extra certificates are ignored */
    }
  }
  const errors: string[] = [];
  let expired = false;
  let notYetValid = false;
  let cur = parseCertificate(leaf);
  const path: Uint8Array[] = [cur.der];
  const checkDates = (c: CertificateInfo, i: number) => {
    if (at < c.notBefore) {
      notYetValid = true;
      errors.push(`${label(c, i)} is not valid before ${c.notBefore.toISOString()} (validation time ${at.toISOString()})`);
    }
    if (at > c.notAfter) {
      expired = true;
      errors.push(`${label(c, i)} expired on ${c.notAfter.toISOString()} (validation time ${at.toISOString()})`);
    }
  };
  for (let depth = 0; depth < 16; depth++) {
    checkDates(cur, depth);
    if (anchorInfos.some((a) => bytesEqual(a.der, cur.der))) {
      return { status: errors.length ? 'untrusted' : 'trusted', path, errors, expired, notYetValid, noPath: false };
    }
    const anchor = anchorInfos.find((a) => isIssuedBy(cur, a));
    const candidates = anchor ? [anchor] : poolInfos.filter((p) => isIssuedBy(cur, p) && !path.some((q) => bytesEqual(q, p.der)));
    let next: CertificateInfo | undefined;
    for (const cand of candidates) {
      if (await verifyCertificateSignature(cur, cand)) {
        next = cand;
        break;
      }
    }
    if (!next) {
      if (candidates.length) errors.push(`the signature on ${label(cur, depth)} does not verify with its issuer's key`);
      else errors.push(`no issuer found for ${label(cur, depth)} among the embedded certificates and the trust anchors`);
      return { status: 'untrusted', path, errors, expired, notYetValid, noPath: candidates.length === 0 };
    }
    if (!next.isCa && !anchor) errors.push(`chain certificate #${depth + 1} is not a CA (basicConstraints)`);
    path.push(next.der);
    if (anchor) {
      return { status: errors.length ? 'untrusted' : 'trusted', path, errors, expired, notYetValid, noPath: false };
    }
    cur = next;
  }
  errors.push('the certificate chain is longer than 16 certificates');
  return { status: 'untrusted', path, errors, expired, notYetValid, noPath: true };
}
