import type { AuditActor } from '../audit/audit-log.js';
import type { CertificateIdentity } from '../identity/certificate-identity.js';
import type { DocumentNumber } from '../numbering/document-number.js';
import type { Assignee, Route } from '../route/route.js';

/** Where a case stands. */
export type CaseStatus = 'in-progress' | 'completed' | 'withdrawn';

/** One signature applied through the workflow. */
export interface SignatureRecord {
  readonly stepId: string;
  readonly signer: CertificateIdentity;
  /** ISO time the signature was committed. */
  readonly at: string;
  /** SHA-256 of the document before and after this signature. */
  readonly documentBefore: string;
  readonly documentAfter: string;
  /** The signature field it went into. */
  readonly fieldName: string | null;
}

/** A step's progress within the current round. */
export interface StepState {
  readonly stepId: string;
  readonly status: 'pending' | 'done';
  readonly signatures: readonly SignatureRecord[];
}

/** A step (or one co-signer's place in it) handed to someone else, with the reason. */
export interface Delegation {
  readonly stepId: string;
  /** The assignee replaced (for a co-signing step); null replaces the step's only assignee. */
  readonly from: Assignee | null;
  readonly to: Assignee;
  readonly reason: string;
  readonly by: AuditActor;
  readonly at: string;
}

/** A finished round, kept in the history when the case is returned or resubmitted. */
export interface RoundRecord {
  readonly round: number;
  /** SHA-256 of the draft the round started from, and of its last version. */
  readonly draft: string;
  readonly lastDocument: string;
  readonly steps: readonly StepState[];
  readonly endedAt: string;
  readonly endedBy: 'return' | 'resubmit';
  readonly reason: string | null;
  readonly actor: AuditActor;
}

/** One document on one route: the unit the stores keep. */
export interface CaseRecord {
  readonly id: string;
  readonly title: string | null;
  /** A copy of the route taken when the case started, so later edits of the route do not touch it. */
  readonly route: Route;
  readonly status: CaseStatus;
  /** 1 for the first draft; each return or resubmission starts the next. */
  readonly round: number;
  /** Index into `route.steps` of the step waiting for action (= steps.length when completed). */
  readonly stepIndex: number;
  /** SHA-256 of the current PDF (a content address in the store). */
  readonly document: string;
  /** SHA-256 of the draft this round started from. */
  readonly draft: string;
  /** Progress of every step in the current round, in route order. */
  readonly steps: readonly StepState[];
  readonly history: readonly RoundRecord[];
  readonly delegations: readonly Delegation[];
  /** Set when the issue step was reached (Decree 30/2020 Art. 15). */
  readonly documentNumber: DocumentNumber | null;
  readonly createdBy: AuditActor;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** Optimistic-concurrency version: 1 on creation, +1 on every committed change. */
  readonly version: number;
  /** Sequence number and hash of the last audit entry. */
  readonly audit: { readonly seq: number; readonly head: string };
  readonly metadata: Readonly<Record<string, string>>;
}

/** A signing begun with `beginSign` and not yet completed (kept in the store between the two calls). */
export interface PendingSignature {
  readonly token: string;
  readonly caseId: string;
  readonly stepId: string;
  readonly round: number;
  /** The case version the signature was prepared against; `completeSign` fails with a conflict if it moved. */
  readonly expectedVersion: number;
  readonly documentBefore: string;
  /** The signer's certificate, base64 DER, and what was read from it. */
  readonly certificate: string;
  readonly signer: CertificateIdentity;
  /** The signing port's serialised state. */
  readonly state: string;
  readonly fieldName: string | null;
  readonly documentNumber: DocumentNumber | null;
  readonly createdAt: string;
  readonly expiresAt: string;
}

/** One content-addressed version of a case's PDF. */
export interface DocumentVersion {
  readonly sha256: string;
  readonly bytes: Uint8Array;
}
