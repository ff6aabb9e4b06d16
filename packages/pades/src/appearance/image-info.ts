import { zlibSync } from 'fflate';
import { AppearanceError } from './errors.js';

/** What the appearance needs to know of an image before drawing it. */
export interface ImageInfo {
  readonly format: 'png' | 'jpeg';
  readonly width: number;
  readonly height: number;
  /** Pixels per millimetre from the PNG pHYs chunk (unit = metre) or the JPEG JFIF density, if given. */
  readonly pixelsPerMm?: number;
  /** True for a PNG with an alpha channel or a tRNS chunk (drawn with an SMask). */
  readonly transparent: boolean;
}

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

/** Reads format, size and resolution of PNG or JPEG bytes; anything else throws BAD_IMAGE. */
export function imageInfo(bytes: Uint8Array, what = 'image'): ImageInfo {
  if (bytes.length > 24 && PNG_SIG.every((v, i) => bytes[i] === v)) {
    let o = 8;
    let width = 0;
    let height = 0;
    let colorType = 0;
    let ppm: number | undefined;
    let trns = false;
    while (o + 8 <= bytes.length) {
      const len = u32(bytes, o);
      const type = String.fromCharCode(bytes[o + 4]!, bytes[o + 5]!, bytes[o + 6]!, bytes[o + 7]!);
      const d = o + 8;
      if (type === 'IHDR') {
        width = u32(bytes, d);
        height = u32(bytes, d + 4);
        colorType = bytes[d + 9]!;
      } else if (type === 'pHYs' && bytes[d + 8] === 1) {
        const x = u32(bytes, d);
        if (x > 0) ppm = x / 1000;
      } else if (type === 'tRNS') trns = true;
      else if (type === 'IEND') break;
      o = d + len + 4;
    }
    if (width === 0 || height === 0) throw new AppearanceError('BAD_IMAGE', `The ${what} is a PNG without a valid IHDR chunk; save it again as PNG.`);
    return { format: 'png', width, height, transparent: colorType === 4 || colorType === 6 || trns, ...(ppm ? { pixelsPerMm: ppm } : {}) };
  }
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    let o = 2;
    let ppm: number | undefined;
    while (o + 4 <= bytes.length) {
      if (bytes[o] !== 0xff) break;
      const marker = bytes[o + 1]!;
      const len = (bytes[o + 2]! << 8) | bytes[o + 3]!;
      if (marker === 0xe0 && String.fromCharCode(...bytes.subarray(o + 4, o + 9)) === 'JFIF\0') {
        const unit = bytes[o + 11];
        const xd = (bytes[o + 12]! << 8) | bytes[o + 13]!;
        if (unit === 1 && xd > 0) ppm = xd / 25.4;
        else if (unit === 2 && xd > 0) ppm = xd / 10;
      }
      // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the size.
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        const height = (bytes[o + 5]! << 8) | bytes[o + 6]!;
        const width = (bytes[o + 7]! << 8) | bytes[o + 8]!;
        return { format: 'jpeg', width, height, transparent: false, ...(ppm ? { pixelsPerMm: ppm } : {}) };
      }
      o += 2 + len;
    }
    throw new AppearanceError('BAD_IMAGE', `The ${what} is a JPEG whose size cannot be read; save it again as PNG or baseline JPEG.`);
  }
  throw new AppearanceError('BAD_IMAGE', `The ${what} is neither PNG nor JPEG; give a PNG with a transparent background.`);
}

const CRC_TABLE = (() => {
  let t: Uint32Array | undefined;
  return () => {
    if (t) return t;
    t = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      t[n] = c >>> 0;
    }
    return t;
  };
})();

function crc32(parts: readonly Uint8Array[]): number {
  const t = CRC_TABLE();
  let c = 0xffffffff;
  for (const p of parts) for (const b of p) c = t[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, data.length);
  const tb = new Uint8Array([...type].map((c) => c.charCodeAt(0)));
  out.set(tb, 4);
  out.set(data, 8);
  dv.setUint32(8 + data.length, crc32([tb, data]));
  return out;
}

/**
 * Encodes 8-bit RGBA pixels (row-major, 4 bytes a pixel) as a PNG, with a pHYs chunk when
 * `pixelsPerMm` is given so that the image has a physical size (e.g. a 36 mm seal). Used to
 * make the sample signature and seal images; deterministic output.
 */
export function encodePng(rgba: Uint8Array, width: number, height: number, options: { pixelsPerMm?: number } = {}): Uint8Array {
  if (rgba.length !== width * height * 4) throw new RangeError(`expected ${width * height * 4} bytes of RGBA, got ${rgba.length}`);
  const raw = new Uint8Array((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0; // filter type None
    raw.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width);
  dv.setUint32(4, height);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, adaptive filtering, no interlace
  const parts = [new Uint8Array(PNG_SIG), chunk('IHDR', ihdr)];
  if (options.pixelsPerMm) {
    const phys = new Uint8Array(9);
    const pd = new DataView(phys.buffer);
    const ppm = Math.round(options.pixelsPerMm * 1000);
    pd.setUint32(0, ppm);
    pd.setUint32(4, ppm);
    phys[8] = 1; // unit: metre
    parts.push(chunk('pHYs', phys));
  }
  parts.push(chunk('IDAT', zlibSync(raw, { level: 9 })), chunk('IEND', new Uint8Array(0)));
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
