import { PdfError } from '../errors.js';
import { OutputBuffer } from './output-buffer.js';

const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;

/** ASCIIHexDecode (ISO 32000-2 §7.4.2). */
export function asciiHexDecode(data: Uint8Array, limit: number): Uint8Array {
  const out = new OutputBuffer(limit, data.length / 2 + 1);
  let hi = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    if (isWs(c)) continue;
    const v = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
    if (v < 0) throw new PdfError('PDF_BAD_STREAM', 'An ASCIIHexDecode stream has a non-hex character.');
    if (hi < 0) hi = v;
    else {
      out.push((hi << 4) | v);
      hi = -1;
    }
  }
  if (hi >= 0) out.push(hi << 4);
  return out.result();
}

/** ASCII85Decode (ISO 32000-2 §7.4.3). */
export function ascii85Decode(data: Uint8Array, limit: number): Uint8Array {
  const out = new OutputBuffer(limit, data.length);
  let i = 0;
  if (data[0] === 0x3c && data[1] === 0x7e) i = 2;
  const group: number[] = [];
  for (; i < data.length; i++) {
    const c = data[i]!;
    if (c === 0x7e) break;
    if (isWs(c)) continue;
    if (c === 0x7a && group.length === 0) {
      for (let k = 0; k < 4; k++) out.push(0);
      continue;
    }
    if (c < 0x21 || c > 0x75) throw new PdfError('PDF_BAD_STREAM', 'An ASCII85Decode stream has a character outside ! .. u.');
    group.push(c - 0x21);
    if (group.length === 5) {
      const v = group.reduce((acc, d) => acc * 85 + d, 0);
      if (v > 0xffffffff) throw new PdfError('PDF_BAD_STREAM', 'An ASCII85Decode group exceeds 2^32.');
      out.push((v >>> 24) & 0xff);
      out.push((v >>> 16) & 0xff);
      out.push((v >>> 8) & 0xff);
      out.push(v & 0xff);
      group.length = 0;
    }
  }
  if (group.length > 1) {
    const n = group.length - 1;
    while (group.length < 5) group.push(84);
    const v = group.reduce((acc, d) => acc * 85 + d, 0);
    for (let k = 0; k < n; k++) out.push((v >>> (24 - 8 * k)) & 0xff);
  }
  return out.result();
}

/** RunLengthDecode (ISO 32000-2 §7.4.5). */
export function runLengthDecode(data: Uint8Array, limit: number): Uint8Array {
  const out = new OutputBuffer(limit, data.length * 2);
  let i = 0;
  while (i < data.length) {
    const n = data[i++]!;
    if (n === 128) break;
    if (n < 128) {
      const chunk = data.subarray(i, i + n + 1);
      out.append(chunk);
      i += n + 1;
    } else {
      if (i >= data.length) break;
      const b = data[i++]!;
      for (let k = 0; k < 257 - n; k++) out.push(b);
    }
  }
  return out.result();
}

/** LZWDecode (ISO 32000-2 §7.4.4), with /EarlyChange (default 1). */
export function lzwDecode(data: Uint8Array, limit: number, earlyChange = 1): Uint8Array {
  const out = new OutputBuffer(limit, data.length * 3);
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const lengths = new Uint16Array(4096);
  for (let i = 0; i < 256; i++) {
    prefix[i] = -1;
    suffix[i] = i;
    lengths[i] = 1;
  }
  let next = 258;
  let width = 9;
  let prev = -1;
  let bitBuf = 0;
  let bitCount = 0;
  const tmp = new Uint8Array(4096);
  const emit = (code: number): number => {
    // Writes the string for `code` and returns its first byte.
    let len = lengths[code]!;
    let k = code;
    for (let p = len - 1; p >= 0; p--) {
      tmp[p] = suffix[k]!;
      k = prefix[k]!;
    }
    out.append(tmp.subarray(0, len));
    return tmp[0]!;
  };
  for (let i = 0; i < data.length; i++) {
    bitBuf = ((bitBuf << 8) | data[i]!) >>> 0;
    bitCount += 8;
    while (bitCount >= width) {
      const code = (bitBuf >>> (bitCount - width)) & ((1 << width) - 1);
      bitCount -= width;
      bitBuf &= (1 << bitCount) - 1;
      if (code === 256) {
        next = 258;
        width = 9;
        prev = -1;
        continue;
      }
      if (code === 257) return out.result();
      let first: number;
      if (prev < 0) {
        if (code > 255) throw new PdfError('PDF_BAD_STREAM', 'An LZWDecode stream starts with an undefined code.');
        first = emit(code);
      } else if (code < next) {
        first = emit(code);
        if (next < 4096) {
          prefix[next] = prev;
          suffix[next] = first;
          lengths[next] = lengths[prev]! + 1;
          next++;
        }
      } else if (code === next && next < 4096) {
        // KwKwK case: the new string is prev + first byte of prev.
        let k = prev;
        while (prefix[k]! >= 0) k = prefix[k]!;
        prefix[next] = prev;
        suffix[next] = suffix[k]!;
        lengths[next] = lengths[prev]! + 1;
        next++;
        first = emit(code);
      } else {
        throw new PdfError('PDF_BAD_STREAM', 'An LZWDecode stream has an undefined code.');
      }
      void first;
      prev = code;
      if (next + earlyChange >= 1 << width && width < 12) width++;
    }
  }
  return out.result();
}
