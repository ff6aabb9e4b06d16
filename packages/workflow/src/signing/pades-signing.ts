import { formatVietnamTime, fromBase64, toBase64, trimDer } from '@kyso/core';
import { defaultSignatureAlgorithm, inspectCms, parseCertificate } from '@kyso/cms';
import {
  appearanceDataFromCertificate,
  buildAppearance,
  finishPdfSignature,
  preparePdfSignature,
  verifyPdf,
  type AppearanceFonts,
  type AppearanceTemplate,
  type PlainAppearance,
  type PreparedAppearance,
  type PreparePdfSignatureOptions,
  type PreparedPdfSignatureState,
  type VerifyPdfOptions,
} from '@kyso/pades';
import { listSignatures, PdfDocument } from '@kyso/pdf';
import { WorkflowInputError } from '../errors.js';
import { readCertificateIdentity, type CertificateIdentity } from '../identity/certificate-identity.js';
import { sha256Hex } from '../internal/hash.js';
import type {
  DocumentCheck,
  DocumentSignatureCheck,
  DocumentSigning,
  InspectOptions,
  PrepareSignatureRequest,
  PreparedDocumentSignature,
} from './document-signing.js';

/** Options of {@link padesDocumentSigning}. */
export interface PadesDocumentSigningOptions {
  /**
   * DocMDP permission of the first signature of a document, which certifies it: 2 (default;
   * form filling and signing allowed, so the later steps keep it valid — DECREE30.md
   * [practice]), 1 or 3; `false` to make the first signature a plain approval signature.
   */
  readonly certifyFirst?: 1 | 2 | 3 | false;
  /** Options merged into every `preparePdfSignature` call (before the step's own `pades` options). */
  readonly padesOptions?: Readonly<Record<string, unknown>>;
  /**
   * Draws the visible signature of a step that has a `placement`, e.g. with `@kyso/pades`'
   * `buildAppearance` and a Decree 30/2020 template (`approval`, `issuance` with the seal
   * image). Default: a plain box with the signer, the time (+07:00), the reason and, on the
   * issue step, the document number.
   */
  readonly appearance?: (context: AppearanceContext) => Promise<PlainAppearance | PreparedAppearance | undefined> | PlainAppearance | PreparedAppearance | undefined;
  /**
   * Font bytes for the default visible text (`loadDefaultFonts()` of `@kyso/pades/node` in
   * Node): with them the "Người ký / Cơ quan / Chức vụ / Số / Thời gian ký" block is drawn in
   * the embedded Vietnamese font; without them, in Helvetica without diacritics.
   */
  readonly fonts?: AppearanceFonts;
}

/** The default visible text with fonts: DECREE30.md [practice] signer block, Vietnamese intact. */
const SIGNER_BLOCK: AppearanceTemplate = {
  kyso: 'appearance-template/1',
  name: 'workflow-signer-block',
  size: { width: 220, height: 70 },
  timeFormat: 'dd/MM/yyyy HH:mm:ss +07:00',
  border: { width: 0.6, color: '#1F3A93' },
  elements: [
    {
      type: 'text',
      id: 'details',
      box: { x: 0, y: 0, width: 1, height: 1 },
      lines: ['Người ký: {signerName}', 'Cơ quan: {agency}', 'Chức vụ: {title}', 'Số: {docNumber}', 'Thời gian ký: {signingTime}'],
      font: 'regular',
      size: 9,
      minSize: 5,
      lineHeight: 1.25,
      color: '#000000',
      align: 'left',
      valign: 'middle',
      padding: 4,
    },
  ],
};

/** What {@link PadesDocumentSigningOptions.appearance} gets to draw a step's signature. */
export interface AppearanceContext {
  readonly request: PrepareSignatureRequest;
  readonly signer: CertificateIdentity;
  /** Width and height of the placement, in points. */
  readonly width: number;
  readonly height: number;
}

/** The default visible text: DECREE30.md [practice] "Người ký / Thời gian ký" block. */
function plainLines(req: PrepareSignatureRequest, signer: CertificateIdentity): PlainAppearance {
  const lines = [`Nguoi ky: ${signer.commonName ?? signer.subject}`, `Thoi gian ky: ${formatVietnamTime(req.signingTime, 'dd.MM.yyyy HH:mm:ss +07:00')}`, req.reason];
  if (req.documentNumber) lines.push(`So: ${req.documentNumber.symbol}`);
  return { lines };
}

interface AdapterState {
  readonly v: 1;
  readonly preparedPdf: string;
  readonly pades: PreparedPdfSignatureState;
}

/**
 * The default {@link DocumentSigning}: `@kyso/pades` staged signing (`preparePdfSignature` /
 * `finishPdfSignature`, PAdES B-B, ETSI.CAdES.detached) and its verifier (`verifyPdf`).
 *
 * A step's `signature.placement` becomes a visible field on that page and rectangle, its
 * `reason`/`location` the /Reason and /Location, and `signature.pades` is merged into the
 * options verbatim (so an application can ask for an appearance template, a level, a TSA).
 */
