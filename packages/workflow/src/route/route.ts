import { InvalidRouteError } from '../errors.js';

/**
 * Who may act on a step.
 *
 * - `citizenId`: the person's citizen ID (CCCD/CMND) as Vietnamese certificates carry it, in the
 *   subject's serialNumber (2.5.4.5) or UID (0.9.2342.19200300.100.1.1), bare or with a
 *   prefix such as `CCCD:`.
 * - `serialNumber` / `uid`: that subject attribute, exactly (prefix included).
 * - `email`: the subject's emailAddress or an rfc822Name in subjectAltName (case-insensitive).
 * - `sha256`: the SHA-256 fingerprint of the certificate's DER (hex, colons allowed).
 * - `role`: a name the application resolves to identities (`WorkflowOptions.resolveRole`).
 */
export type Assignee =
  | { readonly by: 'citizenId' | 'serialNumber' | 'uid' | 'email' | 'sha256'; readonly value: string; readonly name?: string }
  | { readonly by: 'role'; readonly role: string; readonly name?: string };

/** Step kinds, in the order of Decree 30/2020 practice: initials, approval, co-signing, issuance. */
export type StepKind = 'initial' | 'approve' | 'cosign' | 'issue';

/**
 * Where and how a step's signature appears. Everything here is handed to the signing port
 * (for the default, `@kyso/pades`'s signing options); `pades` is passed through verbatim.
 */
export interface StepSignatureOptions {
  /** The appearance layout: `initials`, `approval`, `issuance` (seal), or one the signing port knows. */
  readonly appearance?: string;
  /** Visible rectangle in PDF user space: page (1-based) and x, y, width, height in points. */
  readonly placement?: { readonly page: number; readonly x: number; readonly y: number; readonly width: number; readonly height: number };
  /** /Reason of the signature; the default names the step. */
  readonly reason?: string;
  /** /Location of the signature. */
  readonly location?: string;
  /** Signature field name; the default is `<step id>` (plus the signer's index for co-signing). */
  readonly fieldName?: string;
  /** Extra options handed as-is to the signing implementation. */
  readonly pades?: Readonly<Record<string, unknown>>;
}

/** How the issue step numbers the document (Decree 30/2020 Art. 15). */
export interface NumberingOptions {
  /** The issuing agency's code; numbers run per agency. */
  readonly agency: string;
  /** The document type's abbreviation (Appendix III), e.g. `QĐ`; numbers run per type. */
  readonly documentType: string;
  /** The symbol after the number; default `<documentType>-<agency>`, e.g. `QĐ-UBND`. */
  readonly symbol?: string;
}

/** One step of a route. */
export interface RouteStep {
  /** Unique within the route: `drafter`, `head`, `leader`, `clerk`. */
  readonly id: string;
  readonly kind: StepKind;
  /** Human title, e.g. "Lãnh đạo phê duyệt". */
  readonly title?: string;
  /** Who acts (every kind but `cosign`). */
  readonly assignee?: Assignee;
  /** Who co-signs (`cosign` only). */
  readonly assignees?: readonly Assignee[];
  /** `all-of` (default): every assignee signs, in any order; `any-of`: one signature is enough. */
  readonly mode?: 'all-of' | 'any-of';
  readonly signature?: StepSignatureOptions;
  /** Required on the `issue` step. */
  readonly numbering?: NumberingOptions;
}

/** An approval route: an ordered list of steps. */
export interface Route {
  readonly id: string;
  readonly name?: string;
  readonly steps: readonly RouteStep[];
}

const KINDS: readonly StepKind[] = ['initial', 'approve', 'cosign', 'issue'];
const BY = ['citizenId', 'serialNumber', 'uid', 'email', 'sha256', 'role'] as const;

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown, where: string, optional = false): string | undefined {
  if (v === undefined && optional) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new InvalidRouteError(`${where} must be a non-empty string.`);
  return v;
}

