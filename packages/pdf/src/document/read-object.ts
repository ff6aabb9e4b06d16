import { latin1 } from '@kyso/core';
import { PdfError } from '../errors.js';
import { PdfDict } from '../objects/pdf-dict.js';
import type { PdfObject } from '../objects/pdf-object.js';
import { PdfRef } from '../objects/pdf-ref.js';
import { PdfStream } from '../objects/pdf-stream.js';
import { withWindow } from '../parse/parser.js';
import type { Parser } from '../parse/parser.js';
import { isWhite } from '../parse/chars.js';
import type { ByteSource } from '../source/byte-source.js';
import { findForward } from '../source/byte-source.js';

/** An indirect object as read from the file. */
export interface IndirectObject {
  readonly num: number;
  readonly gen: number;
  readonly obj: PdfObject;
  /** Offset of the object's first byte (`num`). */
  readonly start: number;
  /** Offset just after `endobj` (or after the object when `endobj` is missing). */
  readonly end: number;
}

/** What reading an object needs from the document. */
export interface ReadContext {
  readonly maxDepth: number;
  /** Resolves an indirect /Length; undefined when it cannot. */
  resolveLength(ref: PdfRef): number | undefined;
  warn(message: string): void;
}

const ENDSTREAM = latin1('endstream');

/** Reads `num gen obj … endobj` at `offset` (ISO 32000-2 §7.3.10), with stream data (§7.3.8). */
export function readIndirectObject(source: ByteSource, offset: number, ctx: ReadContext): IndirectObject {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= source.length) {
    throw new PdfError('PDF_SYNTAX', `An object offset ${offset} lies outside the file (${source.length} bytes).`, { offset });
  }
  const head = withWindow(source, offset, 4096, ctx.maxDepth, (p: Parser) => {
    const num = p.readInt();
    const gen = p.readInt();
    p.expectKeyword('obj');
    const obj = p.parseObject();
    p.skipWs();
    const save = p.pos;
    const kw = p.readRegular();
    if (kw === 'stream') {
      // §7.3.8.1: `stream` is followed by CRLF or LF; a lone CR is tolerated.
      if (p.peek() === 0x0d) p.pos++;
      if (p.peek() === 0x0a) p.pos++;
      return { num, gen, obj, streamStart: p.abs, end: p.abs };
    }
    if (kw !== 'endobj') p.pos = save;
    return { num, gen, obj, streamStart: -1, end: p.abs };
  });
  if (head.streamStart < 0) return { num: head.num, gen: head.gen, obj: head.obj, start: offset, end: head.end };
  if (!(head.obj instanceof PdfDict)) throw new PdfError('PDF_SYNTAX', `Object ${head.num} has "stream" after something that is not a dictionary.`, { offset });
  const dict = head.obj;
  const dataStart = head.streamStart;
  let length: number | undefined;
  const lenObj = dict.get('Length');
  if (typeof lenObj === 'number') length = lenObj;
  else if (lenObj instanceof PdfRef) length = ctx.resolveLength(lenObj);
  if (length === undefined || !Number.isSafeInteger(length) || length < 0 || dataStart + length > source.length || !endstreamAt(source, dataStart + length)) {
    // A wrong or absurd /Length: find `endstream` instead, as every robust reader does.
    const at = findForward(source, ENDSTREAM, dataStart);
    if (at < 0) throw new PdfError('PDF_SYNTAX', `The stream of object ${head.num} has no "endstream".`, { offset });
    let e = at;
    if (e > dataStart && source.read(e - 1, e)[0] === 0x0a) e--;
    if (e > dataStart && source.read(e - 1, e)[0] === 0x0d) e--;
    ctx.warn(`The stream of object ${head.num} has a wrong /Length (${String(lenObj)}); ${e - dataStart} bytes used up to "endstream".`);
    length = e - dataStart;
  }
  const raw = source.read(dataStart, dataStart + length);
  // Find the end: endstream, then optional endobj.
  const tail = source.read(dataStart + length, Math.min(source.length, dataStart + length + 64));
  let i = 0;
  while (i < tail.length && isWhite(tail[i]!)) i++;
  i += ENDSTREAM.length;
  let j = i;
  while (j < tail.length && isWhite(tail[j]!)) j++;
  if (tail[j] === 0x65 && String.fromCharCode(...tail.subarray(j, j + 6)) === 'endobj') i = j + 6;
  return { num: head.num, gen: head.gen, obj: PdfStream.of(dict, raw, dataStart), start: offset, end: dataStart + length + i };
}

function endstreamAt(source: ByteSource, pos: number): boolean {
  const b = source.read(pos, pos + 48);
  let i = 0;
  while (i < b.length && isWhite(b[i]!)) i++;
  for (let k = 0; k < ENDSTREAM.length; k++) if (b[i + k] !== ENDSTREAM[k]) return false;
  return true;
}

/** Reads just `num gen obj` at `offset`, or undefined when that is not there. */
export function readObjectHeader(source: ByteSource, offset: number): { num: number; gen: number } | undefined {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= source.length) return undefined;
  const b = source.read(offset, offset + 48);
  const m = /^\s*(\d+)\s+(\d+)\s*obj(?![A-Za-z0-9])/.exec(String.fromCharCode(...b));
  return m ? { num: Number(m[1]), gen: Number(m[2]) } : undefined;
}
