import fc from 'fast-check';

/** One random change to a file. */
export type Mutation =
  | { readonly kind: 'flip'; readonly at: number; readonly xor: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'insert'; readonly at: number; readonly bytes: Uint8Array }
  | { readonly kind: 'duplicate'; readonly from: number; readonly length: number; readonly to: number }
  | { readonly kind: 'remove'; readonly from: number; readonly length: number };

/** Positions as fractions of the file length, so one arbitrary serves files of every size. */
const pos = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/** A mutation with its positions as fractions of the file's length. */
export interface MutationSpec {
  readonly kind: Mutation['kind'];
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly xor: number;
  readonly bytes: Uint8Array;
}

/** Random mutations: byte flips, truncations, insertions, duplicated and removed chunks. */
export const mutationArb: fc.Arbitrary<MutationSpec> = fc.record({
  kind: fc.constantFrom<Mutation['kind']>('flip', 'flip', 'flip', 'truncate', 'insert', 'duplicate', 'remove'),
  a: pos,
  b: pos,
  c: fc.integer({ min: 1, max: 512 }),
  xor: fc.integer({ min: 1, max: 255 }),
  // Mostly PDF-ish tokens, so insertions make syntax the parser has to think about.
  bytes: fc.oneof(
    fc.uint8Array({ minLength: 1, maxLength: 64 }),
    fc.constantFrom('obj', 'endobj', ' 0 R', '<<', '>>', '[', ']', 'stream\n', 'endstream', 'xref\n0 1\n', 'trailer', 'startxref\n0\n%%EOF\n', '/Prev 0', '%%EOF', '(', ')', '<', '>', '99999999999').map((s) => new TextEncoder().encode(s)),
  ),
});

/** Turns the fractions of `m` into a concrete mutation of a file of `length` bytes. */
export function concrete(m: MutationSpec, length: number): Mutation {
  const at = Math.floor(m.a * length);
  switch (m.kind) {
    case 'flip':
      return { kind: 'flip', at, xor: m.xor };
    case 'truncate':
      return { kind: 'truncate', at };
    case 'insert':
      return { kind: 'insert', at, bytes: m.bytes };
    case 'duplicate':
      return { kind: 'duplicate', from: at, length: Math.min(m.c, length - at), to: Math.floor(m.b * length) };
    case 'remove':
      return { kind: 'remove', from: at, length: Math.min(m.c, length - at) };
  }
}

/** Applies a mutation. */
export function mutate(b: Uint8Array, m: Mutation): Uint8Array {
  switch (m.kind) {
    case 'flip': {
      const out = b.slice();
      out[m.at] = out[m.at]! ^ m.xor;
      return out;
    }
    case 'truncate':
      return b.slice(0, m.at);
    case 'insert':
      return join(b.subarray(0, m.at), m.bytes, b.subarray(m.at));
    case 'duplicate':
      return join(b.subarray(0, m.to), b.subarray(m.from, m.from + m.length), b.subarray(m.to));
    case 'remove':
      return join(b.subarray(0, m.from), b.subarray(m.from + m.length));
  }
}

function join(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Whether the bytes that `ranges` of `original` cover are still there, unchanged, in `mutated`. */
export function rangesIntact(original: Uint8Array, mutated: Uint8Array, ranges: readonly number[]): boolean {
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = ranges[i]!;
    const end = start + ranges[i + 1]!;
    if (end > mutated.length) return false;
    for (let k = start; k < end; k++) if (original[k] !== mutated[k]) return false;
  }
  return true;
}

/** fast-check parameters: a fixed seed and a short run in CI; `KYSO_FUZZ_RUNS` / `KYSO_FUZZ_SEED` for longer local runs. */
export function fuzzParams(ciRuns: number): { seed: number; numRuns: number; endOnFailure: boolean } {
  const runs = Number(process.env['KYSO_FUZZ_RUNS'] ?? 0);
  return { seed: Number(process.env['KYSO_FUZZ_SEED'] ?? 20261204), numRuns: runs > 0 ? runs : ciRuns, endOnFailure: true };
}

/** A test timeout that grows with `KYSO_FUZZ_RUNS` (the default 60 s is enough for the CI budget). */
export function fuzzTimeout(msPerRun = 50): number {
  const runs = Number(process.env['KYSO_FUZZ_RUNS'] ?? 0);
  return runs > 0 ? 60_000 + runs * msPerRun : 60_000;
}
