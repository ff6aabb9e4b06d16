import { bytesEqual, isKysoError, systemClock, toBase64, type Clock } from '@kyso/core';
import type { Signer } from '@kyso/cms';
import { GENESIS_HASH, sealAuditEntry, verifyAuditChain, type AuditAction, type AuditActor, type AuditChainReport, type AuditEntry } from '../audit/audit-log.js';
import {
  AlreadySignedError,
  BadSignatureError,
  CaseClosedError,
  CertificateInvalidError,
  DisallowedChangeError,
  NotAllowedError,
  OutOfOrderError,
  StoreCorruptError,
  WorkflowConflictError,
  WorkflowError,
  WorkflowInputError,
  WorkflowNotFoundError,
  WrongSignerError,
} from '../errors.js';
import { describeIdentity, identityMatches, readCertificateIdentity, type CertificateIdentity } from '../identity/certificate-identity.js';
import { randomId, sha256Hex } from '../internal/hash.js';
import { effectiveAssignees } from '../model/assignment.js';
import type { CaseRecord, Delegation, PendingSignature, RoundRecord, SignatureRecord, StepState } from '../model/case.js';
import { documentNumber, vietnamYear, type DocumentNumber } from '../numbering/document-number.js';
import { describeAssignee, parseAssigneeInput, parseRoute, sameAssignee, type Assignee, type Route, type RouteStep } from '../route/route.js';
import type { CertificateValidator, DocumentCheck, DocumentSignatureCheck, DocumentSigning, PrepareSignatureRequest } from '../signing/document-signing.js';
import { padesDocumentSigning } from '../signing/pades-signing.js';
import { trustValidator } from '../signing/trust-validator.js';
import type { CaseQuery, WorkflowStore } from '../store/workflow-store.js';

/** Resolves a role named in a route to the identities that hold it (for this case and step). */
export type RoleResolver = (role: string, context: { readonly caseRecord: CaseRecord; readonly step: RouteStep }) => Promise<readonly Assignee[]> | readonly Assignee[];

/** Points where an application (or a crash test) can hook in. */
export interface WorkflowHooks {
  /** Runs after a change is computed and signed, just before the store commits it. */
  beforeCommit?(event: { readonly caseId: string; readonly action: AuditAction; readonly record: CaseRecord }): void | Promise<void>;
}

/** Options of {@link Workflow}; `store` and `signing` are required, the rest have defaults. */
export interface WorkflowOptions {
  readonly store: WorkflowStore;
  /** How PDFs are signed and verified; default `padesDocumentSigning()` (`@kyso/pades`). */
  readonly signing?: DocumentSigning;
  /**
   * Trust anchors (DER): when given (and no `certificateValidator`), the signer's certificate
   * must chain to one at signing time (`trustValidator`, RFC 5280 §6.1).
   */
  readonly trustAnchors?: readonly Uint8Array[];
  /** Default: the system clock. Signing time, validity checks and the document year come from it. */
  readonly clock?: Clock;
  /** Needed when a route assigns steps by role. */
  readonly resolveRole?: RoleResolver;
  /** Checks the signer's chain at signing time; without one, only the certificate's validity period is checked. */
  readonly certificateValidator?: CertificateValidator;
  /** How long a begun signature may wait for its value; default one hour. */
  readonly pendingTtlMs?: number;
  readonly hooks?: WorkflowHooks;
}

/** Who performs an action that is not a signature (as the application authenticated them). */
export type Actor = AuditActor;

/** Input of {@link Workflow.startCase}. */
export interface StartCaseInput {
  /** The route (object or JSON), or the id of one saved with {@link Workflow.defineRoute}. */
  readonly route: Route | string | unknown;
  /** The draft PDF. */
  readonly document: Uint8Array;
  readonly actor: Actor;
  readonly title?: string;
  /** Default: a random id. */
  readonly id?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

/** What {@link Workflow.beginSign} returns: what the key must sign, and the token to finish with. */
export interface BeginSignResult {
  readonly token: string;
  readonly caseId: string;
  readonly stepId: string;
  /** DER of the CMS signed attributes: give it to `Signer.sign`. */
  readonly dataToSign: Uint8Array;
  /** Hash of `dataToSign`, for keys that sign a digest (a USB token plug-in, a remote service). */
  readonly digestToSign: Uint8Array;
  readonly digestAlgorithm: string;
  readonly fieldName: string;
  /** On the issue step: the number drawn for the document. */
  readonly documentNumber: DocumentNumber | null;
  readonly expiresAt: string;
}

/** Options of {@link Workflow.beginSign}. */
export interface BeginSignOptions {
  /** Intermediate certificates (DER, issuer first) to embed. */
  readonly chain?: readonly Uint8Array[];
  /** How the key signs (`Signer.signatureAlgorithm`); default from the key type. */
  readonly signatureAlgorithm?: PrepareSignatureRequest['signatureAlgorithm'];
}

/** Everything kept about a case, for export and archiving. */
export interface CaseExport {
  readonly record: CaseRecord;
  readonly document: Uint8Array;
  readonly audit: readonly AuditEntry[];
  readonly auditReport: AuditChainReport;
}

const DEFAULT_REASON: Record<RouteStep['kind'], string> = {
  initial: 'Ký nháy',
  approve: 'Phê duyệt',
  cosign: 'Đồng ký',
  issue: 'Ban hành văn bản',
};

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The approval engine: starts cases on routes and moves them along as cadres sign, return,
 * resubmit, withdraw and delegate, enforcing the route's rules and logging every action in a
 * hash-chained audit log. Stateless itself: every fact lives in the {@link WorkflowStore}, and
 * every change is a compare-and-set there, so any number of engines (threads, processes,
 * servers) may share one store.
 *
 * @example
 * ```ts
 * const wf = new Workflow({ store: new MemoryWorkflowStore(), trustAnchors: [govRootDer] });
 * const c = await wf.startCase({ route, document: draftPdf, actor: { id: 'u1' } });
 * await wf.sign(c.id, drafterSigner);                 // key in this process
 * const b = await wf.beginSign(c.id, 'head', headCertificate);  // key elsewhere
 * await wf.completeSign(b.token, await remoteSign(b.dataToSign));
 * ```
 */
export class Workflow {
  readonly store: WorkflowStore;
  readonly signing: DocumentSigning;
  readonly #clock: Clock;
  readonly #options: WorkflowOptions;
  readonly #validator: CertificateValidator | undefined;

