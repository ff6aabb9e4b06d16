import { listFields } from './acroform/fields.js';
import { listSignatures } from './acroform/signatures.js';
import type { PdfDocument } from './document/pdf-document.js';
import { PdfName } from './objects/pdf-name.js';
import { PdfString } from './objects/pdf-string.js';
import type { XrefKind } from './xref/xref-entry.js';

/** A JSON-ready summary of a PDF's structure, as `kyso inspect` prints it. */
export interface PdfInspection {
  readonly version: string;
  readonly pages: number;
  readonly repaired: boolean;
  readonly warnings: readonly string[];
  /** The number of revisions, counting the original file as 1. */
  readonly revisions: number;
  readonly revisionList: readonly {
    readonly index: number;
    readonly start: number;
    readonly end: number;
    readonly xrefKind: XrefKind;
    readonly hybrid: boolean;
    readonly objects: readonly number[];
  }[];
  readonly fields: readonly { readonly name: string; readonly type: string | null; readonly pages: readonly (number | null)[]; readonly signed: boolean }[];
  readonly signatures: readonly {
    readonly field: string;
    readonly revision: number | null;
    readonly type: string;
    readonly subFilter: string | null;
    readonly byteRange: readonly number[] | null;
    readonly signingTime: string | null;
    readonly name: string | null;
    readonly reason: string | null;
  }[];
}

/** Summarises `doc` (revisions, objects per revision, fields, signatures) without verifying anything. */
export function inspectPdf(doc: PdfDocument): PdfInspection {
  const fields = listFields(doc);
  return {
    version: doc.version,
    pages: doc.pageCount,
    repaired: doc.repaired,
    warnings: [...doc.warnings],
    revisions: doc.revisions.length,
    revisionList: doc.revisions.map((r) => ({ index: r.index, start: r.start, end: r.end, xrefKind: r.xrefKind, hybrid: r.hybrid, objects: r.objects })),
    fields: fields.map((f) => ({
      name: f.name,
      type: f.type ?? null,
      pages: f.widgets.map((w) => w.pageIndex ?? null),
      signed: f.type === 'Sig' && f.value !== undefined && !(f.value instanceof PdfName) && !(f.value instanceof PdfString),
    })),
    signatures: listSignatures(doc).map((s) => ({
      field: s.field.name,
      revision: s.revision ?? null,
      type: s.type,
      subFilter: s.subFilter ?? null,
      byteRange: s.byteRange ?? null,
      signingTime: s.signingTime ?? null,
      name: s.name ?? null,
      reason: s.reason ?? null,
    })),
  };
}
