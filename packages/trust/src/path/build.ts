import { bytesEqual } from '@kyso/core';
import { TrustError } from '../errors.js';
import type { Certificate } from '../x509/certificate.js';

/** Input of {@link buildPaths}. */
export interface PathBuilderInput {
  /** The certificate to build a path for (end-entity, or a CRL/OCSP signer). */
  readonly leaf: Certificate;
  /** Certificates that may serve as intermediates, in preference order; order does not need to be a chain. */
  readonly candidates?: readonly Certificate[];
}

/** Options of {@link buildPaths}. */
export interface BuildPathsOptions extends PathBuilderInput {
  readonly trustAnchors: readonly Certificate[];
  /** Longest path, trust anchor excluded (default 12). */
  readonly maxLength?: number;
  /** Most paths yielded (default 32). */
  readonly maxPaths?: number;
}

/** One candidate path: end-entity first, trust anchor separate. */
export interface CandidatePath {
  readonly certificates: readonly Certificate[];
  readonly trustAnchor: Certificate;
}

/** 0 when the AKI names `issuer`'s SKI, 1 when nothing can be said, 2 when they differ. */
function keyIdRank(child: Certificate, issuer: Certificate): number {
  const aki = child.authorityKeyIdentifier?.keyIdentifier;
  const ski = issuer.subjectKeyIdentifier;
  if (!aki || !ski) return 1;
  return bytesEqual(aki, ski) ? 0 : 2;
}

function identity(c: Certificate): string {
  // A certificate's place in a path is its subject and key: a second certificate with both
  // (a cross-certificate of the same CA) would only make a loop.
  return `${c.subject.toString().toLowerCase()}|${c.publicKey.der.join(',')}`;
}

/**
 * Builds candidate certification paths from `leaf` to a trust anchor (RFC 4158 style, depth
 * first): issuers are matched by name (RFC 5280 §7.1), ordered by AKI/SKI agreement and then by
 * the order of `candidates`; cross-certificates give extra paths; a path never repeats a
 * subject-and-key, so loops are refused; length and count are bounded.
 * A path is not checked here: {@link validatePath} tries them in order.
 */
export function* buildPaths(options: BuildPathsOptions): Generator<CandidatePath> {
  const { leaf, trustAnchors } = options;
  if (!leaf || !Array.isArray(trustAnchors)) throw new TrustError('BAD_ARGUMENT', 'buildPaths needs { leaf, trustAnchors: Certificate[] }.');
  const maxLength = options.maxLength ?? 12;
  let remaining = options.maxPaths ?? 32;
  const anchorPrints = new Set(trustAnchors.map((a) => a.fingerprintSha256));
  const pool = (options.candidates ?? []).filter((c) => !anchorPrints.has(c.fingerprintSha256) && !c.equals(leaf));
  // A leaf that is itself a trust anchor needs no path.
  if (anchorPrints.has(leaf.fingerprintSha256)) {
    yield { certificates: [], trustAnchor: trustAnchors.find((a) => a.equals(leaf))! };
    return;
  }
  let visits = 0;

  function* extend(chain: Certificate[], seen: Set<string>): Generator<CandidatePath> {
    if (remaining <= 0 || ++visits > 2000) return;
    const last = chain[chain.length - 1]!;
    const anchors = trustAnchors.filter((a) => a.subject.equals(last.issuer)).sort((a, b) => keyIdRank(last, a) - keyIdRank(last, b));
    for (const anchor of anchors) {
      if (remaining <= 0) return;
      remaining--;
      yield { certificates: chain.slice(), trustAnchor: anchor };
    }
    if (chain.length >= maxLength) return;
    const issuers = pool
      .filter((c) => c.subject.equals(last.issuer) && !seen.has(identity(c)))
      .map((c, i) => ({ c, rank: keyIdRank(last, c) * 1000 + i }))
      .sort((a, b) => a.rank - b.rank);
    for (const { c } of issuers) {
      const id = identity(c);
      seen.add(id);
      chain.push(c);
      yield* extend(chain, seen);
      chain.pop();
      seen.delete(id);
    }
  }

  yield* extend([leaf], new Set([identity(leaf)]));
}