  constructor(options: WorkflowOptions) {
    if (!options?.store) throw new WorkflowInputError('new Workflow({ store }): `store` is required (MemoryWorkflowStore, SqliteWorkflowStore or PostgresWorkflowStore).');
    this.store = options.store;
    this.signing = options.signing ?? padesDocumentSigning();
    this.#clock = options.clock ?? systemClock;
    this.#validator = options.certificateValidator ?? (options.trustAnchors?.length ? trustValidator({ trustAnchors: options.trustAnchors }) : undefined);
    this.#options = options;
  }

  // ---------------------------------------------------------------- routes and reading

  /** Checks a route and saves it in the store, so cases can name it by id. */
  async defineRoute(route: unknown): Promise<Route> {
    const r = parseRoute(route);
    await this.store.saveRoute(r);
    return r;
  }

  /** A saved route, or `WorkflowNotFoundError`. */
  async getRoute(routeId: string): Promise<Route> {
    const r = await this.store.getRoute(routeId);
    if (!r) throw new WorkflowNotFoundError(`No route "${routeId}" in the store; define it first (kyso workflow init).`);
    return r;
  }

  /** A case, or `WorkflowNotFoundError`. */
  async getCase(caseId: string): Promise<CaseRecord> {
    const rec = await this.store.getCase(caseId);
    if (!rec) throw new WorkflowNotFoundError(`No case "${caseId}" in the store; check the id (kyso workflow status lists the cases).`);
    return rec;
  }

  listCases(query?: CaseQuery): Promise<CaseRecord[]> {
    return this.store.listCases(query);
  }

  /** The case's current PDF (or the version `sha256` of it), checked against its content address. */
  async getDocument(caseId: string, sha256?: string): Promise<Uint8Array> {
    const rec = await this.getCase(caseId);
    return this.#loadDocument(sha256 ?? rec.document);
  }

  getAuditLog(caseId: string): Promise<AuditEntry[]> {
    return this.store.getAuditLog(caseId);
  }

  /** Verifies the case's audit chain, up to the head its record holds. */
  async verifyAudit(caseId: string): Promise<AuditChainReport> {
    const rec = await this.getCase(caseId);
    return verifyAuditChain(await this.store.getAuditLog(caseId), rec.audit.head);
  }

