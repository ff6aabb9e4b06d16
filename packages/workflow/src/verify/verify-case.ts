import { identityMatches, readCertificateIdentity, type CertificateIdentity } from '../identity/certificate-identity.js';
import { deepFreeze } from '../internal/hash.js';
import { effectiveAssignees } from '../model/assignment.js';
import type { CaseRecord, Delegation } from '../model/case.js';
import { describeAssignee, parseRoute, type Assignee, type Route, type RouteStep } from '../route/route.js';
import type { DocumentSignatureCheck, DocumentSigning } from '../signing/document-signing.js';

const LTV_CHANGES = new Set(['dss', 'document-timestamp', 'vri', 'signature-added-timestamp', 'doc-timestamp']);

/** Options of {@link verifyCase}. */
export interface VerifyCaseOptions {
  /** How to read the PDF's signatures: `padesDocumentSigning()` for `@kyso/pades`. */
  readonly signing: DocumentSigning;
  /** Trust anchors (DER): when given, every signature must be TOTAL-PASSED, not only intact. */
  readonly trustAnchors?: readonly Uint8Array[];
  /** Validation time; default now. */
  readonly at?: Date;
  /** Resolves role assignees to identities (as the workflow did). */
  readonly resolveRole?: (role: string, step: RouteStep) => Promise<readonly Assignee[]> | readonly Assignee[];
  /** Delegations made on the case (from its record), so a delegate's signature matches. */
  readonly delegations?: readonly Delegation[];
  /** Signatures the draft carried before the route began (they are skipped); default 0. */
  readonly draftSignatures?: number;
  /** Accept a PDF that has signed only the first steps so far; default false (every step must be signed). */
  readonly allowIncomplete?: boolean;
}

/** One signature, as matched to the route. */
export interface CaseSignatureVerification {
  readonly field: string;
  readonly revision: number;
  readonly signer: string | null;
  readonly certificateSha256: string | null;
  readonly integrity: boolean;
  readonly indication: string;
  readonly subIndication: string | null;
  /** The assignee it matched, described, or null. */
  readonly matched: string | null;
}

/** One step of the route, as found in the PDF. */
export interface CaseStepVerification {
  readonly stepId: string;
  readonly kind: RouteStep['kind'];
  /** `signed`: every signature the step needs is there and matches; `missing`: not signed yet; `mismatch`: a signature does not fit. */
  readonly status: 'signed' | 'missing' | 'mismatch';
  readonly signatures: readonly CaseSignatureVerification[];
}

/** The result of {@link verifyCase} (frozen). */
export interface CaseVerification {
  /** Every signature present matches the route in order and assignee, holds, and nothing else changed (and, unless `allowIncomplete`, every step is signed). */
  readonly valid: boolean;
  /** Every step of the route is signed. */
  readonly complete: boolean;
  readonly routeId: string;
  readonly revisions: number;
  readonly steps: readonly CaseStepVerification[];
  /** What is wrong, one sentence each; empty when valid. */
  readonly problems: readonly string[];
}

/**
 * Checks from the PDF alone (through the signing port's verifier) that its signatures are the
 * route's: one per step (all co-signers for an all-of step, in any order), in the route's
 * order, each by the step's assignee, each intact, with no change after any of them that it
 * does not allow and nothing after the last but allowed updates (DSS, document timestamps).
 */
