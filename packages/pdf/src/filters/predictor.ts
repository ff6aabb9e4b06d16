import { PdfError } from '../errors.js';

/** Parameters of the PNG/TIFF predictors (ISO 32000-2 §7.4.4.4, Table 8). */
export interface PredictorParams {
  predictor: number;
  colors: number;
  bitsPerComponent: number;
  columns: number;
}

/** Undoes a TIFF (2) or PNG (10-15) predictor. */
export function unpredict(data: Uint8Array, p: PredictorParams): Uint8Array {
  if (p.predictor <= 1) return data;
  const { colors, bitsPerComponent: bpc, columns } = p;
  if (![1, 2, 4, 8, 16].includes(bpc) || colors < 1 || colors > 32 || columns < 1 || columns > 1 << 24) {
    throw new PdfError('PDF_BAD_STREAM', `Unsupported predictor parameters (Colors ${colors}, BitsPerComponent ${bpc}, Columns ${columns}).`);
  }
  const rowBytes = Math.ceil((colors * bpc * columns) / 8);
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  if (p.predictor === 2) return tiff(data, rowBytes, colors, bpc, columns);
  if (p.predictor < 10) throw new PdfError('PDF_BAD_STREAM', `Unknown predictor ${p.predictor}.`);
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  let prev = new Uint8Array(rowBytes);
  for (let r = 0; r < rows; r++) {
    const src = r * (rowBytes + 1);
    const type = data[src]!;
    const row = out.subarray(r * rowBytes, (r + 1) * rowBytes);
    for (let i = 0; i < rowBytes; i++) {
      const x = data[src + 1 + i]!;
      const a = i >= bpp ? row[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0: v = x; break;
        case 1: v = x + a; break;
        case 2: v = x + b; break;
        case 3: v = x + ((a + b) >> 1); break;
        case 4: {
          const pp = a + b - c;
          const pa = Math.abs(pp - a), pb = Math.abs(pp - b), pc = Math.abs(pp - c);
          v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new PdfError('PDF_BAD_STREAM', `Unknown PNG predictor row type ${type}.`);
      }
      row[i] = v & 0xff;
    }
    prev = row;
  }
  return out;
}

function tiff(data: Uint8Array, rowBytes: number, colors: number, bpc: number, columns: number): Uint8Array {
  const out = data.slice(0, Math.floor(data.length / rowBytes) * rowBytes);
  for (let r = 0; r + rowBytes <= out.length; r += rowBytes) {
    if (bpc === 8) {
      for (let i = colors; i < rowBytes; i++) out[r + i] = (out[r + i]! + out[r + i - colors]!) & 0xff;
    } else if (bpc === 16) {
      for (let i = colors * 2; i + 1 < rowBytes; i += 2) {
        const v = ((out[r + i]! << 8) | out[r + i + 1]!) + ((out[r + i - colors * 2]! << 8) | out[r + i - colors * 2 + 1]!);
        out[r + i] = (v >> 8) & 0xff;
        out[r + i + 1] = v & 0xff;
      }
    } else {
      // Sub-byte samples: add each sample to the one `colors` samples before it.
      const mask = (1 << bpc) - 1;
      const get = (k: number) => (out[r + ((k * bpc) >> 3)]! >> (8 - bpc - ((k * bpc) & 7))) & mask;
      const put = (k: number, v: number) => {
        const byte = r + ((k * bpc) >> 3);
        const shift = 8 - bpc - ((k * bpc) & 7);
        out[byte] = (out[byte]! & ~(mask << shift)) | ((v & mask) << shift);
      };
      for (let k = colors; k < colors * columns; k++) put(k, get(k) + get(k - colors));
    }
  }
  return out;
}