  /** The record, current PDF and audit log of a case, with the audit chain checked. */
  async exportCase(caseId: string): Promise<CaseExport> {
    const record = await this.getCase(caseId);
    const audit = await this.store.getAuditLog(caseId);
    return { record, document: await this.#loadDocument(record.document), audit, auditReport: await verifyAuditChain(audit, record.audit.head) };
  }

  /** The step waiting for action, or null when the case is completed or withdrawn. */
  currentStep(rec: CaseRecord): RouteStep | null {
    return rec.status === 'in-progress' ? (rec.route.steps[rec.stepIndex] ?? null) : null;
  }

  /** The assignees of a step after delegations (not yet role-resolved). */
  effectiveAssignees(rec: CaseRecord, stepId: string): Assignee[] {
    return effectiveAssignees(this.#step(rec, stepId).step, rec.delegations);
  }

  // ---------------------------------------------------------------- starting

  /** Starts a case: stores the draft (content-addressed) and the first audit entry. */
  async startCase(input: StartCaseInput): Promise<CaseRecord> {
    const actor = checkActor(input.actor);
    if (!(input.document instanceof Uint8Array) || input.document.length === 0) throw new WorkflowInputError('startCase: `document` must be the PDF bytes.');
    const route = typeof input.route === 'string' && !input.route.trimStart().startsWith('{') ? await this.getRoute(input.route) : parseRoute(input.route);
    const check = await this.#inspect(input.document, 'The draft');
    for (const s of check.signatures) {
      if (!s.integrity || s.modificationsAfter === 'disallowed') {
        throw new DisallowedChangeError(`The draft carries signature "${s.field}" that no longer holds (${s.subIndication ?? 'modified after signing'}); start from an unsigned or intact draft.`);
      }
    }
    const sha = await sha256Hex(input.document);
    const now = this.#clock.now().toISOString();
    const id = input.id ?? randomId('case_');
    if (!/^[A-Za-z0-9._:-]{1,128}$/.test(id)) throw new WorkflowInputError('A case id may use letters, digits and . _ : - (at most 128).');
    const metadata = { ...(input.metadata ?? {}), draftSignatures: String(check.signatures.length) };
    const base: Omit<CaseRecord, 'audit' | 'version'> = {
      id,
      title: input.title ?? null,
      route,
      status: 'in-progress',
      round: 1,
      stepIndex: 0,
      document: sha,
      draft: sha,
      steps: freshSteps(route),
      history: [],
      delegations: [],
      documentNumber: null,
      createdBy: actor,
      createdAt: now,
      updatedAt: now,
      metadata,
    };
    const entry = await sealAuditEntry({
      caseId: id,
      seq: 1,
      at: now,
      actor,
      action: 'create',
      stepId: null,
      round: 1,
      documentBefore: null,
      documentAfter: sha,
      details: { route: route.id, title: input.title ?? null },
      previousHash: GENESIS_HASH,
    });
    const record: CaseRecord = { ...base, version: 1, audit: { seq: 1, head: entry.hash } };
    await this.store.createCase(record, [{ sha256: sha, bytes: input.document }], [entry]);
    return record;
  }

  // ---------------------------------------------------------------- signing

  /**
   * Stage one of a signature: checks the rules for `stepId` and the signer's certificate,
   * prepares the PDF (on the issue step, after drawing the document number) and returns what
   * the key must sign and a token. The key may sign anywhere, later; then call
   * {@link completeSign}.
   *
   * Throws `WorkflowNotFoundError`, `CaseClosedError`, `AlreadySignedError`, `OutOfOrderError`,
   * `WrongSignerError`, `CertificateInvalidError` or `DisallowedChangeError`.
   */
  async beginSign(caseId: string, stepId: string | null, signerCertificate: Uint8Array, options: BeginSignOptions = {}): Promise<BeginSignResult> {
    const rec = await this.getCase(caseId);
    const sid = stepId ?? this.#currentStepId(rec);
    const { step, index } = this.#step(rec, sid);
    const signer = await readCertificateIdentity(signerCertificate);
    this.#checkTurn(rec, step, index);
    await this.#checkSigner(rec, step, signer);
    await this.#checkCertificate(signerCertificate, options.chain ?? [], signer);
    const pdf = await this.#loadDocument(rec.document);
    const check = await this.#inspect(pdf, 'The current document');
    this.#checkIntact(rec, check);

    let number: DocumentNumber | null = null;
    if (step.kind === 'issue' && step.numbering) {
      // Decree 30/2020 Art. 15: numbered per agency, type and calendar year; drawn atomically
      // in the store, and the same number again if this case asks twice (a retried issuance).
      const year = rec.documentNumber?.year ?? vietnamYear(this.#clock.now());
      const n = await this.store.reserveDocumentNumber(rec.id, { agency: step.numbering.agency, documentType: step.numbering.documentType, year });
      number = documentNumber(n, year, step.numbering);
    }
    const fieldName = fieldNameFor(rec, step);
    const reason =
      step.signature?.reason ?? (step.kind === 'issue' && number ? `${DEFAULT_REASON.issue} số ${number.symbol}` : DEFAULT_REASON[step.kind]);
    const now = this.#clock.now();
    const request: Mutable<PrepareSignatureRequest> = {
      pdf,
      signerCertificate,
      chain: options.chain ?? [],
      route: rec.route,
      step,
      existingSignatures: check.signatures.length,
      fieldName,
      reason,
      signingTime: now,
      documentNumber: number,
    };
    if (options.signatureAlgorithm) request.signatureAlgorithm = options.signatureAlgorithm;
    const prepared = await this.signing.prepare(request);
    const pending: PendingSignature = {
      token: randomId('sig_'),
      caseId: rec.id,
      stepId: step.id,
      round: rec.round,
      expectedVersion: rec.version,
      documentBefore: rec.document,
      certificate: toBase64(signerCertificate),
      signer,
      state: prepared.state,
      fieldName,
      documentNumber: number,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (this.#options.pendingTtlMs ?? 3600_000)).toISOString(),
    };
    await this.store.savePendingSignature(pending);
    return {
      token: pending.token,
      caseId: rec.id,
      stepId: step.id,
      dataToSign: prepared.dataToSign,
      digestToSign: prepared.digestToSign,
      digestAlgorithm: prepared.digestAlgorithm,
      fieldName,
      documentNumber: number,
      expiresAt: pending.expiresAt,
    };
  }

  /**
   * Stage two: embeds `signatureValue`, checks the signed PDF (incremental, exactly one new
   * signature that verifies, by the certificate given to `beginSign`, nothing else changed)
   * and commits it if the case has not moved since `beginSign` — else `WorkflowConflictError`.
   */
  async completeSign(token: string, signatureValue: Uint8Array): Promise<CaseRecord> {
    const p = await this.store.getPendingSignature(token);
    if (!p) throw new WorkflowNotFoundError(`No pending signature for token "${token}": it was completed already or never begun; call beginSign again.`);
    if (Date.parse(p.expiresAt) < this.#clock.now().getTime()) throw new NotAllowedError(`The signing token expired at ${p.expiresAt}; call beginSign again.`);
    const rec = await this.getCase(p.caseId);
    if (rec.version !== p.expectedVersion) {
      throw new WorkflowConflictError(`Case ${rec.id} changed after this signature was prepared (another action was committed first); begin the signature again.`);
    }
    const before = await this.#loadDocument(p.documentBefore);
    let signed: Uint8Array;
    try {
      signed = await this.signing.finish(p.state, signatureValue);
    } catch (cause) {
      throw new BadSignatureError(`The signature value could not be embedded: ${(cause as Error).message}`);
    }
    const { step } = this.#step(rec, p.stepId);
    await this.#acceptSigned(rec, step, before, signed, p.signer);
    return this.#commitSignature(rec, step, signed, p.signer, p.fieldName, p.documentNumber, [token]);
  }

  /** Signs the current (or given) step in one call with a `@kyso/cms` `Signer` (key in this process). */
  async sign(caseId: string, signer: Signer, options: { readonly stepId?: string } = {}): Promise<CaseRecord> {
    const begun = await this.beginSign(caseId, options.stepId ?? null, signer.certificate, { chain: signer.chain, signatureAlgorithm: signer.signatureAlgorithm });
    return this.completeSign(begun.token, await signer.sign(begun.dataToSign));
  }

  /**
   * Accepts a PDF that the signer signed with another tool (a token vendor's plug-in, say) for
   * the current step: it must be the current PDF plus one incremental update with exactly one
   * new signature, by the step's assignee, and nothing else (`DisallowedChangeError`).
   */
  async submitSignedDocument(caseId: string, signedPdf: Uint8Array, options: { readonly stepId?: string } = {}): Promise<CaseRecord> {
    const rec = await this.getCase(caseId);
    const { step, index } = this.#step(rec, options.stepId ?? this.#currentStepId(rec));
    this.#checkTurn(rec, step, index);
    const before = await this.#loadDocument(rec.document);
    const newest = await this.#acceptSigned(rec, step, before, signedPdf, null);
    if (!newest.signerCertificate) throw new DisallowedChangeError('The new signature carries no signing certificate, so its signer cannot be checked against the route.');
    const signer = await readCertificateIdentity(newest.signerCertificate);
    await this.#checkSigner(rec, step, signer);
    await this.#checkCertificate(newest.signerCertificate, [], signer);
    let number = rec.documentNumber;
    if (step.kind === 'issue' && step.numbering) {
      const year = vietnamYear(this.#clock.now());
      const n = await this.store.reserveDocumentNumber(rec.id, { agency: step.numbering.agency, documentType: step.numbering.documentType, year });
      number = documentNumber(n, year, step.numbering);
    }
    return this.#commitSignature(rec, step, signedPdf, signer, newest.field, number, []);
  }

  // ---------------------------------------------------------------- other actions

  /**
   * Returns the case to an earlier step (default: the first) with a reason. The document goes
   * back to the version that step received; the signatures from that step on are set aside in
   * the history, and a new round begins.
   */
  async reject(caseId: string, input: { readonly actor: Actor; readonly reason: string; readonly toStepId?: string; readonly expectedVersion?: number }): Promise<CaseRecord> {
    const actor = checkActor(input.actor);
    const reason = checkReason(input.reason);
    const rec = await this.#open(caseId, input.expectedVersion);
    const to = input.toStepId === undefined ? 0 : this.#step(rec, input.toStepId).index;
    if (to > rec.stepIndex) {
      throw new OutOfOrderError(`Cannot return case ${rec.id} to step "${rec.route.steps[to]!.id}": it has not been reached; the case is at "${this.#currentStepId(rec)}".`);
    }
    const undone = rec.steps.slice(to, rec.stepIndex + 1).some((s) => s.signatures.length > 0);
    if (!undone) throw new NotAllowedError(`Nothing to return: no step from "${rec.route.steps[to]!.id}" on has been signed in this round.`);
    const kept = rec.steps.slice(0, to);
    const lastKept = kept.flatMap((s) => s.signatures).at(-1);
    const document = lastKept ? lastKept.documentAfter : rec.draft;
    const now = this.#clock.now().toISOString();
    const round: RoundRecord = { round: rec.round, draft: rec.draft, lastDocument: rec.document, steps: rec.steps, endedAt: now, endedBy: 'return', reason, actor };
    const next: Mutable<CaseRecord> = {
      ...rec,
      round: rec.round + 1,
      stepIndex: to,
      document,
      steps: [...kept, ...freshSteps(rec.route).slice(to)],
      history: [...rec.history, round],
    };
    return this.#commitChange(rec, next, 'reject', actor, rec.route.steps[to]!.id, { reason, toStep: rec.route.steps[to]!.id, fromStep: this.#currentStepId(rec) }, []);
  }

  /**
   * Replaces the draft with a revised one and starts a new round at the first step. Allowed
   * while no signature stands in the current round (after a return to the first step, or before
   * the drafter signs); the old round stays in the history.
   */
  async resubmit(caseId: string, input: { readonly actor: Actor; readonly document: Uint8Array; readonly note?: string; readonly expectedVersion?: number }): Promise<CaseRecord> {
    const actor = checkActor(input.actor);
    const rec = await this.#open(caseId, input.expectedVersion);
    if (rec.steps.some((s) => s.signatures.length > 0)) {
      throw new NotAllowedError(`Case ${rec.id} has signatures in this round; return it to the first step (reject) before resubmitting a revised draft.`);
    }
    if (!(input.document instanceof Uint8Array) || input.document.length === 0) throw new WorkflowInputError('resubmit: `document` must be the revised PDF bytes.');
    const check = await this.#inspect(input.document, 'The revised draft');
    const sha = await sha256Hex(input.document);
    if (sha === rec.document) throw new WorkflowInputError('The revised draft is the same file as the current one; revise it first.');
    const now = this.#clock.now().toISOString();
    const round: RoundRecord = { round: rec.round, draft: rec.draft, lastDocument: rec.document, steps: rec.steps, endedAt: now, endedBy: 'resubmit', reason: input.note ?? null, actor };
    const next: Mutable<CaseRecord> = {
      ...rec,
      round: rec.round + 1,
      stepIndex: 0,
      document: sha,
      draft: sha,
      steps: freshSteps(rec.route),
      history: [...rec.history, round],
      metadata: { ...rec.metadata, draftSignatures: String(check.signatures.length) },
    };
    return this.#commitChange(rec, next, 'resubmit', actor, rec.route.steps[0]!.id, { note: input.note ?? null }, [{ sha256: sha, bytes: input.document }]);
  }

  /**
   * Deletes the pending signatures whose token has expired (`beginSign` that nobody completed,
   * kept `pendingTtlMs`) and returns how many. Run it now and then, e.g. from a daily job: the
   * engine never needs them again, and they hold a prepared PDF each.
   */
  async purgeExpiredSignatures(): Promise<number> {
    return await this.store.deleteExpiredPendingSignatures(this.#clock.now());
  }

  /**
   * Withdraws the case (terminal): no further action is possible. A document number drawn for
   * an issuance that was begun but not completed is given back when no later number has been
   * drawn, so that the year's numbers stay consecutive (Decree 30/2020 Art. 15).
   */
  async withdraw(caseId: string, input: { readonly actor: Actor; readonly reason: string; readonly expectedVersion?: number }): Promise<CaseRecord> {
    const actor = checkActor(input.actor);
    const reason = checkReason(input.reason);
    const rec = await this.#open(caseId, input.expectedVersion);
    const withdrawn = await this.#commitChange(rec, { ...rec, status: 'withdrawn' }, 'withdraw', actor, this.#currentStepId(rec), { reason }, []);
    // Only now: before the commit, the issuance could still complete with that number.
    await this.store.releaseDocumentNumbers(rec.id);
    return withdrawn;
  }

  /**
   * Hands a step that is not yet done (or, on a co-signing step, one co-signer's place: `from`)
   * to another person, with a recorded reason.
   */
  async delegate(
    caseId: string,
    input: { readonly actor: Actor; readonly stepId: string; readonly to: Assignee | unknown; readonly from?: Assignee | unknown; readonly reason: string; readonly expectedVersion?: number },
  ): Promise<CaseRecord> {
    const actor = checkActor(input.actor);
    const reason = checkReason(input.reason);
    const to = parseAssigneeInput(input.to, 'delegate.to');
    const from = input.from === undefined ? null : parseAssigneeInput(input.from, 'delegate.from');
    const rec = await this.#open(caseId, input.expectedVersion);
    const { step, index } = this.#step(rec, input.stepId);
    if (index < rec.stepIndex) throw new AlreadySignedError(`Step "${step.id}" is done in this round; it cannot be delegated any more.`);
    const slots = this.effectiveAssignees(rec, step.id);
    let replaced: Assignee | null = from;
    if (step.kind === 'cosign' && slots.length > 1) {
      if (!from) throw new WorkflowInputError(`Step "${step.id}" has several co-signers: say whose place is delegated (from).`);
      const i = slots.findIndex((s) => sameAssignee(s, from));
      if (i < 0) throw new WorkflowInputError(`${describeAssignee(from)} is not a co-signer of step "${step.id}".`);
      const taken = await this.#satisfiedSlots(rec, step);
      if (taken.has(i)) throw new AlreadySignedError(`${describeAssignee(from)} has signed step "${step.id}" already; that place cannot be delegated.`);
    } else {
      if (from && !sameAssignee(slots[0]!, from)) throw new WorkflowInputError(`Step "${step.id}" is assigned to ${describeAssignee(slots[0]!)}, not ${describeAssignee(from)}.`);
      replaced = step.kind === 'cosign' ? slots[0]! : null;
    }
    const delegation: Delegation = { stepId: step.id, from: replaced, to, reason, by: actor, at: this.#clock.now().toISOString() };
    return this.#commitChange(rec, { ...rec, delegations: [...rec.delegations, delegation] }, 'delegate', actor, step.id, { reason, to: describeAssignee(to), from: replaced ? describeAssignee(replaced) : describeAssignee(slots[0]!) }, []);
  }

  // ---------------------------------------------------------------- internals

  #currentStepId(rec: CaseRecord): string {
    const s = rec.route.steps[Math.min(rec.stepIndex, rec.route.steps.length - 1)];
    return s!.id;
  }

  #step(rec: CaseRecord, stepId: string): { step: RouteStep; index: number } {
    const index = rec.route.steps.findIndex((s) => s.id === stepId);
    if (index < 0) throw new WorkflowInputError(`Route "${rec.route.id}" has no step "${stepId}"; its steps are ${rec.route.steps.map((s) => s.id).join(', ')}.`);
    return { step: rec.route.steps[index]!, index };
  }

  async #open(caseId: string, expectedVersion?: number): Promise<CaseRecord> {
    const rec = await this.getCase(caseId);
    if (rec.status !== 'in-progress') throw new CaseClosedError(`Case ${rec.id} is ${rec.status}; nothing more can be done to it.`);
    if (expectedVersion !== undefined && expectedVersion !== rec.version) {
      throw new WorkflowConflictError(`Case ${rec.id} is at version ${rec.version}, not ${expectedVersion}: it changed since you read it.`);
    }
    return rec;
  }

  /** Steps in order (Decree 30/2020 Art. 14 order: initials → approval → number → issuance). */
  #checkTurn(rec: CaseRecord, step: RouteStep, index: number): void {
    if (rec.status === 'withdrawn') throw new CaseClosedError(`Case ${rec.id} was withdrawn; nothing more can be signed.`);
    if (index < rec.stepIndex || rec.status === 'completed') {
      throw new AlreadySignedError(`Step "${step.id}" of case ${rec.id} is signed already in round ${rec.round}${rec.status === 'completed' ? ' (the case is completed)' : ''}.`);
    }
    if (index > rec.stepIndex) {
      const waiting = rec.route.steps[rec.stepIndex]!;
      throw new OutOfOrderError(`Step "${step.id}" cannot be signed yet: case ${rec.id} is waiting for step "${waiting.id}" (${this.effectiveAssignees(rec, waiting.id).map(describeAssignee).join(', ')}).`);
    }
  }

  async #resolve(rec: CaseRecord, step: RouteStep, a: Assignee): Promise<readonly Assignee[]> {
    if (a.by !== 'role') return [a];
    const resolver = this.#options.resolveRole;
    if (!resolver) throw new WorkflowInputError(`Step "${step.id}" is assigned to role "${a.role}", but the workflow has no resolveRole option to say who holds it.`);
    const list = await resolver(a.role, { caseRecord: rec, step });
    return list.filter((x) => x.by !== 'role');
  }

  async #slotMatches(rec: CaseRecord, step: RouteStep, slot: Assignee, id: CertificateIdentity): Promise<boolean> {
    return (await this.#resolve(rec, step, slot)).some((a) => identityMatches(id, a));
  }

  /** Indexes of the step's effective assignee slots already filled by a signature this round. */
  async #satisfiedSlots(rec: CaseRecord, step: RouteStep): Promise<Set<number>> {
    const slots = this.effectiveAssignees(rec, step.id);
    const state = rec.steps.find((s) => s.stepId === step.id);
    const taken = new Set<number>();
    for (const sig of state?.signatures ?? []) {
      for (let i = 0; i < slots.length; i++) {
        if (!taken.has(i) && (await this.#slotMatches(rec, step, slots[i]!, sig.signer))) {
          taken.add(i);
          break;
        }
      }
    }
    return taken;
  }

  /** The signer must be one of the step's (effective, resolved) assignees, with a place still open. */
  async #checkSigner(rec: CaseRecord, step: RouteStep, signer: CertificateIdentity): Promise<number> {
    const slots = this.effectiveAssignees(rec, step.id);
    const matching: number[] = [];
    for (let i = 0; i < slots.length; i++) if (await this.#slotMatches(rec, step, slots[i]!, signer)) matching.push(i);
    if (matching.length === 0) {
      throw new WrongSignerError(`The certificate of ${describeIdentity(signer)} does not match step "${step.id}", which is assigned to ${slots.map(describeAssignee).join(', ')}.`);
    }
    const state = rec.steps.find((s) => s.stepId === step.id);
    if (state?.signatures.some((s) => s.signer.certificateSha256 === signer.certificateSha256)) {
      throw new AlreadySignedError(`${describeIdentity(signer)} has signed step "${step.id}" already in round ${rec.round}.`);
    }
    const taken = await this.#satisfiedSlots(rec, step);
    const open = matching.find((i) => !taken.has(i));
    if (open === undefined) throw new AlreadySignedError(`The place of ${describeIdentity(signer)} in step "${step.id}" is signed already in round ${rec.round}.`);
    return open;
  }

  /** The certificate must be within its validity period at signing time (and pass the validator, if any). */
  async #checkCertificate(der: Uint8Array, chain: readonly Uint8Array[], id: CertificateIdentity): Promise<void> {
    const now = this.#clock.now();
    if (now.getTime() < Date.parse(id.notBefore)) throw new CertificateInvalidError(`The certificate of ${describeIdentity(id)} is not valid before ${id.notBefore}.`);
    if (now.getTime() > Date.parse(id.notAfter)) throw new CertificateInvalidError(`The certificate of ${describeIdentity(id)} expired on ${id.notAfter}.`);
    const v = this.#validator;
    if (v) {
      const r = await v.validate(der, chain, now);
      if (!r.valid) throw new CertificateInvalidError(`The certificate of ${describeIdentity(id)} is not trusted at signing time: ${r.reason ?? 'validation failed'}.`);
    }
  }

  async #loadDocument(sha: string): Promise<Uint8Array> {
    const bytes = await this.store.getDocument(sha);
    if (!bytes) throw new StoreCorruptError(`Document version ${sha} is missing from the store.`);
    if ((await sha256Hex(bytes)) !== sha) throw new StoreCorruptError(`Document version ${sha} in the store does not hash to its address: the store was altered.`);
    return bytes;
  }

  async #inspect(pdf: Uint8Array, what: string): Promise<DocumentCheck> {
    try {
      return await this.signing.inspect(pdf, { at: this.#clock.now() });
    } catch (cause) {
      if (cause instanceof WorkflowError) throw cause;
      const msg = isKysoError(cause) ? cause.message : String((cause as Error)?.message ?? cause);
      throw new WorkflowInputError(`${what} is not a PDF that can be read: ${msg}`, { cause });
    }
  }

  #expectedSignatures(rec: CaseRecord): number {
    return Number(rec.metadata['draftSignatures'] ?? 0) + rec.steps.reduce((n, s) => n + s.signatures.length, 0);
  }

  /** No disallowed modification since the last step: the stored version must still hold exactly the expected, intact signatures. */
  #checkIntact(rec: CaseRecord, check: DocumentCheck): void {
    const expected = this.#expectedSignatures(rec);
    if (check.signatures.length !== expected) {
      throw new DisallowedChangeError(`The current document of case ${rec.id} has ${check.signatures.length} signatures where the case recorded ${expected}.`);
    }
    for (const s of check.signatures) {
      if (!s.integrity) throw new DisallowedChangeError(`Signature "${s.field}" of the current document no longer verifies (${s.subIndication ?? s.indication}).`);
      if (s.modificationsAfter === 'disallowed') {
        throw new DisallowedChangeError(`The current document was changed after signature "${s.field}" in a way it does not allow: ${s.disallowedChanges.join('; ') || 'see kyso verify'}.`);
      }
    }
  }

