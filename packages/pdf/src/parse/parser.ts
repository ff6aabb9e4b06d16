import { PdfError } from '../errors.js';
import { PdfArray } from '../objects/pdf-array.js';
import { PdfDict } from '../objects/pdf-dict.js';
import { PdfName } from '../objects/pdf-name.js';
import { PdfNull } from '../objects/pdf-null.js';
import type { PdfObject } from '../objects/pdf-object.js';
import { PdfRef } from '../objects/pdf-ref.js';
import { PdfString } from '../objects/pdf-string.js';
import type { ByteSource } from '../source/byte-source.js';
import { decodeHexDigits, HEX_DIGIT, isDelimiter, isDigit, isRegular, isWhite } from './chars.js';

/** Thrown inside the parser when its window ends before the source does; the caller reads more. */
export class NeedMoreData extends Error {}
const NEED_MORE = new NeedMoreData('need more data');

/** Default limit on the nesting of arrays and dictionaries. */
export const DEFAULT_MAX_DEPTH = 100;

/**
 * A recursive-descent parser of PDF objects (ISO 32000-2 §7.3) over a window of bytes.
 * `base` is the absolute offset of `buf[0]` (or -1 inside an object stream, where no spans are
 * recorded); `complete` says whether the window reaches the end of the data.
 */
export class Parser {
  pos = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly base: number,
    readonly complete: boolean,
    readonly maxDepth: number = DEFAULT_MAX_DEPTH,
  ) {}

  /** Absolute offset of the cursor (or the window index inside an object stream). */
  get abs(): number {
    return (this.base < 0 ? 0 : this.base) + this.pos;
  }

  private span(start: number): { start: number; end: number } | undefined {
    return this.base < 0 ? undefined : { start: this.base + start, end: this.base + this.pos };
  }

  fail(message: string): never {
    throw new PdfError('PDF_SYNTAX', `${message} at byte ${this.abs}.`, this.base < 0 ? undefined : { offset: this.abs });
  }

  /** The byte at the cursor, or -1 at the end of complete data. */
  peek(): number {
    if (this.pos < this.buf.length) return this.buf[this.pos]!;
    if (!this.complete) throw NEED_MORE;
    return -1;
  }

  atEnd(): boolean {
    return this.peek() < 0;
  }

  /** Skips white-space and comments. */
  skipWs(): void {
    for (;;) {
      const c = this.peek();
      if (c < 0) return;
      if (isWhite(c)) this.pos++;
      else if (c === 0x25) {
        while (this.pos < this.buf.length && this.buf[this.pos] !== 0x0a && this.buf[this.pos] !== 0x0d) this.pos++;
        if (this.pos >= this.buf.length && !this.complete) throw NEED_MORE;
      } else return;
    }
  }

  /** Reads a run of regular characters (a keyword or number). */
  readRegular(): string {
    const start = this.pos;
    while (this.pos < this.buf.length && isRegular(this.buf[this.pos]!)) this.pos++;
    if (this.pos >= this.buf.length && !this.complete) throw NEED_MORE;
    let s = '';
    for (let i = start; i < this.pos; i++) s += String.fromCharCode(this.buf[i]!);
    return s;
  }

  /** Skips white-space, then reads a keyword/number token ('' at a delimiter or end). */
  token(): string {
    this.skipWs();
    return this.readRegular();
  }

  /** Reads the token and checks it is `keyword`. */
  expectKeyword(keyword: string): void {
    const t = this.token();
    if (t !== keyword) this.fail(`Expected "${keyword}" but found "${t.slice(0, 20)}"`);
  }

  /** Reads a non-negative integer token, or fails. */
  readInt(): number {
    const t = this.token();
    if (!/^\d+$/.test(t)) this.fail(`Expected an integer but found "${t.slice(0, 20)}"`);
    return Number(t);
  }

  /** Parses one object at the cursor. */
  parseObject(depth = 0): PdfObject {
    if (depth > this.maxDepth) {
      throw new PdfError('PDF_TOO_DEEP', `Objects nest deeper than ${this.maxDepth} levels at byte ${this.abs}; the file is malformed or hostile.`);
    }
    this.skipWs();
    const start = this.pos;
    const c = this.peek();
    switch (c) {
      case -1:
        return this.fail('Unexpected end of data where an object was expected');
      case 0x2f: // '/'
        this.pos++;
        return PdfName.of(this.readNameBody());
      case 0x28: // '('
        return this.parseLiteralString();
      case 0x3c: // '<'
        this.pos++;
        if (this.peek() === 0x3c) {
          this.pos++;
          return this.parseDictBody(start, depth);
        }
        return this.parseHexString(start);
      case 0x5b: {
        this.pos++;
        const items: PdfObject[] = [];
        for (;;) {
          this.skipWs();
          const d = this.peek();
          if (d === 0x5d) {
            this.pos++;
            return PdfArray.of(items, this.span(start));
          }
          if (d < 0) this.fail('Unterminated array');
          items.push(this.parseObject(depth + 1));
        }
      }
      default:
        break;
    }
    if (isDelimiter(c)) {
      this.pos++;
      this.fail(`Unexpected "${String.fromCharCode(c)}"`);
    }
    const tok = this.readRegular();
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (tok === 'null') return PdfNull.instance;
    const n = parseNumber(tok);
    if (n === undefined) {
      this.pos = start;
      this.fail(`Unexpected keyword "${tok.slice(0, 20)}"`);
    }
    if (/^\d+$/.test(tok)) {
      // An integer may start `num gen R` (§7.3.10).
      const save = this.pos;
      this.skipWs();
      if (isDigit(this.peek())) {
        const gen = this.readRegular();
        if (/^\d+$/.test(gen)) {
          this.skipWs();
          if (this.peek() === 0x52) {
            this.pos++;
            const after = this.peek();
            if (after < 0 || !isRegular(after)) return PdfRef.of(n, Number(gen));
          }
        }
      }
      this.pos = save;
    }
    return n;
  }

  private readNameBody(): string {
    let s = '';
    for (;;) {
      if (this.pos >= this.buf.length) {
        if (!this.complete) throw NEED_MORE;
        return s;
      }
      const c = this.buf[this.pos]!;
      if (!isRegular(c)) return s;
      this.pos++;
      if (c === 0x23 && this.pos + 1 < this.buf.length && isHex(this.buf[this.pos]!) && isHex(this.buf[this.pos + 1]!)) {
        s += String.fromCharCode(parseInt(String.fromCharCode(this.buf[this.pos]!, this.buf[this.pos + 1]!), 16));
        this.pos += 2;
      } else s += String.fromCharCode(c);
    }
  }

  private parseDictBody(start: number, depth: number): PdfDict {
    const map = new Map<string, PdfObject>();
    for (;;) {
      this.skipWs();
      const c = this.peek();
      if (c === 0x3e) {
        this.pos++;
        if (this.peek() !== 0x3e) this.fail('Expected ">>"');
        this.pos++;
        return PdfDict.of(map, this.span(start));
      }
      if (c !== 0x2f) {
        if (c < 0) this.fail('Unterminated dictionary');
        this.fail('Expected a name as dictionary key');
      }
      this.pos++;
      const key = this.readNameBody();
      this.skipWs();
      const d = this.peek();
      if (d === 0x3e || d === 0x2f) {
        // A key without a value: tolerated as null, as most readers do.
        if (d === 0x2f) {
          map.set(key, this.parseObject(depth + 1));
          continue;
        }
        map.set(key, PdfNull.instance);
        continue;
      }
      map.set(key, this.parseObject(depth + 1));
    }
  }

  private parseLiteralString(): PdfString {
    const start = this.pos;
    this.pos++;
    const out: number[] = [];
    let nest = 1;
    for (;;) {
      const c = this.peek();
      if (c < 0) this.fail('Unterminated string');
      this.pos++;
      if (c === 0x5c) {
        const e = this.peek();
        if (e < 0) this.fail('Unterminated string');
        this.pos++;
        switch (e) {
          case 0x6e: out.push(0x0a); break;
          case 0x72: out.push(0x0d); break;
          case 0x74: out.push(0x09); break;
          case 0x62: out.push(0x08); break;
          case 0x66: out.push(0x0c); break;
          case 0x0d:
            if (this.peek() === 0x0a) this.pos++;
            break;
          case 0x0a:
            break;
          default:
            if (e >= 0x30 && e <= 0x37) {
              let v = e - 0x30;
              for (let k = 0; k < 2; k++) {
                const d = this.peek();
                if (d >= 0x30 && d <= 0x37) {
                  v = v * 8 + d - 0x30;
                  this.pos++;
                } else break;
              }
              out.push(v & 0xff);
            } else out.push(e);
        }
      } else if (c === 0x28) {
        nest++;
        out.push(c);
      } else if (c === 0x29) {
        if (--nest === 0) return PdfString.of(Uint8Array.from(out), false, this.span(start));
        out.push(c);
      } else if (c === 0x0d) {
        // §7.3.4.2: an unescaped end-of-line is read as a line feed.
        if (this.peek() === 0x0a) this.pos++;
        out.push(0x0a);
      } else out.push(c);
    }
  }

  private parseHexString(start: number): PdfString {
    const end = this.buf.indexOf(0x3e, this.pos);
    if (end < 0) {
      if (!this.complete) throw NEED_MORE;
      this.fail('Unterminated hex string');
    }
    const out = decodeHexDigits(this.buf, this.pos, end);
    if (typeof out === 'number') {
      this.pos = out;
      this.fail('Bad character in hex string');
    }
    this.pos = end + 1;
    return PdfString.of(out, true, this.span(start));
  }
}

