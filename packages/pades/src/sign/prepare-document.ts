import { formatVietnamTime, latin1, systemClock } from '@kyso/core';
import { formatName, parseCertificate, HASH_LENGTH, type HashAlgorithm, type SigningIdentity } from '@kyso/cms';
import {
  findField,
  formatPdfDate,
  listFields,
  PdfArray,
  PdfDict,
  PdfDocument,
  PdfName,
  PdfRaw,
  PdfRef,
  PdfStream,
  PdfString,
  type IncrementalUpdate,
  type PdfField,
} from '@kyso/pdf';
import {
  BYTE_RANGE_PLACEHOLDER,
  contentsPlaceholder,
  byteRangeFor,
  estimateContentsSize,
  formatByteRange,
  type ByteRange,
  type PlaceholderOffsets,
} from '../byterange/placeholder.js';
import { copyGraphInto } from '../appearance/pdf-update.js';
import { PLAIN_FONT_RESOURCE, plainAppearanceContent } from './plain-appearance.js';
import { PadesError } from '../errors.js';
import { appendToArray, editableDict, malformed } from '../fields/editable.js';
import { registerSignatureField } from '../fields/signature-form.js';
import { assertSigningAllowed, readRestrictions } from '../mdp/check-allowed.js';
import { docMdpReference, fieldLockDict, fieldMdpReference, readFieldLock, type FieldLock } from '../mdp/permissions.js';
import type { PdfRect, PdfSignatureOptions, SignatureFieldSpec } from './options.js';

/** Writes the appearance Form XObject for a widget of `rect` into the update and returns its reference. */
type AppearanceMaker = (rect: PdfRect) => PdfRef;

/** The signature's incremental update with its /ByteRange patched; only /Contents is left to fill. */
export interface PreparedIncrement {
  /** The bytes appended after the original (see `IncrementalIncrement`), /ByteRange written. */
  readonly increment: Uint8Array;
  /** Length of the original file the increment goes after. */
  readonly baseLength: number;
  /** Absolute offsets (in the signed file) of the placeholders. */
  readonly placeholders: PlaceholderOffsets;
  readonly byteRange: ByteRange;
  readonly fieldName: string;
  readonly digestAlgorithm: HashAlgorithm;
  readonly subFilter: string;
}

/** A whole prepared file in memory: the original followed by the increment. */
export interface PreparedDocument extends PreparedIncrement {
  readonly bytes: Uint8Array;
}

/** Room for an RFC 3161 token: TSTInfo, the TSA's signature and its certificate (and often its CA). */
const DEFAULT_TIMESTAMP_SIZE = 8192;

/** Widget flags Print (3) + Locked (8): 4 + 128 = 132 (ISO 32000-2 §12.5.3, Table 167). */
const WIDGET_FLAGS = 132;

/**
 * Writes the incremental update that adds a signature (ISO 32000-2 §12.8): the signature
 * dictionary with a fixed-width /ByteRange and a /Contents placeholder sized from what goes in
 * it, the field (filled, or created with its widget on the page and in /AcroForm /Fields), the
 * DocMDP or FieldMDP references, and the catalog's /Perms when certifying. Then patches the
 * /ByteRange in place. Refuses what certification or locks forbid.
 */