  /**
   * The signed PDF must be `before` plus incremental updates (ISO 32000-2 §7.5.6) holding exactly
   * one new signature that verifies and covers the whole file, with every earlier signature
   * still intact and no change any of them forbids.
   */
  async #acceptSigned(rec: CaseRecord, step: RouteStep, before: Uint8Array, after: Uint8Array, expected: CertificateIdentity | null): Promise<DocumentSignatureCheck> {
    if (after.length <= before.length || !bytesEqual(after.subarray(0, before.length), before)) {
      throw new DisallowedChangeError(`The signed PDF for step "${step.id}" does not keep the previous version byte for byte: only an incremental update with the signature is allowed.`);
    }
    const check = await this.#inspect(after, 'The signed PDF');
    const expectedCount = this.#expectedSignatures(rec) + 1;
    if (check.signatures.length !== expectedCount) {
      throw new DisallowedChangeError(`The signed PDF for step "${step.id}" has ${check.signatures.length} signatures; exactly ${expectedCount} (one new) were expected.`);
    }
    const newest = [...check.signatures].sort((a, b) => a.revision - b.revision).at(-1)!;
    if (!newest.integrity) {
      throw new BadSignatureError(`The new signature "${newest.field}" does not verify (${newest.subIndication ?? newest.indication}); was the right key used to sign the prepared data?`);
    }
    if (newest.modificationsAfter !== 'none') {
      throw new DisallowedChangeError(`The signed PDF was changed after the new signature "${newest.field}": ${newest.disallowedChanges.join('; ') || 'the signature does not cover the whole file'}.`);
    }
    for (const s of check.signatures) {
      if (s === newest) continue;
      if (!s.integrity) throw new DisallowedChangeError(`Earlier signature "${s.field}" no longer verifies in the signed PDF.`);
      if (s.modificationsAfter === 'disallowed') {
        throw new DisallowedChangeError(`The signed PDF changes what signature "${s.field}" protects: ${s.disallowedChanges.join('; ') || 'see kyso verify'}.`);
      }
    }
    if (expected && newest.certificateSha256 !== null && newest.certificateSha256 !== expected.certificateSha256) {
      throw new WrongSignerError(`The new signature was made with a different certificate than the one given to beginSign (${describeIdentity(expected)}).`);
    }
    return newest;
  }

