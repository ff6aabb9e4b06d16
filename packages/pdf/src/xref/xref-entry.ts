import type { PdfDict } from '../objects/pdf-dict.js';

/** One cross-reference entry (ISO 32000-2 §7.5.4 and §7.5.8.3, Table 18). */
export type XrefEntry =
  | { readonly type: 'free'; readonly gen: number }
  | { readonly type: 'offset'; readonly offset: number; readonly gen: number }
  | { readonly type: 'compressed'; readonly stream: number; readonly index: number };

/** The kind of a cross-reference section: a classic table (§7.5.4) or a stream (§7.5.8). */
export type XrefKind = 'table' | 'stream';

/** One parsed cross-reference section with its trailer. */
export interface XrefSection {
  /** Offset of the `xref` keyword or of the xref stream object. */
  readonly offset: number;
  readonly kind: XrefKind;
  /** The trailer dictionary (for a stream: the stream's dictionary). */
  readonly trailer: PdfDict;
  /** Entries of this section (merged with its /XRefStm stream for hybrid files). */
  readonly entries: Map<number, XrefEntry>;
  /** Offset just after the `%%EOF` line that ends this section (incl. its EOL), or after the trailer when none. */
  readonly end: number;
  /** Offset of the /XRefStm stream of a hybrid-reference file (§7.5.8.4). */
  readonly hybridStreamOffset: number | undefined;
}
