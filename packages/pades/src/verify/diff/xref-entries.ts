import type { XrefEntry } from '@kyso/pdf';

/** Whether two cross-reference entries locate the same object the same way. */
export function sameEntry(a: XrefEntry | undefined, b: XrefEntry | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.type !== b.type) return false;
  if (a.type === 'free') return b.type === 'free' && a.gen === b.gen;
  if (a.type === 'offset') return b.type === 'offset' && a.offset === b.offset && a.gen === b.gen;
  return b.type === 'compressed' && a.stream === b.stream && a.index === b.index;
}

/**
 * Whether `before` and `after` (two revision views) read object `eb`/`ea` from the same bytes:
 * the same entry, and for an object in an object stream, the same object stream too (a stream
 * number redefined in a later revision gives the same entry other contents).
 */
export function sameLocation(before: { getXrefEntry(num: number): XrefEntry | undefined }, after: { getXrefEntry(num: number): XrefEntry | undefined }, eb: XrefEntry | undefined, ea: XrefEntry | undefined): boolean {
  if (!sameEntry(eb, ea)) return false;
  if (ea?.type !== 'compressed') return true;
  return sameEntry(before.getXrefEntry(ea.stream), after.getXrefEntry(ea.stream));
}