export async function verifyCase(pdf: Uint8Array, route: Route | unknown, options: VerifyCaseOptions): Promise<CaseVerification> {
  const r = parseRoute(route);
  const inspectOpts: { trustAnchors?: readonly Uint8Array[]; at?: Date } = {};
  if (options.trustAnchors) inspectOpts.trustAnchors = options.trustAnchors;
  if (options.at) inspectOpts.at = options.at;
  const check = await options.signing.inspect(pdf, inspectOpts);
  const problems: string[] = [];
  const all = [...check.signatures].sort((a, b) => a.revision - b.revision);
  const approvals = all.filter((s) => s.kind !== 'document-timestamp').slice(options.draftSignatures ?? 0);
  for (const s of all) {
    if (!s.integrity) problems.push(`Signature "${s.field}" does not verify (${s.subIndication ?? s.indication}).`);
    if (s.modificationsAfter === 'disallowed') {
      problems.push(`The document was changed after signature "${s.field}" in a way it does not allow: ${s.disallowedChanges.join('; ') || 'see kyso verify'}.`);
    }
    if (options.trustAnchors && s.indication !== 'TOTAL-PASSED') problems.push(`Signature "${s.field}" is ${s.indication}${s.subIndication ? ` (${s.subIndication})` : ''}.`);
  }
  const ids = new Map<DocumentSignatureCheck, CertificateIdentity | null>();
  for (const s of approvals) ids.set(s, s.signerCertificate ? await readCertificateIdentity(s.signerCertificate) : null);

  const resolve = async (step: RouteStep, a: Assignee): Promise<readonly Assignee[]> => {
    if (a.by !== 'role') return [a];
    if (!options.resolveRole) return [];
    return (await options.resolveRole(a.role, step)).filter((x) => x.by !== 'role');
  };
  const matches = async (step: RouteStep, a: Assignee, id: CertificateIdentity | null) => id !== null && (await resolve(step, a)).some((x) => identityMatches(id, x));

  const steps: CaseStepVerification[] = [];
  let cursor = 0;
  for (const step of r.steps) {
    const slots = effectiveAssignees(step, options.delegations ?? []);
    const need = step.kind === 'cosign' && step.mode !== 'any-of' ? slots.length : 1;
    const taken = new Set<number>();
    const sigs: CaseSignatureVerification[] = [];
    let status: CaseStepVerification['status'] = 'signed';
    for (let k = 0; k < need; k++) {
      const s = approvals[cursor];
      if (!s) {
        status = 'missing';
        break;
      }
      cursor++;
      const id = ids.get(s) ?? null;
      let matched: string | null = null;
      for (let i = 0; i < slots.length; i++) {
        if (!taken.has(i) && (await matches(step, slots[i]!, id))) {
          taken.add(i);
          matched = describeAssignee(slots[i]!);
          break;
        }
      }
      sigs.push({
        field: s.field,
        revision: s.revision,
        signer: s.commonName,
        certificateSha256: s.certificateSha256,
        integrity: s.integrity,
        indication: s.indication,
        subIndication: s.subIndication,
        matched,
      });
      if (!matched) {
        status = 'mismatch';
        const who = s.commonName ?? s.subject ?? 'an unknown signer';
        problems.push(
          id === null
            ? `Signature "${s.field}" carries no certificate that can be matched to step "${step.id}".`
            : `Signature "${s.field}" (${who}) is where step "${step.id}" belongs, but it is not by ${slots.map(describeAssignee).join(' or ')}.`,
        );
      }
    }
    steps.push({ stepId: step.id, kind: step.kind, status, signatures: sigs });
  }
  if (cursor < approvals.length) {
    problems.push(`The PDF has ${approvals.length - cursor} signature(s) more than the route has places for (first: "${approvals[cursor]!.field}").`);
  }
  const firstMissing = steps.find((s) => s.status === 'missing');
  const complete = !firstMissing && steps.every((s) => s.status === 'signed');
  if (firstMissing && !options.allowIncomplete) problems.push(`Step "${firstMissing.stepId}" is not signed yet.`);
  // Nothing else changed: after the last signature only validation data (DSS) or document
  // timestamps may follow (ETSI EN 319 142-1 §5.4 keeps B-LT/B-LTA updates legitimate).
  const last = all.at(-1);
  const extra = (last?.changes ?? []).filter((c) => !LTV_CHANGES.has(c.kind));
  if (last && extra.length > 0) {
    problems.push(`The document was changed after the last signature "${last.field}": ${extra.map((c) => c.detail || c.kind).join('; ')}.`);
  }
  return deepFreeze({ valid: problems.length === 0, complete, routeId: r.id, revisions: check.revisions, steps, problems });
}

/** `verifyCase` options taken from a case record (its delegations and the draft's own signatures). */
export function caseVerificationContext(rec: CaseRecord): Pick<VerifyCaseOptions, 'delegations' | 'draftSignatures'> {
  return { delegations: rec.delegations, draftSignatures: Number(rec.metadata['draftSignatures'] ?? 0) };
}