export function prepareIncrement(doc: PdfDocument, opts: PdfSignatureOptions & { readonly signer: SigningIdentity }): PreparedIncrement {
  checkOptions(opts);
  const spec: SignatureFieldSpec = typeof opts.field === 'string' ? { name: opts.field } : (opts.field ?? {});
  const restrictions = readRestrictions(doc);
  const fieldName = spec.name ?? freeFieldName(doc);
  const existing = findField(doc, fieldName);
  assertSigningAllowed(restrictions, fieldName, existing !== undefined, opts.certify !== undefined);
  if (existing) {
    if (existing.type !== 'Sig') throw new PadesError('FIELD_NOT_SIGNATURE', `The field "${fieldName}" is a ${existing.type ?? 'typeless'} field, not a signature field; choose another name.`);
    if (existing.value !== undefined) throw new PadesError('FIELD_ALREADY_SIGNED', `The field "${fieldName}" is already signed; sign a new field (give another name or none).`);
  } else if (fieldName.includes('.')) {
    throw new PadesError('BAD_OPTIONS', `A new field's name cannot contain "." (ISO 32000-2 §12.7.4.2): "${fieldName}".`);
  }

  const signer = opts.signer;
  const cert = parseCertificate(signer.certificate);
  const digestAlgorithm = opts.digestAlgorithm ?? (signer.signatureAlgorithm.hash as HashAlgorithm);
  if (!(digestAlgorithm in HASH_LENGTH) || digestAlgorithm === ('SHA-1' as string)) {
    throw new PadesError('BAD_OPTIONS', `digestAlgorithm must be SHA-256, SHA-384 or SHA-512, not ${String(digestAlgorithm)}.`);
  }
  const contentsSize =
    opts.contentsSize ??
    estimateContentsSize({
      certificates: [signer.certificate, ...signer.chain],
      // The SubjectPublicKeyInfo is longer than any signature its key makes (RSA: modulus + header; ECDSA: 2n+1 vs 2n+8).
      signatureSize: cert.spki.length + 16,
      digestSize: HASH_LENGTH[digestAlgorithm],
      issuerSerialSize: cert.issuer.length + cert.serialNumber.length + 8,
      timestampSize: opts.timestampSize ?? (opts.timeStamper ? DEFAULT_TIMESTAMP_SIZE : 0),
    });
  const time = opts.signingTime ?? (opts.clock ?? systemClock).now();
  const subFilter = opts.subFilter ?? 'ETSI.CAdES.detached';

  const up = doc.beginUpdate();
  const sigRef = up.allocate();
  const lock: FieldLock | null = opts.lock ?? (existing ? readFieldLock(existing.lock, doc) : null);

  // The signature dictionary (ISO 32000-2 §12.8.1, Table 255). /ByteRange and /Contents come
  // first so that they are found right after the object header; they are never in an object stream.
  const sig = PdfDict.of({
    Type: PdfName.of('Sig'),
    Filter: PdfName.of('Adobe.PPKLite'),
    SubFilter: PdfName.of(subFilter),
    ByteRange: PdfRaw.fromString(BYTE_RANGE_PLACEHOLDER),
    Contents: PdfRaw.fromString(contentsPlaceholder(contentsSize)),
    M: PdfString.fromLatin1(formatPdfDate(time)),
  });
  if (opts.name !== undefined) sig.set('Name', PdfString.fromText(opts.name));
  if (opts.reason !== undefined) sig.set('Reason', PdfString.fromText(opts.reason));
  if (opts.location !== undefined) sig.set('Location', PdfString.fromText(opts.location));
  if (opts.contactInfo !== undefined) sig.set('ContactInfo', PdfString.fromText(opts.contactInfo));
  const references: PdfDict[] = [];
  if (opts.certify !== undefined) references.push(docMdpReference(opts.certify));
  if (lock) references.push(fieldMdpReference(lock));
  if (references.length) sig.set('Reference', PdfArray.of(references));
  sig.set('Prop_Build', PdfDict.of({ App: PdfDict.of({ Name: PdfName.of('kyso') }) }));
  up.set(sigRef, sig);

  const wantsAppearance = opts.appearance !== undefined && opts.appearance !== false;
  const prepared = typeof opts.appearance === 'object' && 'graph' in opts.appearance ? opts.appearance.graph : null;
  const lines = (): string[] => {
    if (typeof opts.appearance === 'object' && 'lines' in opts.appearance && opts.appearance.lines) return [...opts.appearance.lines];
    const cn = commonNameOf(cert.subject) ?? opts.name ?? '';
    const out = [`Signed by: ${cn}`, `Date: ${formatVietnamTime(time)}`];
    if (opts.reason) out.push(`Reason: ${opts.reason}`);
    if (opts.location) out.push(`Location: ${opts.location}`);
    return out;
  };

  let newFieldRef: PdfRef | undefined;
  const appearance: AppearanceMaker | null = !wantsAppearance
    ? null
    : prepared
      ? () => copyGraphInto(up, prepared)
      : (rect) => {
          const ref = up.allocate();
          up.set(ref, appearanceStream(rect, lines()));
          return ref;
        };
  if (existing) fillExistingField(doc, up, existing, sigRef, opts.lock, appearance);
  else newFieldRef = createField(doc, up, fieldName, spec, sigRef, opts.lock, appearance);

  // The interactive form (ISO 32000-2 §12.7.3): the new field in /Fields, /SigFlags 3.
  registerSignatureField(doc, up, newFieldRef);
  if (opts.certify !== undefined) {
    // ISO 32000-2 §12.8.4 Table 263: /Perms /DocMDP is the certification signature dictionary.
    const catalog = editableDict(doc, up, doc.catalogRef);
    const perms = catalog.getDict('Perms', doc)?.clone() ?? PdfDict.of();
    perms.set('DocMDP', sigRef);
    catalog.set('Perms', perms);
  }

  const inc = up.finishIncrement();
  const increment = inc.increment;
  const base = inc.baseLength;
  const rel = locatePlaceholders(increment, inc.offsets.get(sigRef.num)! - base, contentsSize);
  const placeholders = { byteRangeAt: rel.byteRangeAt + base, contentsStart: rel.contentsStart + base, contentsEnd: rel.contentsEnd + base };
  const byteRange = byteRangeFor(placeholders, base + increment.length);
  increment.set(latin1(formatByteRange(byteRange)), rel.byteRangeAt);
  return { increment, baseLength: base, placeholders, byteRange, fieldName, digestAlgorithm, subFilter };
}