export function padesDocumentSigning(options: PadesDocumentSigningOptions = {}): DocumentSigning {
  // PlainAppearance draws with Helvetica (WinAnsi): Vietnamese letters are transliterated, so
  // the default text is written without diacritics; a custom `appearance` draws them.
  const certifyFirst = options.certifyFirst ?? 2;
  return {
    async prepare(req: PrepareSignatureRequest): Promise<PreparedDocumentSignature> {
      const step = req.step;
      const placement = step.signature?.placement;
      const field = placement
        ? { name: req.fieldName, page: placement.page - 1, rect: [placement.x, placement.y, placement.x + placement.width, placement.y + placement.height] as const }
        : { name: req.fieldName };
      const opts: Record<string, unknown> = {
        signer: { certificate: req.signerCertificate, chain: [...req.chain], signatureAlgorithm: req.signatureAlgorithm ?? defaultSignatureAlgorithm(parseCertificate(req.signerCertificate)) },
        field,
        reason: req.reason,
        signingTime: req.signingTime,
        ...(step.signature?.location ? { location: step.signature.location } : {}),
        ...(req.existingSignatures === 0 && certifyFirst !== false ? { certify: certifyFirst } : {}),
        ...(placement ? { appearance: await appearanceFor(req, placement, options) } : {}),
        ...(options.padesOptions ?? {}),
        ...(step.signature?.pades ?? {}),
      };
      const prepared = await preparePdfSignature(req.pdf, opts as unknown as PreparePdfSignatureOptions);
      const state: AdapterState = { v: 1, preparedPdf: toBase64(prepared.preparedPdf), pades: prepared.state };
      return {
        dataToSign: prepared.toBeSigned,
        digestToSign: prepared.digestToSign,
        digestAlgorithm: prepared.state.cades.signatureAlgorithm.hash,
        state: JSON.stringify(state),
      };
    },

    async finish(state: string, signatureValue: Uint8Array): Promise<Uint8Array> {
      let s: AdapterState;
      try {
        s = JSON.parse(state) as AdapterState;
      } catch (cause) {
        throw new WorkflowInputError('The pending signature state is not readable; begin the signature again.', { cause });
      }
      return finishPdfSignature(fromBase64(s.preparedPdf), s.pades, signatureValue);
    },

    async inspect(pdf: Uint8Array, opts: InspectOptions = {}): Promise<DocumentCheck> {
      const vopts: { -readonly [K in keyof VerifyPdfOptions]: VerifyPdfOptions[K] } = {};
      if (opts.trustAnchors) vopts.trustAnchors = opts.trustAnchors;
      if (opts.at) vopts.time = opts.at;
      const report = await verifyPdf(pdf, vopts);
      const certs = await signerCertificates(pdf);
      const signatures: DocumentSignatureCheck[] = report.signatures.map((s) => ({
        field: s.field,
        revision: s.revision,
        certificateSha256: s.signer?.certificateSha256 ?? null,
        signerCertificate: (s.signer && certs.get(s.signer.certificateSha256)) ?? null,
        commonName: s.signer?.commonName ?? null,
        subject: s.signer?.subject ?? null,
        integrity: s.integrity,
        indication: s.indication,
        subIndication: s.subIndication,
        modificationsAfter: s.modificationsAfter,
        disallowedChanges: s.changes.filter((c) => !c.allowed).map((c) => c.detail || c.kind),
        changes: s.changes.map((c) => ({ revision: c.revision, kind: c.kind, allowed: c.allowed, detail: c.detail })),
        claimedSigningTime: s.claimedSigningTime,
        kind: s.kind,
      }));
      return { revisions: report.revisions, signatures };
    },
  };
}

async function appearanceFor(
  req: PrepareSignatureRequest,
  placement: NonNullable<NonNullable<PrepareSignatureRequest['step']['signature']>['placement']>,
  options: PadesDocumentSigningOptions,
): Promise<PlainAppearance | PreparedAppearance> {
  const signer = await readCertificateIdentity(req.signerCertificate);
  const custom = options.appearance ? await options.appearance({ request: req, signer, width: placement.width, height: placement.height }) : undefined;
  if (custom) return custom;
  if (!options.fonts) return plainLines(req, signer);
  const data = {
    ...appearanceDataFromCertificate(req.signerCertificate),
    signingTime: req.signingTime,
    ...(req.documentNumber ? { docNumber: req.documentNumber.symbol } : {}),
  };
  return buildAppearance(SIGNER_BLOCK, data, { width: placement.width, height: placement.height, fonts: options.fonts });
}

/** Every certificate embedded in the PDF's signatures, by SHA-256 (the report names signers by fingerprint). */
async function signerCertificates(pdf: Uint8Array): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  try {
    const doc = PdfDocument.open(pdf);
    for (const sig of listSignatures(doc)) {
      if (!sig.contents) continue;
      try {
        for (const c of inspectCms(trimDer(sig.contents)).certificates) out.set(await sha256Hex(c), c);
      } catch {
        // An unreadable CMS has no certificate to offer; the report says why it fails.
      }
    }
  } catch {
    // The verifier reports an unreadable PDF itself.
  }
  return out;
}