function parseAssignee(v: unknown, where: string): Assignee {
  if (!isObj(v)) throw new InvalidRouteError(`${where} must be an object such as {"by":"citizenId","value":"001234567890"}.`);
  const by = v['by'];
  if (typeof by !== 'string' || !(BY as readonly string[]).includes(by)) {
    throw new InvalidRouteError(`${where}.by must be one of ${BY.join(', ')}.`);
  }
  const name = str(v['name'], `${where}.name`, true);
  if (by === 'role') {
    const role = str(v['role'], `${where}.role`)!;
    return name === undefined ? { by, role } : { by, role, name };
  }
  let value = str(v['value'], `${where}.value`)!;
  if (by === 'sha256') {
    value = value.replace(/[:\s]/g, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(value)) throw new InvalidRouteError(`${where}.value must be a SHA-256 fingerprint (64 hex digits).`);
  }
  const a = { by: by as Exclude<(typeof BY)[number], 'role'>, value };
  return name === undefined ? a : { ...a, name };
}

function parsePlacement(v: unknown, where: string): NonNullable<StepSignatureOptions['placement']> {
  if (!isObj(v)) throw new InvalidRouteError(`${where} must be {"page":1,"x":..,"y":..,"width":..,"height":..}.`);
  const num = (k: string, min: number) => {
    const n = v[k];
    if (typeof n !== 'number' || !Number.isFinite(n) || n < min) throw new InvalidRouteError(`${where}.${k} must be a number ≥ ${min}.`);
    return n;
  };
  const page = num('page', 1);
  if (!Number.isInteger(page)) throw new InvalidRouteError(`${where}.page must be a whole page number (1-based).`);
  return { page, x: num('x', 0), y: num('y', 0), width: num('width', 1), height: num('height', 1) };
}

function parseSignature(v: unknown, where: string): StepSignatureOptions {
  if (!isObj(v)) throw new InvalidRouteError(`${where} must be an object.`);
  const out: { -readonly [K in keyof StepSignatureOptions]: StepSignatureOptions[K] } = {};
  const appearance = str(v['appearance'], `${where}.appearance`, true);
  if (appearance !== undefined) out.appearance = appearance;
  if (v['placement'] !== undefined) out.placement = parsePlacement(v['placement'], `${where}.placement`);
  const reason = str(v['reason'], `${where}.reason`, true);
  if (reason !== undefined) out.reason = reason;
  const location = str(v['location'], `${where}.location`, true);
  if (location !== undefined) out.location = location;
  const fieldName = str(v['fieldName'], `${where}.fieldName`, true);
  if (fieldName !== undefined) {
    if (/[.\s()<>[\]{}/%]/.test(fieldName)) throw new InvalidRouteError(`${where}.fieldName must not contain spaces, dots or PDF delimiters.`);
    out.fieldName = fieldName;
  }
  if (v['pades'] !== undefined) {
    if (!isObj(v['pades'])) throw new InvalidRouteError(`${where}.pades must be an object.`);
    out.pades = v['pades'];
  }
  return out;
}

/**
 * Checks a route given as parsed JSON (or a TypeScript object) and returns it typed and frozen.
 * Throws {@link InvalidRouteError} naming the first field that is wrong.
 *
 * Rules: at least one step; unique step ids; `cosign` has `assignees` (≥ 1) and a `mode`,
 * the other kinds one `assignee`; at most one `issue` step, which is last and has `numbering`.
 *
 * @example
 * ```ts
 * const route = parseRoute({ id: 'qd-ubnd', steps: [
 *   { id: 'drafter', kind: 'initial', assignee: { by: 'citizenId', value: '001090000001' } },
 *   { id: 'leader', kind: 'approve', assignee: { by: 'role', role: 'chairman' } },
 *   { id: 'clerk', kind: 'issue', assignee: { by: 'role', role: 'clerk' },
 *     numbering: { agency: 'UBND', documentType: 'QĐ' } } ] });
 * ```
 */
