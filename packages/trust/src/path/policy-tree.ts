import { Oid } from '../asn1/oids.js';
import type { PolicyInformation, PolicyMapping, PolicyQualifier } from '../x509/extensions.js';

const ANY = Oid.anyPolicy;

/** A node of the valid_policy_tree (RFC 5280 §6.1.2(a)). @internal */
export class PolicyNode {
  readonly children: PolicyNode[] = [];
  constructor(
    readonly validPolicy: string,
    public qualifiers: readonly PolicyQualifier[],
    public expectedPolicySet: Set<string>,
    readonly parent: PolicyNode | null,
    readonly depth: number,
  ) {
    parent?.children.push(this);
  }
}

/**
 * The valid_policy_tree of RFC 5280 §6.1 with the operations of §6.1.3(d)–(e), §6.1.4(b) and
 * §6.1.5(g). A tree that becomes NULL stays NULL.
 * @internal
 */
export class PolicyTree {
  private levels: PolicyNode[][] | null;

  constructor() {
    // §6.1.2(a): a single node of depth 0: anyPolicy, {}, {anyPolicy}.
    this.levels = [[new PolicyNode(ANY, [], new Set([ANY]), null, 0)]];
  }

  get isNull(): boolean {
    return this.levels === null;
  }

  setNull(): void {
    this.levels = null;
  }

  private level(d: number): PolicyNode[] {
    return this.levels?.[d] ?? [];
  }

  /** §6.1.3(d): processes certificate i's policies (depth i). */
  processCertificatePolicies(i: number, policies: readonly PolicyInformation[], anyPolicyAllowed: boolean): void {
    if (!this.levels) return;
    const parents = this.level(i - 1);
    const created: PolicyNode[] = [];
    let anyQualifiers: readonly PolicyQualifier[] | null = null;
    for (const p of policies) {
      if (p.policyIdentifier === ANY) {
        anyQualifiers = p.qualifiers;
        continue;
      }
      // (d)(1)(i): children of every node whose expected_policy_set contains P.
      let matched = false;
      for (const node of parents) {
        if (node.expectedPolicySet.has(p.policyIdentifier)) {
          created.push(new PolicyNode(p.policyIdentifier, p.qualifiers, new Set([p.policyIdentifier]), node, i));
          matched = true;
        }
      }
      // (d)(1)(ii): otherwise under an anyPolicy node of depth i-1.
      if (!matched) {
        const anyNode = parents.find((n) => n.validPolicy === ANY);
        if (anyNode) created.push(new PolicyNode(p.policyIdentifier, p.qualifiers, new Set([p.policyIdentifier]), anyNode, i));
      }
    }
    // (d)(2): anyPolicy in the certificate expands every expected policy not yet a child.
    if (anyQualifiers && anyPolicyAllowed) {
      for (const node of parents) {
        for (const expected of node.expectedPolicySet) {
          if (!node.children.some((c) => c.validPolicy === expected)) {
            created.push(new PolicyNode(expected, anyQualifiers, new Set([expected]), node, i));
          }
        }
      }
    }
    this.levels[i] = created;
    // (d)(3): prune childless nodes of depth i-1 and above.
    this.prune(i - 1);
  }

  /** §6.1.4(b): applies the policy mappings of certificate i. */
  applyMappings(i: number, mappings: readonly PolicyMapping[], mappingAllowed: boolean, anyPolicyQualifiers: readonly PolicyQualifier[]): void {
    if (!this.levels) return;
    const byIssuer = new Map<string, Set<string>>();
    for (const m of mappings) {
      let s = byIssuer.get(m.issuerDomainPolicy);
      if (!s) byIssuer.set(m.issuerDomainPolicy, (s = new Set()));
      s.add(m.subjectDomainPolicy);
    }
    for (const [idp, subjects] of byIssuer) {
      const nodes = this.level(i).filter((n) => n.validPolicy === idp);
      if (mappingAllowed) {
        // (b)(1)
        if (nodes.length > 0) for (const n of nodes) n.expectedPolicySet = new Set(subjects);
        else {
          const anyNode = this.level(i).find((n) => n.validPolicy === ANY);
          if (anyNode?.parent) {
            this.levels[i]!.push(new PolicyNode(idp, anyPolicyQualifiers, new Set(subjects), anyNode.parent, i));
          }
        }
      } else {
        // (b)(2): delete the nodes, then prune.
        for (const n of nodes) this.remove(n);
        this.prune(i - 1);
        if (!this.levels) return;
      }
    }
  }

  /**
   * §6.1.5(g): intersects the tree with user-initial-policy-set and returns the
   * user-constrained-policy-set.
   */
  intersect(n: number, userInitialPolicySet: ReadonlySet<string>): string[] {
    if (!this.levels) return [];
    if (!userInitialPolicySet.has(ANY)) {
      // (g)(iii)(1): nodes whose parent is anyPolicy.
      const validPolicyNodeSet: PolicyNode[] = [];
      for (let d = 1; d <= n; d++) for (const node of this.level(d)) if (node.parent?.validPolicy === ANY) validPolicyNodeSet.push(node);
      // (2): delete those not in the user set (and not anyPolicy), with their subtrees.
      for (const node of validPolicyNodeSet) {
        if (node.validPolicy !== ANY && !userInitialPolicySet.has(node.validPolicy)) this.removeSubtree(node);
      }
      // (3): replace an anyPolicy leaf of depth n by the user's policies.
      const anyLeaf = this.level(n).find((x) => x.validPolicy === ANY);
      if (anyLeaf && anyLeaf.parent) {
        const present = new Set(validPolicyNodeSet.filter((x) => this.contains(x)).map((x) => x.validPolicy));
        for (const p of userInitialPolicySet) {
          if (!present.has(p)) this.levels![n]!.push(new PolicyNode(p, anyLeaf.qualifiers, new Set([p]), anyLeaf.parent, n));
        }
        this.remove(anyLeaf);
      }
      // (4): prune.
      this.prune(n - 1);
    }
    if (!this.levels) return [];
    // The set is expressed in the trust anchor's policy domain (X.509 §12.4.4, as PKITS reports
    // it): for each leaf, the policy of its highest ancestor below the anyPolicy chain.
    const out = new Set<string>();
    for (const leaf of this.level(n)) {
      let node = leaf;
      while (node.parent && node.parent.validPolicy !== ANY) node = node.parent;
      out.add(node.validPolicy);
    }
    return [...out];
  }

  /** The nodes of depth `d` (for reports and tests). */
  nodesAt(d: number): readonly PolicyNode[] {
    return this.level(d);
  }

  private contains(node: PolicyNode): boolean {
    return this.level(node.depth).includes(node);
  }

  private remove(node: PolicyNode): void {
    const lvl = this.levels?.[node.depth];
    if (lvl) {
      const k = lvl.indexOf(node);
      if (k >= 0) lvl.splice(k, 1);
    }
    if (node.parent) {
      const k = node.parent.children.indexOf(node);
      if (k >= 0) node.parent.children.splice(k, 1);
    }
    if (node.depth === 0) this.levels = null;
  }

  private removeSubtree(node: PolicyNode): void {
    for (const c of node.children.slice()) this.removeSubtree(c);
    this.remove(node);
  }

  /** Deletes nodes of depth ≤ `from` that have no children, deepest first. */
  private prune(from: number): void {
    for (let d = from; d >= 0 && this.levels; d--) {
      for (const node of this.level(d).slice()) if (node.children.length === 0) this.remove(node);
    }
  }
}
