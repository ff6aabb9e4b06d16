import type { DocMdpPermission, FieldLock } from '../../mdp/permissions.js';
import type { Change, ChangeClassification } from '../report.js';

/**
 * What a change needs to be acceptable (cf. pyHanko's ModificationLevel):
 * - `always`: allowed after every signature, even a certification with P=1 — DSS/VRI and
 *   document timestamps (ETSI EN 319 142-1 §5.4.2, §5.4.3), invisible signature fields for them;
 * - `signing`: adding a signature (ISO 32000-2 §12.8.2.2 Table 257: P ≥ 2);
 * - `form-filling`: filling in form fields (P ≥ 2), and only fields no FieldMDP lock covers;
 * - `annotations`: adding comment annotations (P = 3, or no certification);
 * - `never`: everything else.
 */
export type Permission = 'always' | 'signing' | 'form-filling' | 'annotations' | 'never';

/** The permissions that apply after one signature. */
export interface EffectivePolicy {
  /** The stricter of the certification's /P and any PDF 2.0 /Lock /P (ISO 32000-2 Table 236); null when neither exists. */
  readonly docMdp: DocMdpPermission | null;
  readonly locks: readonly FieldLock[];
}

/** Whether `p` is allowed under `policy`. */
export function permits(policy: EffectivePolicy, p: Permission): boolean {
  switch (p) {
    case 'always':
      return true;
    case 'signing':
    case 'form-filling':
      return policy.docMdp === null || policy.docMdp >= 2;
    case 'annotations':
      return policy.docMdp === null || policy.docMdp === 3;
    case 'never':
      return false;
  }
}

const WHY_NOT: Record<Exclude<Permission, 'always' | 'never'>, Record<DocMdpPermission, string>> = {
  signing: { 1: 'the certification (P=1) allows no changes', 2: '', 3: '' },
  'form-filling': { 1: 'the certification (P=1) allows no changes', 2: '', 3: '' },
  annotations: {
    1: 'the certification (P=1) allows no changes',
    2: 'the certification is P=2 and allows annotations only with P=3',
    3: '',
  },
};

/** Collects the changes of one signature's analysis, once per revision, object and kind. */
export class ChangeLog {
  readonly changes: Change[] = [];
  private readonly seen = new Set<string>();

  constructor(readonly policy: EffectivePolicy) {}

  /**
   * Records a change. `revision` is 0-based here and reported 1-based; `object` is `"num gen"`
   * or null for the file structure. A `permission` the policy does not grant makes it disallowed,
   * and the detail then says which permission was missing.
   */
  add(revision: number, object: string | null, kind: string, permission: Permission, detail: string): void {
    const key = `${revision}|${object ?? ''}|${kind}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const allowed = permits(this.policy, permission);
    const classification: ChangeClassification = !allowed ? 'disallowed' : permission === 'always' ? 'allowed' : 'allowed-by-certification';
    let why = detail;
    if (!allowed && permission !== 'never' && permission !== 'always' && this.policy.docMdp !== null) {
      const reason = WHY_NOT[permission][this.policy.docMdp];
      if (reason) why = `${detail}, but ${reason}`;
    }
    this.changes.push(Object.freeze({ revision: revision + 1, object, kind, classification, allowed, detail: why }));
  }

  /** Shorthand for a change that is never allowed. */
  reject(revision: number, object: string | null, kind: string, detail: string): void {
    this.add(revision, object, kind, 'never', detail);
  }
}