  async #commitSignature(
    rec: CaseRecord,
    step: RouteStep,
    signed: Uint8Array,
    signer: CertificateIdentity,
    fieldName: string | null,
    number: DocumentNumber | null,
    tokens: readonly string[],
  ): Promise<CaseRecord> {
    const sha = await sha256Hex(signed);
    const now = this.#clock.now().toISOString();
    const sig: SignatureRecord = { stepId: step.id, signer, at: now, documentBefore: rec.document, documentAfter: sha, fieldName };
    const steps = rec.steps.map((s) => (s.stepId === step.id ? { ...s, signatures: [...s.signatures, sig] } : s));
    const tentative: CaseRecord = { ...rec, steps };
    let done = true;
    if (step.kind === 'cosign' && step.mode !== 'any-of') {
      done = (await this.#satisfiedSlots(tentative, step)).size >= this.effectiveAssignees(rec, step.id).length;
    }
    const finalSteps: StepState[] = steps.map((s) => (s.stepId === step.id && done ? { ...s, status: 'done' } : s));
    const stepIndex = done ? rec.stepIndex + 1 : rec.stepIndex;
    const next: Mutable<CaseRecord> = {
      ...rec,
      steps: finalSteps,
      stepIndex,
      document: sha,
      status: stepIndex >= rec.route.steps.length ? 'completed' : 'in-progress',
      documentNumber: step.kind === 'issue' ? number : rec.documentNumber,
    };
    const details: Record<string, string | number | boolean | null> = {
      field: fieldName,
      kind: step.kind,
      signer: describeIdentity(signer),
      stepDone: done,
    };
    if (step.kind === 'issue' && number) details['documentNumber'] = number.symbol;
    const actor: AuditActor = { id: signer.serialNumber ?? signer.uid ?? signer.certificateSha256, ...(signer.commonName ? { name: signer.commonName } : {}), certificateSha256: signer.certificateSha256 };
    return this.#commitChange(rec, next, 'sign', actor, step.id, details, [{ sha256: sha, bytes: signed }], tokens);
  }

  async #commitChange(
    rec: CaseRecord,
    next: Mutable<CaseRecord>,
    action: AuditAction,
    actor: AuditActor,
    stepId: string | null,
    details: Record<string, string | number | boolean | null>,
    documents: { sha256: string; bytes: Uint8Array }[],
    tokens: readonly string[] = [],
  ): Promise<CaseRecord> {
    const now = this.#clock.now().toISOString();
    const entry = await sealAuditEntry({
      caseId: rec.id,
      seq: rec.audit.seq + 1,
      at: now,
      actor,
      action,
      stepId,
      round: next.round,
      documentBefore: rec.document,
      documentAfter: next.document,
      details,
      previousHash: rec.audit.head,
    });
    const record: CaseRecord = { ...next, version: rec.version + 1, updatedAt: now, audit: { seq: entry.seq, head: entry.hash } };
    await this.#options.hooks?.beforeCommit?.({ caseId: rec.id, action, record });
    await this.store.commitCase({ record, expectedVersion: rec.version, documents, audit: [entry], consumedTokens: tokens });
    return record;
  }
}