/** {@link prepareIncrement} on bytes in memory, returning the whole prepared file. */
export function prepareDocument(pdf: Uint8Array, opts: PdfSignatureOptions & { readonly signer: SigningIdentity }): PreparedDocument {
  const doc = PdfDocument.open(pdf);
  const p = prepareIncrement(doc, opts);
  const bytes = new Uint8Array(pdf.length + p.increment.length);
  bytes.set(pdf, 0);
  bytes.set(p.increment, pdf.length);
  return { ...p, bytes };
}

function checkOptions(opts: PdfSignatureOptions & { readonly signer: SigningIdentity }): void {
  if (!opts || !opts.signer || !(opts.signer.certificate instanceof Uint8Array)) {
    throw new PadesError('BAD_OPTIONS', 'signer is required: a Signer from @kyso/cms (signerFromPkcs12, signerFromPem, signerFromCryptoKey, externalSigner).');
  }
  if (opts.certify !== undefined && opts.certify !== 1 && opts.certify !== 2 && opts.certify !== 3) {
    throw new PadesError('BAD_OPTIONS', `certify must be 1, 2 or 3 (ISO 32000-2 Table 257), not ${String(opts.certify)}.`);
  }
  if (opts.lock !== undefined && !['All', 'Include', 'Exclude'].includes(opts.lock.action)) {
    throw new PadesError('BAD_OPTIONS', `lock.action must be All, Include or Exclude, not ${String(opts.lock.action)}.`);
  }
  if (opts.contentsSize !== undefined && (!Number.isSafeInteger(opts.contentsSize) || opts.contentsSize < 64)) {
    throw new PadesError('BAD_OPTIONS', `contentsSize must be an integer number of bytes of at least 64, not ${opts.contentsSize}.`);
  }
  if (opts.timestampSize !== undefined && (!Number.isSafeInteger(opts.timestampSize) || opts.timestampSize < 0)) {
    throw new PadesError('BAD_OPTIONS', `timestampSize must be a non-negative integer number of bytes, not ${opts.timestampSize}.`);
  }
  if (opts.signingTime !== undefined && Number.isNaN(opts.signingTime.getTime())) throw new PadesError('BAD_OPTIONS', 'signingTime is an invalid Date.');
  const spec = typeof opts.field === 'object' ? opts.field : undefined;
  if (spec?.rect && (spec.rect.length !== 4 || spec.rect.some((n) => !Number.isFinite(n)))) {
    throw new PadesError('BAD_OPTIONS', 'field.rect must be four finite numbers [x1, y1, x2, y2] in points.');
  }
  if (opts.appearance && !spec?.rect) {
    // A visible appearance on an existing field uses that field's widget rectangle; checked when the field is known.
  }
}

/** The CN of a DER Name, from @kyso/cms's "C=VN, …, CN=…" rendering (enough for an appearance label). */
function commonNameOf(name: Uint8Array): string | undefined {
  const m = /(?:^|, )CN=(.*?)(?=, [A-Za-z0-9.]+=|$)/.exec(formatName(name));
  return m?.[1];
}

/** The first of Signature1, Signature2, … that no field uses. */
function freeFieldName(doc: PdfDocument): string {
  const names = new Set(listFields(doc).map((f) => f.name));
  for (let i = 1; ; i++) if (!names.has(`Signature${i}`)) return `Signature${i}`;
}

function appearanceStream(rect: PdfRect, lines: readonly string[]): PdfStream {
  const w = Math.abs(rect[2] - rect[0]);
  const h = Math.abs(rect[3] - rect[1]);
  const font = PdfDict.of({ Type: PdfName.of('Font'), Subtype: PdfName.of('Type1'), BaseFont: PdfName.of('Helvetica'), Encoding: PdfName.of('WinAnsiEncoding') });
  return PdfStream.fromData(
    latin1(plainAppearanceContent(w, h, lines)),
    PdfDict.of({
      Type: PdfName.of('XObject'),
      Subtype: PdfName.of('Form'),
      BBox: PdfArray.of([0, 0, w, h]),
      Resources: PdfDict.of({ Font: PdfDict.of({ [PLAIN_FONT_RESOURCE]: font }) }),
    }),
  );
}

