import { PdfArray } from '../objects/pdf-array.js';
import { PdfDict } from '../objects/pdf-dict.js';
import { PdfName } from '../objects/pdf-name.js';
import type { PdfObject, PdfResolver } from '../objects/pdf-object.js';
import { flateDecode } from './flate.js';
import { unpredict } from './predictor.js';
import { ascii85Decode, asciiHexDecode, lzwDecode, runLengthDecode } from './simple.js';

/** Options of stream decoding. */
export interface DecodeOptions {
  /** Most bytes one stream may decode to (default 256 MiB). */
  maxDecodedSize?: number;
  /** Resolves indirect /Filter or /DecodeParms entries. */
  resolver?: PdfResolver;
}

/** Default cap on one stream's decoded size. */
export const DEFAULT_MAX_DECODED_SIZE = 256 * 1024 * 1024;

const ALIASES: Record<string, string> = {
  Fl: 'FlateDecode', LZW: 'LZWDecode', AHx: 'ASCIIHexDecode', A85: 'ASCII85Decode', RL: 'RunLengthDecode',
  CCF: 'CCITTFaxDecode', DCT: 'DCTDecode',
};

/**
 * Applies a stream's filters in order (ISO 32000-2 §7.4) until one is not supported; returns the
 * data and the filters left applied.
 */
export function decodeStreamData(dict: PdfDict, raw: Uint8Array, options: DecodeOptions = {}): { data: Uint8Array; remainingFilters: string[] } {
  const limit = options.maxDecodedSize ?? DEFAULT_MAX_DECODED_SIZE;
  const r = options.resolver;
  const filterObj = dict.get('Filter', r);
  const parmsObj = dict.get('DecodeParms', r) ?? dict.get('DP', r);
  const filters = filterObj instanceof PdfName ? [filterObj.value] : filterObj instanceof PdfArray ? filterObj.items.map((f) => (r ? r.resolve(f) : f)).map((f) => (f instanceof PdfName ? f.value : '?')) : [];
  const parmsAt = (i: number): PdfDict | undefined => {
    const p: PdfObject | undefined = parmsObj instanceof PdfArray ? parmsObj.get(i, r) : i === 0 ? parmsObj : undefined;
    return p instanceof PdfDict ? p : undefined;
  };
  let data = raw;
  for (let i = 0; i < filters.length; i++) {
    const name = ALIASES[filters[i]!] ?? filters[i]!;
    const parms = parmsAt(i);
    switch (name) {
      case 'FlateDecode':
        data = predict(flateDecode(data, limit), parms, r);
        break;
      case 'LZWDecode':
        data = predict(lzwDecode(data, limit, parms?.getInt('EarlyChange', r) ?? 1), parms, r);
        break;
      case 'ASCIIHexDecode':
        data = asciiHexDecode(data, limit);
        break;
      case 'ASCII85Decode':
        data = ascii85Decode(data, limit);
        break;
      case 'RunLengthDecode':
        data = runLengthDecode(data, limit);
        break;
      default:
        return { data, remainingFilters: filters.slice(i).map((f) => ALIASES[f] ?? f) };
    }
  }
  return { data, remainingFilters: [] };
}

function predict(data: Uint8Array, parms: PdfDict | undefined, r: PdfResolver | undefined): Uint8Array {
  const predictor = parms?.getInt('Predictor', r) ?? 1;
  if (!parms || predictor <= 1) return data;
  return unpredict(data, {
    predictor,
    colors: parms.getInt('Colors', r) ?? 1,
    bitsPerComponent: parms.getInt('BitsPerComponent', r) ?? 8,
    columns: parms.getInt('Columns', r) ?? 1,
  });
}
