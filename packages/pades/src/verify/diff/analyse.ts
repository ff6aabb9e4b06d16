import { PdfError, type PdfDocument } from '@kyso/pdf';
import type { DocMdpPermission, FieldLock } from '../../mdp/permissions.js';
import type { Change, ModificationsAfter } from '../report.js';
import { ChangeLog, type EffectivePolicy } from './change-log.js';
import { RevisionDiff } from './revision-diff.js';
import { checkLaterRevision, checkSignedChain, checkSignedEntries, checkUnaccountedBytes } from './structure.js';

/** The permissions a signature imposes on later revisions. */
export interface ModificationPolicy {
  /** The document's certification (applies to every signature), or null when not certified. */
  readonly docMdp: DocMdpPermission | null;
  /** FieldMDP locks in effect for this signature (its own and earlier signatures'). */
  readonly locks: readonly FieldLock[];
}

/** The outcome for one signature. */
export interface ModificationAnalysis {
  /** `none` when nothing follows the signed revision, `disallowed` when any change is. */
  readonly status: ModificationsAfter;
  /** Every change found, in file order, each with its revision, object, classification and why. */
  readonly changes: readonly Change[];
}

/** The certification's /P, made stricter by any PDF 2.0 /Lock /P of the locks in force (ISO 32000-2 Table 236). */
function effective(policy: ModificationPolicy): EffectivePolicy {
  let p = policy.docMdp;
  for (const l of policy.locks) if (l.permission !== undefined && (p === null || l.permission < p)) p = l.permission;
  return { docMdp: p, locks: policy.locks };
}

/**
 * Judges everything the file holds after the revision a signature covers (`signatureRevision`,
 * 0-based), reject-by-default as pyHanko's diff analysis does:
 *
 * - the file structure: the signed revision must read the same on its own as inside the file,
 *   none of its objects may live past the signed bytes, each later update must have one
 *   cross-reference section in its own bytes with /Prev to the previous one, define objects only
 *   in its own bytes (no shadow objects), list no object twice, agree with its hybrid /XRefStm,
 *   and no update may be skipped by the chain nor data follow the last %%EOF;
 * - each later revision against the one before it, object by object ({@link RevisionDiff}):
 *   DSS/VRI and document timestamps are always allowed, signing and form filling with DocMDP
 *   P ≥ 2 (and FieldMDP locks respected), comment annotations with P = 3 or no certification,
 *   and nothing else.
 *
 * Never throws for a malformed later revision: what cannot be read is a disallowed change.
 */
export function analyseModifications(doc: PdfDocument, signatureRevision: number, policy: ModificationPolicy): ModificationAnalysis {
  const log = new ChangeLog(effective(policy));
  const s = signatureRevision;
  const last = doc.revisions.length - 1;
  const guard = (r: number, what: string, f: () => void) => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof PdfError)) throw e;
      log.reject(r, null, 'unreadable', `${what} cannot be read (${e.message}), so the changes cannot be judged`);
    }
  };
  guard(last, 'the end of the file', () => checkUnaccountedBytes(doc, s, log));
  guard(s, 'the signed revision', () => checkSignedEntries(doc, s, log));
  if (s < last) {
    if (doc.repaired) {
      log.reject(last, null, 'xref-repaired', 'the cross-reference data after the signature is damaged and was rebuilt by scanning; what other readers show cannot be compared');
    } else {
      guard(s, 'the signed revision', () => checkSignedChain(doc, s, log));
      for (let r = s + 1; r <= last; r++) {
        guard(r, `revision ${r + 1}`, () => checkLaterRevision(doc, r, log));
        guard(r, `revision ${r + 1}`, () => new RevisionDiff(doc, r, log).run());
      }
    }
  }
  const changes = log.changes;
  const status: ModificationsAfter = changes.length === 0 ? 'none' : changes.every((c) => c.allowed) ? 'allowed' : 'disallowed';
  return Object.freeze({ status, changes: Object.freeze(changes) });
}
