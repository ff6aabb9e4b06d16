import { existsSync } from 'node:fs';
import type { Assignee, CaseRecord, Workflow, WorkflowStore } from '@kyso/workflow';
import { decodePem, isKysoError } from '@kyso/core';
import type { Command } from '../command.js';
import { formatOf, requireString } from '../command.js';
import { UsageError } from '../errors.js';
import { out, readInput, writeOutput } from '../io.js';
import { KEY_HELP, KEY_OPTIONS, signerFromOptions } from '../keys.js';

const VERBS = ['init', 'start', 'sign', 'reject', 'resubmit', 'withdraw', 'delegate', 'status', 'verify', 'export'] as const;
type Verb = (typeof VERBS)[number];

const HELP = `Usage: kyso workflow <verb> … [--store sqlite:FILE | --store postgres://…]

Multi-step approval of a document by cadres (drafter → head → leader → clerk), kept in a store:
SQLite by default (./kyso.db), or PostgreSQL so several servers share the cases.

  kyso workflow init --route ROUTE.json                       create the store's tables, save the route
  kyso workflow start DRAFT.pdf --route ID|ROUTE.json [--title T] [--id CASE] [--format text|json]
  kyso workflow sign CASE <key> [--step STEP]                 sign the current (or named) step
  kyso workflow reject CASE --reason TEXT [--to STEP]         return to an earlier step (default the first)
  kyso workflow resubmit CASE REVISED.pdf [--note TEXT]       a revised draft starts a new round
  kyso workflow withdraw CASE --reason TEXT
  kyso workflow delegate CASE --step STEP --to-citizen-id ID | --to-email ADDR | --to-sha256 HEX --reason TEXT
  kyso workflow status [CASE] [--format text|json]            one case, or every case
  kyso workflow verify CASE [--trust ROOT.pem]... [--format text|json]
  kyso workflow verify --pdf FILE.pdf --route ROUTE.json [--trust ROOT.pem]...   from the PDF alone
  kyso workflow export CASE -o OUT.pdf [--audit AUDIT.json]

Common options: --store STORE (default sqlite:./kyso.db), --by USER (who acts; default $USER),
--roles ROLES.json (who holds each role a route names: {"chu-tich": [{"by":"citizenId","value":"…"}]}).

${KEY_HELP}

Exit codes: 0 done / verified; 1 a workflow rule refused the action (wrong signer, out of order,
already signed, conflict, disallowed change, invalid certificate, closed case) or the case did not
verify; 2 bad usage or input. A refused or failed action changes nothing.

Examples:
  kyso workflow init --route qd-ubnd.json
  kyso workflow start du-thao.pdf --route qd-ubnd --title "Quyết định ban hành quy chế"
  kyso workflow sign case_1f2e… --p12 drafter.p12 --password-env KYSO_PASSWORD
  kyso workflow sign case_1f2e… --key leader.key.pem --cert leader.pem --chain gov-ca.pem --roles roles.json
  kyso workflow reject case_1f2e… --reason "Sửa Điều 3 theo ý kiến Sở Tư pháp" --to drafter
  kyso workflow resubmit case_1f2e… du-thao-2.pdf --note "Đã sửa Điều 3"
  kyso workflow delegate case_1f2e… --step leader --to-citizen-id 001086054321 --reason "Chủ tịch đi công tác"
  kyso workflow status case_1f2e… --format json
  kyso workflow verify case_1f2e… --trust root.pem
  kyso workflow verify --pdf quyet-dinh.pdf --route qd-ubnd.json --trust root.pem
  kyso workflow export case_1f2e… -o quyet-dinh.pdf --audit quyet-dinh.audit.json
  kyso workflow status --store postgres://kyso@db.internal/eoffice`;

