// The HTTP API an e-office front end calls. The users' keys never reach this service: it hands
// out what to sign (`beginSign`) and takes back the signature value (`completeSign`).
//
//   POST /cases?title=…                 body: the draft PDF        → 201 case
//   GET  /cases/:id                                                 → case status
//   POST /cases/:id/sign/begin          {certificate, chain?, stepId?} → {token, dataToSign, digestToSign, …}
//   POST /cases/:id/sign/complete       {token, signatureValue}    → case status
//   GET  /cases/:id/document                                        → the current PDF
//   GET  /cases/:id/verify                                          → verifyCase + audit chain
//
// Binary values in JSON are base64; certificates may also be PEM. Errors are
// {"error": {"code", "message"}} with the workflow's string codes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fromBase64, isKysoError, pemToDer, toBase64 } from '@kyso/core';
import { describeAssignee, stepAssignees, verifyCase, type CaseRecord, type Route, type Workflow } from '@kyso/workflow';

/** Options of {@link createApprovalService}. */
export interface ApprovalServiceOptions {
  readonly workflow: Workflow;
  /** The route every new case follows. */
  readonly route: Route;
  /** Trust anchors (DER) for `GET /cases/:id/verify`. */
  readonly trustAnchors: readonly Uint8Array[];
  /** Largest accepted request body; default 50 MB. */
  readonly maxBodyBytes?: number;
}

/** An error answered with an HTTP status. */
class HttpError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

// How the workflow's refusals map to HTTP: who you are (403), the case's state (409), what you sent (422/400).
const STATUS: Record<string, number> = {
  WORKFLOW_NOT_FOUND: 404,
  WORKFLOW_WRONG_SIGNER: 403,
  WORKFLOW_OUT_OF_ORDER: 409,
  WORKFLOW_ALREADY_SIGNED: 409,
  WORKFLOW_CONFLICT: 409,
  WORKFLOW_CASE_CLOSED: 409,
  WORKFLOW_NOT_ALLOWED: 409,
  WORKFLOW_DISALLOWED_CHANGE: 422,
  WORKFLOW_CERTIFICATE_INVALID: 422,
  WORKFLOW_BAD_SIGNATURE: 422,
};

/** What the front end sees of a case. */
export function caseView(c: CaseRecord) {
  const next = c.status === 'in-progress' ? c.route.steps[c.stepIndex] : undefined;
  return {
    id: c.id,
    title: c.title,
    status: c.status,
    round: c.round,
    version: c.version,
    documentSha256: c.document,
    documentNumber: c.documentNumber?.symbol ?? null,
    nextStep: next ? { id: next.id, kind: next.kind, assignees: stepAssignees(next).map(describeAssignee) } : null,
    steps: c.steps.map((s) => ({
      id: s.stepId,
      status: s.status,
      signatures: s.signatures.map((x) => ({ signer: x.signer.commonName, at: x.at, field: x.fieldName })),
    })),
  };
}

