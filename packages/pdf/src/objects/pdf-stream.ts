import { zlibSync } from 'fflate';
import type { DecodeOptions } from '../filters/decode.js';
import { decodeStreamData } from '../filters/decode.js';
import { PdfDict } from './pdf-dict.js';
import { PdfName } from './pdf-name.js';

/**
 * A PDF stream (ISO 32000-2 §7.3.8): its dictionary and its raw (still encoded) bytes.
 * The writer sets /Length from `raw` itself. `decode()` applies the supported filters
 * (Flate with predictors, LZW, ASCIIHex, ASCII85, RunLength) and stops at the first other one
 * (DCT, JPX, CCITTFax, JBIG2, Crypt), whose data it returns as is.
 */
export class PdfStream {
  readonly dict: PdfDict;
  readonly raw: Uint8Array;
  /** Absolute offset of the first data byte, when parsed from a file. */
  readonly dataOffset: number | undefined;

  private constructor(dict: PdfDict, raw: Uint8Array, dataOffset?: number) {
    this.dict = dict;
    this.raw = raw;
    this.dataOffset = dataOffset;
  }

  /** A stream of already-encoded `raw` bytes described by `dict`. */
  static of(dict: PdfDict, raw: Uint8Array, dataOffset?: number): PdfStream {
    return new PdfStream(dict, raw, dataOffset);
  }

  /** A stream of `data`, Flate-compressed unless `compress` is false (deterministic output). */
  static fromData(data: Uint8Array, dict: PdfDict = PdfDict.of(), options: { compress?: boolean } = {}): PdfStream {
    const d = dict.clone();
    if (options.compress === false) {
      d.delete('Filter');
      return new PdfStream(d, data);
    }
    d.set('Filter', PdfName.of('FlateDecode'));
    return new PdfStream(d, zlibSync(data, { level: 6 }));
  }

  /** The decoded bytes (see the class comment for which filters apply). */
  decode(options?: DecodeOptions): Uint8Array {
    return decodeStreamData(this.dict, this.raw, options).data;
  }

  /** Filters that {@link PdfStream.decode} leaves applied (unsupported ones and all after them). */
  undecodedFilters(options?: DecodeOptions): string[] {
    return decodeStreamData(this.dict, this.raw, options).remainingFilters;
  }
}