/** `kyso workflow …`: the approval workflow over a SQLite or PostgreSQL store. */
export const workflowCommand: Command = {
  name: 'workflow',
  summary: 'Multi-step approval (drafter, head, leader, clerk) with a SQLite or PostgreSQL store',
  help: HELP,
  options: {
    ...KEY_OPTIONS,
    store: { type: 'string' },
    route: { type: 'string' },
    title: { type: 'string' },
    id: { type: 'string' },
    step: { type: 'string' },
    reason: { type: 'string' },
    to: { type: 'string' },
    note: { type: 'string' },
    by: { type: 'string' },
    format: { type: 'string' },
    trust: { type: 'string', multiple: true },
    pdf: { type: 'string' },
    output: { type: 'string', short: 'o' },
    audit: { type: 'string' },
    roles: { type: 'string' },
    'to-citizen-id': { type: 'string' },
    'to-email': { type: 'string' },
    'to-sha256': { type: 'string' },
  },
  async run(values, positionals) {
    const [verb, ...args] = positionals;
    if (verb === undefined || !(VERBS as readonly string[]).includes(verb)) {
      throw new UsageError(`${verb === undefined ? 'Missing' : `Unknown`} workflow verb${verb ? ` "${verb}"` : ''}: use one of ${VERBS.join(', ')}. See "kyso workflow --help".`);
    }
    const wfmod = await import('@kyso/workflow');
    let store: WorkflowStore | undefined;
    try {
      store = await openStore((values['store'] as string | undefined) ?? 'sqlite:./kyso.db', verb as Verb);
      const roles = typeof values['roles'] === 'string' ? await readRoles(values['roles'], wfmod.parseAssigneeInput) : undefined;
      const { loadDefaultFonts } = await import('@kyso/pades/node');
      const wf = new wfmod.Workflow({ store, signing: wfmod.padesDocumentSigning({ fonts: await loadDefaultFonts() }), ...(roles ? { resolveRole: (role: string) => roles.get(role) ?? [] } : {}) });
      return await VERB_RUNNERS[verb as Verb](wf, values, args);
    } catch (e) {
      // A rule that refused the action: exit 1 with one line naming the rule.
      if (e instanceof wfmod.WorkflowError && e.isRuleViolation) {
        process.stderr.write(`kyso: ${e.code}: ${e.message.split('\n')[0]}\n`);
        return 1;
      }
      if (isKysoError(e) && e.code.startsWith('WORKFLOW_')) throw new UsageError(`${e.code}: ${e.message}`);
      throw e;
    } finally {
      await store?.close().catch(() => undefined);
    }
  },
};

type Values = Record<string, string | boolean | string[] | undefined>;
type Runner = (wf: Workflow, values: Values, args: string[]) => Promise<number>;

async function openStore(spec: string, verb: Verb): Promise<WorkflowStore> {
  if (/^postgres(ql)?:\/\//.test(spec)) {
    const { PostgresWorkflowStore } = await import('@kyso/workflow/postgres');
    const s = new PostgresWorkflowStore(spec);
    try {
      await s.init();
    } catch (cause) {
      await s.close().catch(() => undefined);
      throw new UsageError(`Cannot use the PostgreSQL store ${spec.replace(/:[^:@/]*@/, ':***@')}: ${(cause as Error).message}.`);
    }
    return s;
  }
  if (spec.startsWith('sqlite:')) {
    const file = spec.slice('sqlite:'.length);
    if (file === '') throw new UsageError('--store sqlite: needs a file name, e.g. --store sqlite:./kyso.db.');
    if (verb !== 'init') {
      if (file !== ':memory:' && !existsSync(file)) throw new UsageError(`No workflow store at ${file}; create it with "kyso workflow init --route ROUTE.json --store sqlite:${file}".`);
    }
    const { SqliteWorkflowStore } = await import('@kyso/workflow/sqlite');
    const s = new SqliteWorkflowStore(file);
    await s.init();
    return s;
  }
  throw new UsageError(`--store must be sqlite:FILE or postgres://…, not "${spec}".`);
}

function one(args: string[], what: string, verb: string): string {
  if (args.length !== 1) throw new UsageError(`Give ${what}. See "kyso workflow --help" (${verb}).`);
  return args[0]!;
}

function actorOf(values: Values): { id: string } {
  return { id: (values['by'] as string | undefined) ?? process.env['USER'] ?? 'cli' };
}

