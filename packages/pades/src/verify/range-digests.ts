import type { DigestAlgorithm, DigestEngine, IncrementalDigest } from '@kyso/cms';
import type { ByteAccess } from '../byterange/check.js';
import type { ByteRange } from '../byterange/placeholder.js';
import { hashSourceRange, scratchFor, type RangeSource } from '../sign/digest-ranges.js';

/**
 * The digests of all the /ByteRanges of a document in one pass. Each range starts at byte 0 and
 * most of the file is common to all of them: the file is hashed once from the start, the
 * running hash copied where each signature's first range ends, and only that signature's second
 * range (from after its /Contents to the end of its revision, usually a few KB) is hashed on the
 * copy. A decision with four signatures is hashed about once instead of four times.
 *
 * With an engine whose hashes cannot be copied, each range is hashed on its own, still chunk by
 * chunk from a file. Without an engine {@link RangeDigests.create} returns undefined (WebCrypto's
 * one-shot digest is then the caller's).
 * @internal
 */
export class RangeDigests {
  private readonly done = new Map<string, Promise<Uint8Array>>();

  private constructor(
    private readonly bytes: ByteAccess,
    private readonly engine: DigestEngine,
    /** The ranges to serve, sorted by where their first range ends. */
    private readonly planned: readonly ByteRange[],
    /** Shown the file from byte 0 as the first pass reads it (another search that needs the same bytes). */
    private observe: ((chunk: Uint8Array, start: number) => void) | undefined,
  ) {}

  /**
   * For the `ranges` of a document's signatures; only sound ones (two ranges from 0, inside the
   * file), and only when hashes can be copied, are planned. `observe` is shown, in order, the
   * chunks that the first pass reads (from byte 0 to where the last first range ends).
   */
  static create(bytes: ByteAccess, ranges: readonly unknown[], engine: DigestEngine | undefined, observe?: (chunk: Uint8Array, start: number) => void): RangeDigests | undefined {
    if (!engine) return undefined;
    const planned = engine.create('SHA-256').copy ? ranges.filter((r): r is ByteRange => isSoundRange(r, bytes.length)).sort((x, y) => x[1] - y[1]) : [];
    return new RangeDigests(bytes, engine, planned, observe);
  }

  /** The digest of `range` with `algorithm`; the first call for an algorithm computes every planned range's. */
  digest(range: ByteRange, algorithm: DigestAlgorithm): Promise<Uint8Array> {
    const known = this.done.get(key(range, algorithm));
    if (known) return known;
    if (!this.planned.some((r) => key(r, algorithm) === key(range, algorithm))) return this.single(range, algorithm);
    const pass = this.pass(algorithm);
    for (const [i, r] of this.planned.entries()) this.done.set(key(r, algorithm), pass.then((d) => d[i]!));
    return this.done.get(key(range, algorithm))!;
  }

  /** One pass from byte 0: a copy of the running hash at the end of each first range, finished with its second range. */
  private async pass(algorithm: DigestAlgorithm): Promise<Uint8Array[]> {
    const feed = this.feeder();
    const observe = this.observe;
    this.observe = undefined; // the first pass only
    const running = this.engine.create(algorithm);
    const out: Uint8Array[] = [];
    let at = 0;
    for (const r of this.planned) {
      feed(running, at, r[1], observe);
      at = r[1];
      const fork = running.copy!();
      feed(fork, r[2], r[2] + r[3]);
      out.push(await fork.digest());
    }
    return out;
  }

  private async single(range: ByteRange, algorithm: DigestAlgorithm): Promise<Uint8Array> {
    const feed = this.feeder();
    const h = this.engine.create(algorithm);
    feed(h, range[0], range[0] + range[1]);
    feed(h, range[2], range[2] + range[3]);
    return await h.digest();
  }

  /** Feeds bytes `[start, end)` to a hash (and to `observe`): a view of an array, or a file read in chunks through a buffer of its own. */
  private feeder(): (h: IncrementalDigest, start: number, end: number, observe?: (chunk: Uint8Array, start: number) => void) => void {
    const b = this.bytes;
    if (b instanceof Uint8Array) {
      return (h, start, end, observe) => {
        h.update(b.subarray(start, end));
        observe?.(b.subarray(start, end), start);
      };
    }
    const scratch = scratchFor(b as RangeSource);
    return (h, start, end, observe) => void hashSourceRange(b as RangeSource, start, end, h, scratch, observe);
  }
}

function isSoundRange(r: unknown, size: number): r is ByteRange {
  if (!Array.isArray(r) || r.length !== 4 || !r.every((n) => Number.isSafeInteger(n) && n >= 0)) return false;
  const [a, b, c, d] = r as number[];
  return a === 0 && b! <= c! && c! + d! <= size;
}

const key = (r: ByteRange, algorithm: string) => `${algorithm} ${r.join(' ')}`;