function isHex(c: number): boolean {
  return HEX_DIGIT[c]! >= 0;
}

/** A numeric token's value (§7.3.3), tolerating doubled signs as common readers do; undefined if not a number. */
export function parseNumber(tok: string): number | undefined {
  if (!/^[+-]*(\d+\.?\d*|\.\d+)$/.test(tok)) return undefined;
  const neg = (tok.match(/^[+-]*/)?.[0] ?? '').includes('-');
  const v = Number(tok.replace(/^[+-]*/, ''));
  return Number.isFinite(v) ? (neg ? -v : v) : undefined;
}

/**
 * Parses with a window that grows until the object fits: `fn` gets a parser over
 * `[offset, offset + size)`; a {@link NeedMoreData} makes it retry with a larger window.
 */
export function withWindow<T>(source: ByteSource, offset: number, initial: number, maxDepth: number, fn: (p: Parser) => T): T {
  let size = source.inMemory ? source.length - offset : initial;
  for (;;) {
    const end = Math.min(source.length, offset + size);
    const p = new Parser(source.read(offset, end), offset, end >= source.length, maxDepth);
    try {
      return fn(p);
    } catch (e) {
      if (e instanceof NeedMoreData && end < source.length) {
        size *= 4;
        continue;
      }
      if (e instanceof NeedMoreData) throw new PdfError('PDF_SYNTAX', `Unexpected end of file in the object at byte ${offset}.`, { offset });
      throw e;
    }
  }
}