/** An empty appearance for an invisible widget (PDF/A wants every widget to have one). */
function emptyAppearance(): PdfStream {
  return PdfStream.fromData(new Uint8Array(0), PdfDict.of({ Type: PdfName.of('XObject'), Subtype: PdfName.of('Form'), BBox: PdfArray.of([0, 0, 0, 0]) }), { compress: false });
}

function createField(
  doc: PdfDocument,
  up: IncrementalUpdate,
  name: string,
  spec: SignatureFieldSpec,
  sigRef: PdfRef,
  lock: FieldLock | undefined,
  appearance: AppearanceMaker | null,
): PdfRef {
  const pageIndex = spec.page ?? 0;
  if (!Number.isInteger(pageIndex) || pageIndex < 0 || pageIndex >= doc.pageCount) {
    throw new PadesError('BAD_OPTIONS', `field.page ${pageIndex} does not exist: the document has ${doc.pageCount} page(s), numbered from 0.`);
  }
  if (appearance && !spec.rect) throw new PadesError('BAD_OPTIONS', 'A visible appearance needs field.rect ([x1, y1, x2, y2] in points) for a new field.');
  const page = doc.getPage(pageIndex);
  if (!page.ref) throw malformed(`page ${pageIndex} is a direct object`);
  const rect: PdfRect = spec.rect ?? [0, 0, 0, 0];
  const widgetRef = up.allocate();
  let apRef: PdfRef;
  if (appearance) apRef = appearance(rect);
  else {
    apRef = up.allocate();
    up.set(apRef, emptyAppearance());
  }
  // A merged field and widget annotation (ISO 32000-2 §12.7.4.1, §12.5.6.19).
  const widget = PdfDict.of({
    Type: PdfName.of('Annot'),
    Subtype: PdfName.of('Widget'),
    FT: PdfName.of('Sig'),
    T: PdfString.fromText(name),
    V: sigRef,
    F: WIDGET_FLAGS,
    Rect: PdfArray.of([...rect]),
    P: page.ref,
    AP: PdfDict.of({ N: apRef }),
  });
  if (lock) widget.set('Lock', fieldLockDict(lock, 'SigFieldLock'));
  up.set(widgetRef, widget);
  const pageDict = editableDict(doc, up, page.ref);
  appendToArray(doc, up, pageDict, 'Annots', widgetRef);
  return widgetRef;
}

function fillExistingField(
  doc: PdfDocument,
  up: IncrementalUpdate,
  field: PdfField,
  sigRef: PdfRef,
  lock: FieldLock | undefined,
  appearance: AppearanceMaker | null,
): void {
  if (!field.ref) throw malformed(`the field "${field.name}" is a direct object`);
  const dict = editableDict(doc, up, field.ref);
  dict.set('V', sigRef);
  if (lock && !dict.has('Lock')) dict.set('Lock', fieldLockDict(lock, 'SigFieldLock'));
  if (appearance) {
    const w = field.widgets[0];
    const rect = w?.rect;
    if (!w || !rect || rect.length !== 4 || (rect[2] === rect[0] && rect[3] === rect[1])) {
      throw new PadesError('BAD_OPTIONS', `The field "${field.name}" has no visible widget rectangle, so it cannot show an appearance; sign it without appearance.`);
    }
    const widgetDict = w.ref ? (w.ref.equals(field.ref) ? dict : editableDict(doc, up, w.ref)) : null;
    if (!widgetDict) throw malformed(`the widget of "${field.name}" is a direct object`);
    widgetDict.set('AP', PdfDict.of({ N: appearance([rect[0]!, rect[1]!, rect[2]!, rect[3]!]) }));
  }
}

/** Finds the /ByteRange and /Contents placeholders of the signature dictionary written at `objStart`. */
function locatePlaceholders(bytes: Uint8Array, objStart: number, contentsSize: number): PlaceholderOffsets {
  const window = Math.min(bytes.length, objStart + 512 + contentsSize * 2);
  const find = (needle: string, from: number): number => {
    const n = latin1(needle);
    outer: for (let i = from; i <= window - n.length; i++) {
      for (let j = 0; j < n.length; j++) if (bytes[i + j] !== n[j]) continue outer;
      return i;
    }
    return -1;
  };
  const br = find(`/ByteRange ${BYTE_RANGE_PLACEHOLDER}`, objStart);
  const ct = find('/Contents <', objStart);
  if (br < 0 || ct < 0) throw new PadesError('BAD_STATE', 'The signature placeholders were not found in the written update; this is a bug in kyso.');
  const contentsStart = ct + '/Contents '.length;
  return { byteRangeAt: br + '/ByteRange '.length, contentsStart, contentsEnd: contentsStart + contentsSize * 2 + 2 };
}
