import type { Command } from '../command.js';
import { formatOf } from '../command.js';
import { UsageError } from '../errors.js';
import { out, readInput } from '../io.js';

/** `kyso inspect`: the structure of a PDF — revisions, objects per revision, fields and signatures. */
export const inspectCommand: Command = {
  name: 'inspect',
  summary: 'Show the revisions, form fields and signatures of a PDF',
  help: `Usage: kyso inspect <file.pdf> [--format text|json]

Lists each revision (byte span, cross-reference kind, objects it defines), the form fields and
the signature dictionaries, without verifying anything. A file named - is read from standard
input.

Example:
  kyso inspect quyet-dinh.signed.pdf --format json`,
  options: { format: { type: 'string' } },
  async run(values, positionals) {
    const format = formatOf(values);
    if (positionals.length !== 1) throw new UsageError('Give exactly one PDF to inspect. See "kyso inspect --help".');
    const file = positionals[0]!;
    const bytes = await readInput(file, 'PDF');
    const { PdfDocument, listFields, listSignatures } = await import('@kyso/pdf');
    const doc = PdfDocument.open(bytes);
    const info = {
      file,
      version: doc.version,
      size: bytes.length,
      pages: doc.pageCount,
      repaired: doc.repaired,
      revisions: doc.revisions.length,
      revisionList: doc.revisions.map((r) => ({
        index: r.index + 1,
        start: r.start,
        end: r.end,
        xrefKind: r.xrefKind,
        hybrid: r.hybrid,
        objects: r.objects,
        freed: r.freed,
      })),
      fields: listFields(doc).map((f) => ({
        name: f.name,
        type: f.type ?? null,
        signed: f.type === 'Sig' && f.value !== undefined,
        pages: f.widgets.map((w) => (w.pageIndex === undefined ? null : w.pageIndex + 1)),
        locked: f.lock !== undefined,
      })),
      signatures: listSignatures(doc, { unlisted: true }).map((s) => ({
        field: s.field.name,
        revision: s.revision === undefined ? null : s.revision + 1,
        type: s.type,
        subFilter: s.subFilter ?? null,
        byteRange: s.byteRange ?? null,
        contentsBytes: s.contents?.length ?? 0,
        signingTime: s.signingTime ?? null,
        name: s.name ?? null,
        reason: s.reason ?? null,
        certification: s.references.some((r) => r.transformMethod === 'DocMDP'),
        inAcroForm: s.inAcroForm,
      })),
      warnings: doc.warnings,
    };
    if (format === 'json') {
      out(JSON.stringify(info, null, 2));
      return 0;
    }
    out(`${file}: PDF ${info.version}, ${info.pages} page(s), ${info.size} bytes${info.repaired ? ' (cross-reference repaired)' : ''}`);
    out(`Revisions: ${info.revisions}`);
    for (const r of info.revisionList) {
      const objs = r.objects.length > 12 ? `${r.objects.slice(0, 12).join(' ')} … (${r.objects.length})` : r.objects.join(' ');
      out(`  ${r.index}. bytes ${r.start}–${r.end}, xref ${r.xrefKind}${r.hybrid ? ' (hybrid)' : ''}, objects: ${objs}`);
    }
    out(`Fields: ${info.fields.length}`);
    for (const f of info.fields) out(`  ${f.name} (${f.type ?? '?'})${f.signed ? ' signed' : ''}${f.locked ? ' locked' : ''}`);
    out(`Signatures: ${info.signatures.length}`);
    for (const s of info.signatures) {
      out(`  ${s.field}: revision ${s.revision ?? '?'}, ${s.type}, ${s.subFilter ?? '?'}${s.certification ? ', certification' : ''}${s.inAcroForm ? '' : ', not in the AcroForm (found on its page)'}${s.name ? `, /Name ${s.name}` : ''}${s.reason ? `, /Reason ${s.reason}` : ''}`);
    }
    for (const w of info.warnings) out(`Warning: ${w}`);
    return 0;
  },
};
