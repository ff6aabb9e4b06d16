import { KysoError } from '@kyso/core';

/**
 * The codes of every error the workflow throws. A rule that refuses an action has its own
 * code, so a caller (and `kyso workflow`, which exits 1 on them) can tell a refusal from misuse.
 */
export type WorkflowErrorCode =
  /** The certificate does not belong to the person (or role) the step is assigned to. */
  | 'WORKFLOW_WRONG_SIGNER'
  /** The step is not the case's current step: an earlier one is still waiting. */
  | 'WORKFLOW_OUT_OF_ORDER'
  /** The step (or this signer's part of a co-signing step) is already signed in this round. */
  | 'WORKFLOW_ALREADY_SIGNED'
  /** Another action changed the case since this one read it (optimistic concurrency). */
  | 'WORKFLOW_CONFLICT'
  /** The document was changed in a way that is not a signature of the current step. */
  | 'WORKFLOW_DISALLOWED_CHANGE'
  /** The signer's certificate is expired, not yet valid or not trusted at signing time. */
  | 'WORKFLOW_CERTIFICATE_INVALID'
  /** The signature value does not verify against the prepared document. */
  | 'WORKFLOW_BAD_SIGNATURE'
  /** The case is completed or withdrawn: nothing more can happen to it. */
  | 'WORKFLOW_CASE_CLOSED'
  /** The action is not allowed for this actor or in this state (not one of the above). */
  | 'WORKFLOW_NOT_ALLOWED'
  /** No case, step, route, document or pending signature with that id. */
  | 'WORKFLOW_NOT_FOUND'
  /** A route (JSON or object) is malformed. */
  | 'WORKFLOW_INVALID_ROUTE'
  /** An argument is malformed (not a rule refusing the action). */
  | 'WORKFLOW_BAD_INPUT'
  /** The store holds data that contradicts itself (a document whose hash is not its address). */
  | 'WORKFLOW_STORE_CORRUPT';

/** Codes that mean "a workflow rule refused the action" (the CLI exits 1 on these). */
export const RULE_ERROR_CODES: ReadonlySet<WorkflowErrorCode> = new Set<WorkflowErrorCode>([
  'WORKFLOW_WRONG_SIGNER',
  'WORKFLOW_OUT_OF_ORDER',
  'WORKFLOW_ALREADY_SIGNED',
  'WORKFLOW_CONFLICT',
  'WORKFLOW_DISALLOWED_CHANGE',
  'WORKFLOW_CERTIFICATE_INVALID',
  'WORKFLOW_BAD_SIGNATURE',
  'WORKFLOW_CASE_CLOSED',
  'WORKFLOW_NOT_ALLOWED',
]);

/** The base of every error `@kyso/workflow` throws; `code` is one of {@link WorkflowErrorCode}. */
export class WorkflowError extends KysoError {
  declare readonly code: WorkflowErrorCode;
  constructor(code: WorkflowErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
  /** True when a workflow rule refused the action (as opposed to bad input or a missing record). */
  get isRuleViolation(): boolean {
    return RULE_ERROR_CODES.has(this.code);
  }
}

/** The signer's certificate does not match the step's assignee. */
export class WrongSignerError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_WRONG_SIGNER', message);
  }
}

/** A step was acted on before the steps before it. */
export class OutOfOrderError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_OUT_OF_ORDER', message);
  }
}

/** A step, or a signer's share of a co-signing step, was signed already in this round. */
export class AlreadySignedError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_ALREADY_SIGNED', message);
  }
}

/** The case changed under the action (another approver or worker got there first); re-read and retry. */
export class WorkflowConflictError extends WorkflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WORKFLOW_CONFLICT', message, options);
  }
}

/** The document carries a change that is not the current step's signature. */
export class DisallowedChangeError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_DISALLOWED_CHANGE', message);
  }
}

/** The signer's certificate is not valid (or not trusted) at signing time. */
export class CertificateInvalidError extends WorkflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WORKFLOW_CERTIFICATE_INVALID', message, options);
  }
}

/** The signature value handed to `completeSign` does not verify. */
export class BadSignatureError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_BAD_SIGNATURE', message);
  }
}

/** The case is completed or withdrawn. */
export class CaseClosedError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_CASE_CLOSED', message);
  }
}

/** The action is not allowed for this actor or in this state. */
export class NotAllowedError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_NOT_ALLOWED', message);
  }
}

/** A case, step, route, document or pending signature does not exist. */
export class WorkflowNotFoundError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_NOT_FOUND', message);
  }
}

/** A route definition is malformed; the message names the field. */
export class InvalidRouteError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_INVALID_ROUTE', message);
  }
}

/** An argument is malformed. */
export class WorkflowInputError extends WorkflowError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('WORKFLOW_BAD_INPUT', message, options);
  }
}

/** The store contradicts itself. */
export class StoreCorruptError extends WorkflowError {
  constructor(message: string) {
    super('WORKFLOW_STORE_CORRUPT', message);
  }
}
