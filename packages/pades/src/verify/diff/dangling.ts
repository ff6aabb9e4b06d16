/**
 * Dangling references: an object of an earlier revision that refers to an object number nothing
 * defines yet (a reference to a free or missing object is the null object, ISO 32000-2 §7.3.10).
 * A later update that defines that number changes what the old object shows without touching it —
 * the shadow attacks' way to "hide" content in a signed document and reveal it afterwards.
 * Unchanged old objects are not compared by the diff, so their references are searched here: in
 * the file's bytes before the update and in the object streams in use, each hit kept only when it
 * lies inside an object that is live (its cross-reference entry points there).
 */
import { PdfError, PdfStream, type PdfDocument } from '@kyso/pdf';

const LATIN1 = new TextDecoder('latin1');
const CHUNK = 1 << 20;
const OVERLAP = 64;

/** A live object of revision `r - 1` that refers to one of `targets`. */
export interface DanglingReference {
  /** The referenced (newly defined) object number. */
  readonly target: number;
  /** The old object that refers to it. */
  readonly from: number;
}

/**
 * Finds live objects of `before` (the view of the revision before the update) that refer to any
 * of `targets` (object number → generation), objects that `before` does not define.
 */
export function findDanglingReferences(before: PdfDocument, targets: ReadonlyMap<number, number>): DanglingReference[] {
  if (targets.size === 0) return [];
  const out: DanglingReference[] = [];
  const found = new Set<string>();
  const note = (target: number, from: number) => {
    const k = `${target}>${from}`;
    if (found.has(k)) return;
    found.add(k);
    out.push({ target, from });
  };
  const source = before.source;
  const end = before.revisions[before.revisions.length - 1]!.end;
  // Only references to the targets matter: search for those, then find the object around each hit.
  const alternatives = [...targets.keys()].sort((a, b) => b - a).join('|');
  const refRe = new RegExp(`(?<![0-9])(${alternatives})\\s+(\\d{1,5})\\s+R(?![A-Za-z0-9_])`, 'g');
  for (let start = 0; start < end; start += CHUNK) {
    const stop = Math.min(end, start + CHUNK + OVERLAP);
    const text = LATIN1.decode(source.read(start, stop));
    refRe.lastIndex = 0;
    for (let m = refRe.exec(text); m; m = refRe.exec(text)) {
      // Matches that start in the overlap belong to the next chunk.
      if (m.index >= CHUNK && stop < end) break;
      const num = Number(m[1]);
      if (targets.get(num) !== Number(m[2])) continue;
      const owner = ownerAt(before, start + m.index);
      if (owner !== undefined && owner !== num) note(num, owner);
    }
  }
  // Objects inside object streams (ISO 32000-2 §7.5.7): decode each stream in use.
  const streams = new Set<number>();
  const seen = new Set<number>();
  for (let i = before.revisions.length - 1; i >= 0; i--) {
    for (const n of before.revisions[i]!.objects) {
      if (seen.has(n)) continue;
      seen.add(n);
      const e = before.getXrefEntry(n);
      if (e?.type === 'compressed') streams.add(e.stream);
    }
  }
  const anyRef = /(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+R(?![A-Za-z0-9_])/g;
  for (const sn of streams) {
    let data: Uint8Array;
    let first: number;
    let pairs: [number, number][];
    try {
      const s = before.getObject(sn);
      if (!(s instanceof PdfStream)) continue;
      data = s.decode({ resolver: before });
      first = s.dict.getInt('First', before) ?? 0;
      const head = LATIN1.decode(data.subarray(0, Math.min(first, data.length))).trim().split(/\s+/).map(Number);
      pairs = [];
      for (let i = 0; i + 1 < head.length; i += 2) pairs.push([head[i]!, head[i + 1]!]);
    } catch (e) {
      if (e instanceof PdfError) continue;
      throw e;
    }
    const text = LATIN1.decode(data);
    anyRef.lastIndex = 0;
    for (let m = anyRef.exec(text); m; m = anyRef.exec(text)) {
      const num = Number(m[1]);
      if (targets.get(num) !== Number(m[2])) continue;
      const rel = m.index - first;
      let owner: number | undefined;
      let best = -1;
      for (const [n, off] of pairs) {
        if (off <= rel && off > best) {
          best = off;
          owner = n;
        }
      }
      if (owner === undefined || owner === num) continue;
      const e = before.getXrefEntry(owner);
      if (e?.type === 'compressed' && e.stream === sn) note(num, owner);
    }
  }
  return out;
}

const HEADER = /(?<![0-9])(\d{1,10})\s+(\d{1,5})\s+obj(?![A-Za-z0-9_])|endobj/g;

/**
 * The live object whose bytes contain offset `at`: the last `n g obj` header before it with no
 * `endobj` in between, whose cross-reference entry (in `view`) points there. Looks back at most
 * 16 MiB; undefined when no live object holds the offset (a trailer, a superseded object).
 */
function ownerAt(view: PdfDocument, at: number): number | undefined {
  for (let back = 1 << 16; back <= 1 << 24; back *= 4) {
    const from = Math.max(0, at - back);
    const text = LATIN1.decode(view.source.read(from, at));
    let last: { num: number; at: number } | null = null;
    let closed = false;
    HEADER.lastIndex = 0;
    for (let m = HEADER.exec(text); m; m = HEADER.exec(text)) {
      if (m[0] === 'endobj') closed = true;
      else {
        last = { num: Number(m[1]), at: from + m.index };
        closed = false;
      }
    }
    if (closed) return undefined;
    if (last) {
      const e = view.getXrefEntry(last.num);
      // The xref offset points at the header, or at the whitespace before it.
      return e?.type === 'offset' && e.offset <= last.at && last.at - e.offset < 16 ? last.num : undefined;
    }
    if (from === 0) return undefined;
  }
  return undefined;
}