export function parseRoute(input: unknown): Route {
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input);
    } catch (cause) {
      throw new InvalidRouteError(`The route is not valid JSON: ${(cause as Error).message}.`);
    }
  }
  if (!isObj(input)) throw new InvalidRouteError('A route must be an object {"id": ..., "steps": [...]}.');
  const id = str(input['id'], 'route.id')!;
  const name = str(input['name'], 'route.name', true);
  const rawSteps = input['steps'];
  if (!Array.isArray(rawSteps) || rawSteps.length === 0) throw new InvalidRouteError('route.steps must be a non-empty array.');
  const seen = new Set<string>();
  const steps: RouteStep[] = rawSteps.map((raw: unknown, i: number) => {
    const where = `route.steps[${i}]`;
    if (!isObj(raw)) throw new InvalidRouteError(`${where} must be an object.`);
    const sid = str(raw['id'], `${where}.id`)!;
    if (seen.has(sid)) throw new InvalidRouteError(`${where}.id "${sid}" is used by an earlier step; step ids must be unique.`);
    seen.add(sid);
    const kind = raw['kind'];
    if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind)) {
      throw new InvalidRouteError(`${where}.kind must be one of ${KINDS.join(', ')}.`);
    }
    const step: { -readonly [K in keyof RouteStep]: RouteStep[K] } = { id: sid, kind: kind as StepKind };
    const title = str(raw['title'], `${where}.title`, true);
    if (title !== undefined) step.title = title;
    if (kind === 'cosign') {
      const list = raw['assignees'];
      if (!Array.isArray(list) || list.length === 0) throw new InvalidRouteError(`${where}.assignees must list who co-signs.`);
      step.assignees = list.map((a: unknown, j: number) => parseAssignee(a, `${where}.assignees[${j}]`));
      const mode = raw['mode'] ?? 'all-of';
      if (mode !== 'all-of' && mode !== 'any-of') throw new InvalidRouteError(`${where}.mode must be "all-of" or "any-of".`);
      step.mode = mode;
      if (raw['assignee'] !== undefined) throw new InvalidRouteError(`${where} is a cosign step: use "assignees", not "assignee".`);
    } else {
      step.assignee = parseAssignee(raw['assignee'], `${where}.assignee`);
      if (raw['assignees'] !== undefined) throw new InvalidRouteError(`${where}: only cosign steps take "assignees".`);
    }
    if (raw['signature'] !== undefined) step.signature = parseSignature(raw['signature'], `${where}.signature`);
    if (kind === 'issue') {
      if (i !== rawSteps.length - 1) throw new InvalidRouteError(`${where} is an issue step, which must be the last step.`);
      const n = raw['numbering'];
      if (!isObj(n)) throw new InvalidRouteError(`${where}.numbering is required on the issue step, e.g. {"agency":"UBND","documentType":"QĐ"}.`);
      const numbering: { -readonly [K in keyof NumberingOptions]: NumberingOptions[K] } = {
        agency: str(n['agency'], `${where}.numbering.agency`)!,
        documentType: str(n['documentType'], `${where}.numbering.documentType`)!,
      };
      const symbol = str(n['symbol'], `${where}.numbering.symbol`, true);
      if (symbol !== undefined) numbering.symbol = symbol;
      step.numbering = numbering;
    } else if (raw['numbering'] !== undefined) {
      throw new InvalidRouteError(`${where}: only the issue step takes "numbering".`);
    }
    return step;
  });
  const route: Route = name === undefined ? { id, steps } : { id, name, steps };
  return deepFreezeRoute(route);
}

function deepFreezeRoute<T>(v: T): T {
  if (v && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreezeRoute(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * Checks one assignee given as parsed JSON (for delegation and the CLI); throws
 * {@link InvalidRouteError} when it is malformed.
 */
export function parseAssigneeInput(input: unknown, where = 'assignee'): Assignee {
  return deepFreezeRoute(parseAssignee(input, where));
}

/** True when two assignees name the same person or role. */
export function sameAssignee(a: Assignee, b: Assignee): boolean {
  if (a.by !== b.by) return false;
  if (a.by === 'role' || b.by === 'role') return a.by === 'role' && b.by === 'role' && a.role === b.role;
  const norm = (x: string) => (a.by === 'email' ? x.trim().toLowerCase() : a.by === 'sha256' ? x.replace(/[:\s]/g, '').toLowerCase() : x.trim());
  return norm(a.value) === norm(b.value);
}

/** The assignees of a step as a list (one for every kind but `cosign`). */
export function stepAssignees(step: RouteStep): readonly Assignee[] {
  return step.kind === 'cosign' ? (step.assignees ?? []) : step.assignee ? [step.assignee] : [];
}

/** A short human description of an assignee, for messages: `citizenId 001090000001 (Nguyễn Văn A)`. */
export function describeAssignee(a: Assignee): string {
  const what = a.by === 'role' ? `role "${a.role}"` : `${a.by} ${a.value}`;
  return a.name ? `${what} (${a.name})` : what;
}