function freshSteps(route: Route): StepState[] {
  return route.steps.map((s) => ({ stepId: s.id, status: 'pending', signatures: [] }));
}

function fieldNameFor(rec: CaseRecord, step: RouteStep): string {
  const base = step.signature?.fieldName ?? step.id.replace(/[^A-Za-z0-9_-]/g, '_');
  const state = rec.steps.find((s) => s.stepId === step.id);
  const k = (state?.signatures.length ?? 0) + 1;
  const name = step.kind === 'cosign' ? `${base}-${k}` : base;
  return rec.round > 1 ? `${name}-r${rec.round}` : name;
}

function checkActor(actor: Actor | undefined): AuditActor {
  if (!actor || typeof actor.id !== 'string' || actor.id.trim() === '') throw new WorkflowInputError('An action needs an actor: { id: "<user id>", name?: "<full name>" }.');
  const out: Mutable<AuditActor> = { id: actor.id };
  if (actor.name !== undefined) out.name = actor.name;
  if (actor.certificateSha256 !== undefined) out.certificateSha256 = actor.certificateSha256;
  return out;
}

function checkReason(reason: string | undefined): string {
  if (typeof reason !== 'string' || reason.trim() === '') throw new WorkflowInputError('This action needs a reason (it goes into the audit log).');
  return reason.trim();
}