async function readJson(path: string, what: string): Promise<unknown> {
  const text = new TextDecoder().decode(await readInput(path, what));
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${path} is not JSON: ${(e as Error).message}.`);
  }
}

/** `--roles ROLES.json`: role name → list of assignees (identities). */
async function readRoles(path: string, parse: (input: unknown, where?: string) => Assignee): Promise<Map<string, Assignee[]>> {
  const json = await readJson(path, 'roles file');
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`${path} must map role names to lists of assignees.`);
  const out = new Map<string, Assignee[]>();
  for (const [role, list] of Object.entries(json)) {
    if (!Array.isArray(list)) throw new UsageError(`${path}: role "${role}" must be a list of assignees.`);
    out.set(role, list.map((a, i) => parse(a, `roles.${role}[${i}]`)));
  }
  return out;
}

async function routeInput(spec: string): Promise<unknown> {
  return spec.endsWith('.json') ? readJson(spec, 'route file') : spec;
}

async function trustAnchors(values: Values): Promise<Uint8Array[] | undefined> {
  const files = values['trust'] as string[] | undefined;
  if (!files?.length) return undefined;
  const out: Uint8Array[] = [];
  for (const f of files) {
    const certs = decodePem(new TextDecoder().decode(await readInput(f, 'trust file'))).filter((b) => b.label === 'CERTIFICATE');
    if (!certs.length) throw new UsageError(`${f} holds no PEM certificate.`);
    out.push(...certs.map((c) => c.der));
  }
  return out;
}

function printCase(c: CaseRecord, format: string): void {
  if (format === 'json') {
    out(JSON.stringify(c, null, 2));
    return;
  }
  out(`Case ${c.id}${c.title ? ` — ${c.title}` : ''}`);
  out(`  route ${c.route.id}, round ${c.round}, ${c.status}, version ${c.version}${c.documentNumber ? `, number ${c.documentNumber.symbol}` : ''}`);
  c.route.steps.forEach((step, i) => {
    const st = c.steps[i];
    const mark = st?.status === 'done' ? '✓' : i === c.stepIndex && c.status === 'in-progress' ? '→' : ' ';
    const who = st?.signatures.map((s) => `${s.signer.commonName ?? s.signer.certificateSha256.slice(0, 12)} (${s.at})`).join(', ') ?? '';
    out(`  ${mark} ${step.id.padEnd(12)} ${step.kind.padEnd(8)} ${who || (mark === '→' ? 'waiting' : '')}`.trimEnd());
  });
  out(`  document sha256 ${c.document}`);
}

const VERB_RUNNERS: Record<Verb, Runner> = {
  async init(wf, values, args) {
    if (args.length) throw new UsageError('init takes no file argument; give the route with --route ROUTE.json.');
    const spec = values['route'] as string | undefined;
    if (spec === undefined) {
      out(`Store ready (${wf.store.kind}).`);
      return 0;
    }
    const route = await wf.defineRoute(await readJson(spec, 'route file'));
    out(`Store ready (${wf.store.kind}); route "${route.id}" saved with ${route.steps.length} steps: ${route.steps.map((s) => s.id).join(' → ')}.`);
    return 0;
  },

  async start(wf, values, args) {
    const file = one(args, 'the draft PDF', 'start');
    const format = formatOf(values);
    const document = await readInput(file, 'draft PDF');
    const input: Parameters<Workflow['startCase']>[0] = {
      route: await routeInput(requireString(values, 'route', 'workflow')),
      document,
      actor: actorOf(values),
      ...(typeof values['title'] === 'string' ? { title: values['title'] } : {}),
      ...(typeof values['id'] === 'string' ? { id: values['id'] } : {}),
    };
    const c = await wf.startCase(input);
    if (format === 'json') printCase(c, 'json');
    else out(`Started case ${c.id} on route "${c.route.id}"; waiting for step "${c.route.steps[0]!.id}".`);
    return 0;
  },

  async sign(wf, values, args) {
    const id = one(args, 'the case id', 'sign');
    await wf.getCase(id); // a missing case is reported before any password prompt
    const signer = await signerFromOptions(values, 'workflow');
    const c = await wf.sign(id, signer, typeof values['step'] === 'string' ? { stepId: values['step'] } : {});
    const last = c.steps.flatMap((s) => s.signatures).at(-1);
    out(
      `Signed step "${last?.stepId}" of case ${c.id} as ${last?.signer.commonName ?? 'signer'}; ` +
        (c.status === 'completed' ? `the case is completed${c.documentNumber ? ` (number ${c.documentNumber.symbol})` : ''}.` : `next: "${c.route.steps[c.stepIndex]!.id}".`),
    );
    return 0;
  },

  async reject(wf, values, args) {
    const id = one(args, 'the case id', 'reject');
    const c = await wf.reject(id, {
      actor: actorOf(values),
      reason: requireString(values, 'reason', 'workflow'),
      ...(typeof values['to'] === 'string' ? { toStepId: values['to'] } : {}),
    });
    out(`Returned case ${c.id} to step "${c.route.steps[c.stepIndex]!.id}" (round ${c.round}).`);
    return 0;
  },

  async resubmit(wf, values, args) {
    if (args.length !== 2) throw new UsageError('Give the case id and the revised PDF. See "kyso workflow --help" (resubmit).');
    const document = await readInput(args[1]!, 'revised PDF');
    const c = await wf.resubmit(args[0]!, { actor: actorOf(values), document, ...(typeof values['note'] === 'string' ? { note: values['note'] } : {}) });
    out(`Resubmitted case ${c.id}: round ${c.round} starts at step "${c.route.steps[0]!.id}".`);
    return 0;
  },

  async withdraw(wf, values, args) {
    const c = await wf.withdraw(one(args, 'the case id', 'withdraw'), { actor: actorOf(values), reason: requireString(values, 'reason', 'workflow') });
    out(`Withdrew case ${c.id}.`);
    return 0;
  },

  async delegate(wf, values, args) {
    const id = one(args, 'the case id', 'delegate');
    const to =
      typeof values['to-citizen-id'] === 'string'
        ? { by: 'citizenId', value: values['to-citizen-id'] }
        : typeof values['to-email'] === 'string'
          ? { by: 'email', value: values['to-email'] }
          : typeof values['to-sha256'] === 'string'
            ? { by: 'sha256', value: values['to-sha256'] }
            : undefined;
    if (!to) throw new UsageError('Say who takes the step: --to-citizen-id ID, --to-email ADDR or --to-sha256 HEX.');
    const c = await wf.delegate(id, { actor: actorOf(values), stepId: requireString(values, 'step', 'workflow'), to, reason: requireString(values, 'reason', 'workflow') });
    out(`Delegated step "${values['step']}" of case ${c.id}.`);
    return 0;
  },

  async status(wf, values, args) {
    const format = formatOf(values);
    if (args.length > 1) throw new UsageError('Give at most one case id.');
    if (args.length === 1) {
      printCase(await wf.getCase(args[0]!), format);
      return 0;
    }
    const cases = await wf.listCases();
    if (format === 'json') out(JSON.stringify(cases.map((c) => ({ id: c.id, title: c.title, route: c.route.id, status: c.status, step: c.route.steps[c.stepIndex]?.id ?? null, round: c.round, version: c.version, documentNumber: c.documentNumber?.symbol ?? null })), null, 2));
    else if (cases.length === 0) out('No cases.');
    else for (const c of cases) out(`${c.id}  ${c.status.padEnd(11)} ${(c.route.steps[c.stepIndex]?.id ?? '-').padEnd(10)} ${c.documentNumber?.symbol ?? ''} ${c.title ?? ''}`.trimEnd());
    return 0;
  },

  async verify(wf, values, args) {
    const format = formatOf(values);
    const { verifyCase, caseVerificationContext } = await import('@kyso/workflow');
    const anchors = await trustAnchors(values);
    const roles = typeof values['roles'] === 'string' ? await readRoles(values['roles'], (await import('@kyso/workflow')).parseAssigneeInput) : undefined;
    let result;
    let auditOk: boolean | null = null;
    if (typeof values['pdf'] === 'string') {
      if (args.length) throw new UsageError('Give either a case id or --pdf FILE --route ROUTE.json, not both.');
      const pdf = await readInput(values['pdf'], 'PDF');
      const route = await routeInput(requireString(values, 'route', 'workflow'));
      result = await verifyCase(pdf, typeof route === 'string' ? await wf.getRoute(route) : route, { signing: wf.signing, ...(anchors ? { trustAnchors: anchors } : {}), ...(roles ? { resolveRole: (r: string) => roles.get(r) ?? [] } : {}) });
    } else {
      const c = await wf.getCase(one(args, 'the case id (or --pdf FILE --route ROUTE.json)', 'verify'));
      const pdf = await wf.getDocument(c.id);
      result = await verifyCase(pdf, c.route, { signing: wf.signing, ...caseVerificationContext(c), ...(anchors ? { trustAnchors: anchors } : {}), ...(roles ? { resolveRole: (r: string) => roles.get(r) ?? [] } : {}) });
      auditOk = (await wf.verifyAudit(c.id)).valid;
    }
    const ok = result.valid && auditOk !== false;
    if (format === 'json') out(JSON.stringify({ ...result, auditChain: auditOk }, null, 2));
    else {
      for (const s of result.steps) out(`${s.status === 'signed' ? '✓' : '✗'} ${s.stepId.padEnd(12)} ${s.status.padEnd(8)} ${s.signatures.map((x) => `${x.signer ?? '?'} [${x.field}]`).join(', ')}`);
      if (auditOk !== null) out(`${auditOk ? '✓' : '✗'} audit chain ${auditOk ? 'intact' : 'BROKEN'}`);
      for (const p of result.problems) out(`  ${p}`);
      out(ok ? 'The document matches its route.' : 'The document does NOT match its route.');
    }
    return ok ? 0 : 1;
  },

  async export(wf, values, args) {
    const id = one(args, 'the case id', 'export');
    const output = requireString(values, 'output', 'workflow');
    const ex = await wf.exportCase(id);
    const auditFile = values['audit'] as string | undefined;
    await writeOutput(output, ex.document);
    if (auditFile) await writeOutput(auditFile, JSON.stringify({ case: ex.record, audit: ex.audit, auditChain: ex.auditReport }, null, 2) + '\n');
    out(`Exported case ${id} → ${output}${auditFile ? ` and ${auditFile}` : ''} (audit chain ${ex.auditReport.valid ? 'intact' : 'BROKEN'}).`);
    return ex.auditReport.valid ? 0 : 1;
  },
};