async function body(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'TOO_LARGE', `The request body is larger than ${limit} bytes.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function json(req: IncomingMessage, limit: number): Promise<Record<string, unknown>> {
  try {
    const v = JSON.parse((await body(req, limit)).toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch (e) {
    if (e instanceof HttpError) throw e;
  }
  throw new HttpError(400, 'BAD_JSON', 'Send a JSON object (Content-Type: application/json).');
}

function bytesField(v: unknown, name: string): Uint8Array {
  if (typeof v !== 'string' || v === '') throw new HttpError(400, 'BAD_INPUT', `"${name}" is required (base64).`);
  if (v.startsWith('-----BEGIN')) return pemToDer(v, 'CERTIFICATE')[0]!;
  if (!/^[A-Za-z0-9+/=\s]+$/.test(v)) throw new HttpError(400, 'BAD_INPUT', `"${name}" is not base64.`);
  return fromBase64(v.replace(/\s+/g, ''));
}

/** Creates the service (not yet listening): `createApprovalService(o).listen(8080, '127.0.0.1')`. */
export function createApprovalService(options: ApprovalServiceOptions): Server {
  const { workflow: wf, route } = options;
  const limit = options.maxBodyBytes ?? 50 * 1024 * 1024;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const send = (status: number, value: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(value));
    };
    const [root, id, sub, action] = parts;
    if (root !== 'cases') throw new HttpError(404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}.`);

    if (req.method === 'POST' && parts.length === 1) {
      const pdf = new Uint8Array(await body(req, limit));
      if (pdf.length === 0) throw new HttpError(400, 'BAD_INPUT', 'Send the draft PDF as the request body (Content-Type: application/pdf).');
      // The e-office authenticates its users; this example trusts the id its gateway passes on.
      const actor = { id: req.headers['x-user-id']?.toString() ?? 'anonymous' };
      const title = url.searchParams.get('title');
      const c = await wf.startCase({ route, document: pdf, actor, ...(title ? { title } : {}) });
      return send(201, caseView(c));
    }
    if (id === undefined) throw new HttpError(405, 'METHOD_NOT_ALLOWED', 'Use POST /cases to create a case.');

    if (req.method === 'GET' && parts.length === 2) return send(200, caseView(await wf.getCase(id)));

    if (req.method === 'POST' && sub === 'sign' && action === 'begin' && parts.length === 4) {
      const b = await json(req, limit);
      const chain = Array.isArray(b['chain']) ? b['chain'].map((x, i) => bytesField(x, `chain[${i}]`)) : [];
      const stepId = typeof b['stepId'] === 'string' ? b['stepId'] : null;
      const r = await wf.beginSign(id, stepId, bytesField(b['certificate'], 'certificate'), { chain });
      return send(200, {
        token: r.token,
        stepId: r.stepId,
        fieldName: r.fieldName,
        documentNumber: r.documentNumber?.symbol ?? null,
        expiresAt: r.expiresAt,
        digestAlgorithm: r.digestAlgorithm,
        // A WebCrypto key or a Signer signs dataToSign; a token or a remote service signs digestToSign.
        dataToSign: toBase64(r.dataToSign),
        digestToSign: toBase64(r.digestToSign),
      });
    }

    if (req.method === 'POST' && sub === 'sign' && action === 'complete' && parts.length === 4) {
      const b = await json(req, limit);
      const token = typeof b['token'] === 'string' ? b['token'] : '';
      const pending = token ? await wf.store.getPendingSignature(token) : undefined;
      if (!pending || pending.caseId !== id) throw new HttpError(404, 'WORKFLOW_NOT_FOUND', 'No signature was begun for this case with that token; call sign/begin first.');
      return send(200, caseView(await wf.completeSign(token, bytesField(b['signatureValue'], 'signatureValue'))));
    }

    if (req.method === 'GET' && sub === 'document' && parts.length === 3) {
      const c = await wf.getCase(id);
      const pdf = await wf.getDocument(id);
      const name = (c.documentNumber?.symbol ?? c.id).replace(/[^A-Za-z0-9._-]+/g, '-');
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': pdf.length, 'content-disposition': `attachment; filename="${name}.pdf"` }).end(pdf);
      return;
    }

    if (req.method === 'GET' && sub === 'verify' && parts.length === 3) {
      const c = await wf.getCase(id);
      const check = await verifyCase(await wf.getDocument(id), c.route, { signing: wf.signing, trustAnchors: options.trustAnchors, allowIncomplete: c.status !== 'completed' });
      return send(200, { ...check, audit: await wf.verifyAudit(id) });
    }
    throw new HttpError(404, 'NOT_FOUND', `No route ${req.method} ${url.pathname}.`);
  }

  return createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const [status, code, message] =
        e instanceof HttpError ? [e.status, e.code, e.message]
        : isKysoError(e) ? [STATUS[e.code] ?? 400, e.code, e.message]
        : [500, 'INTERNAL', 'Internal error; see the service log.'];
      if (status === 500) console.error(e);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: { code, message } }));
    });
  });
}
