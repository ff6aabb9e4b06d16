import { PdfArray, PdfDict, PdfName, PdfNull, PdfRef, PdfStream, PdfString } from '@kyso/pdf';
import type { IncrementalUpdate, PdfObject, PdfPage } from '@kyso/pdf';
import { AppearanceError } from './errors.js';
import type { PageGeometry, PdfRect } from './geometry.js';
import type { PortableGraph, PortableValue } from './portable.js';

/** A portable value as a @kyso/pdf object, graph index `i` becoming `refs[i]`. */
export function toPdfObject(v: PortableValue, refs: readonly PdfRef[]): PdfObject {
  if (v === null) return PdfNull.instance;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  switch (v.kind) {
    case 'name':
      return PdfName.of(v.value);
    case 'ref': {
      const r = refs[v.index];
      if (!r) throw new RangeError(`no reference for graph object ${v.index}`);
      return r;
    }
    case 'string':
      return PdfString.of(v.bytes, v.hex);
    case 'array':
      return PdfArray.of(v.items.map((x) => toPdfObject(x, refs)));
    case 'dict':
      return PdfDict.of(new Map(v.entries.map(([k, x]) => [k, toPdfObject(x, refs)] as const)));
  }
}

/**
 * Copies every object of `graph` into an incremental update under fresh object numbers
 * (`update.allocate()`), references renumbered, and returns the reference of the graph's root
 * (for an appearance: the Form XObject to put in the widget's `/AP << /N ref >>`).
 *
 * @example
 * ```ts
 * const up = doc.beginUpdate();
 * const apRef = copyGraphInto(up, appearance.graph);
 * widget.set('AP', PdfDict.of({ N: apRef }));
 * ```
 */
export function copyGraphInto(update: IncrementalUpdate, graph: PortableGraph): PdfRef {
  const refs = graph.objects.map(() => update.allocate());
  graph.objects.forEach((o, i) => {
    const value = toPdfObject(o.value, refs);
    if (o.stream === undefined) update.set(refs[i]!, value);
    else if (value instanceof PdfDict) update.set(refs[i]!, PdfStream.of(value, o.stream));
    else throw new TypeError('a stream needs a dictionary');
  });
  return refs[graph.root]!;
}

function rect4(a: readonly number[] | undefined): PdfRect | undefined {
  return a && a.length === 4 ? [a[0]!, a[1]!, a[2]!, a[3]!] : undefined;
}

/** The {@link PageGeometry} of a page read with @kyso/pdf (inherited /MediaBox, /CropBox, /Rotate). */
export function pageGeometry(page: PdfPage): PageGeometry {
  const mediaBox = rect4(page.mediaBox);
  if (!mediaBox) {
    throw new AppearanceError('BAD_PLACEMENT', `Page ${page.index + 1} has no usable /MediaBox (ISO 32000-2 §7.7.3.3 requires one); repair the PDF (e.g. qpdf in.pdf out.pdf).`);
  }
  const cropBox = rect4(page.cropBox);
  return { mediaBox, ...(cropBox ? { cropBox } : {}), rotate: page.rotate };
}
