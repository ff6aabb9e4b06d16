import type { XrefEntry } from '@kyso/pdf';

/** Whether two cross-reference entries locate the same object the same way. */
export function sameEntry(a: XrefEntry | undefined, b: XrefEntry | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.type !== b.type) return false;
  if (a.type === 'free') return b.type === 'free' && a.gen === b.gen;
  if (a.type === 'offset') return b.type === 'offset' && a.offset === b.offset && a.gen === b.gen;
  return b.type === 'compressed' && a.stream === b.stream && a.index === b.index;
}
