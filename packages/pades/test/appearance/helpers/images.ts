import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzlibSync } from 'fflate';

/** Fails (never skips) when a poppler tool is missing, saying what to install. */
export function requirePoppler(tool: 'pdftoppm' | 'pdftotext' | 'pdffonts'): void {
  const r = spawnSync('sh', ['-c', `command -v ${tool}`]);
  if (r.status !== 0) throw new Error(`${tool} is missing: install it with apt-get install poppler-utils`);
}

/** An 8-bit RGB image. */
export interface Rgb {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/**
 * A small PNG decoder for what pdftoppm writes and what the references are: 8-bit gray, RGB or
 * RGBA (composited on white), non-interlaced, all five filter types (PNG spec §9).
 */
export function decodePng(png: Uint8Array): Rgb {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  let o = 8;
  let width = 0;
  let height = 0;
  let colorType = 0;
  const idat: Uint8Array[] = [];
  while (o < png.length) {
    const len = dv.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    const body = png.subarray(o + 8, o + 8 + len);
    if (type === 'IHDR') {
      width = dv.getUint32(o + 8);
      height = dv.getUint32(o + 12);
      if (png[o + 16] !== 8) throw new Error('decodePng: only 8-bit PNGs');
      colorType = png[o + 17]!;
      if (png[o + 20] !== 0) throw new Error('decodePng: interlaced PNGs are not supported');
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    o += 12 + len;
  }
  const channels = colorType === 0 ? 1 : colorType === 2 ? 3 : colorType === 4 ? 2 : colorType === 6 ? 4 : 0;
  if (!channels) throw new Error(`decodePng: colour type ${colorType} is not supported`);
  const total = idat.reduce((n, b) => n + b.length, 0);
  const z = new Uint8Array(total);
  let p = 0;
  for (const b of idat) {
    z.set(b, p);
    p += b.length;
  }
  const raw = unzlibSync(z);
  const stride = width * channels;
  const px = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? px[y * stride + x - channels]! : 0;
      const b = y > 0 ? px[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? px[(y - 1) * stride + x - channels]! : 0;
      let v = line[x]!;
      if (f === 1) v += a;
      else if (f === 2) v += b;
      else if (f === 3) v += (a + b) >> 1;
      else if (f === 4) {
        const pp = a + b - c;
        const pa = Math.abs(pp - a);
        const pb = Math.abs(pp - b);
        const pc = Math.abs(pp - c);
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      px[y * stride + x] = v & 0xff;
    }
  }
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    if (channels >= 3) {
      const alpha = channels === 4 ? px[i * 4 + 3]! / 255 : 1;
      for (let k = 0; k < 3; k++) data[i * 3 + k] = Math.round(px[i * channels + k]! * alpha + 255 * (1 - alpha));
    } else {
      const alpha = channels === 2 ? px[i * 2 + 1]! / 255 : 1;
      const g = Math.round(px[i * channels]! * alpha + 255 * (1 - alpha));
      data[i * 3] = data[i * 3 + 1] = data[i * 3 + 2] = g;
    }
  }
  return { width, height, data };
}

/** How two renders differ: share of pixels whose largest channel difference exceeds `threshold`. */
export interface ImageDiff {
  readonly sameSize: boolean;
  readonly differentPixels: number;
  readonly share: number;
  readonly meanAbsDiff: number;
}

/** Per-pixel comparison of two images of the same size. */
export function diffImages(a: Rgb, b: Rgb, threshold = 64): ImageDiff {
  if (a.width !== b.width || a.height !== b.height) return { sameSize: false, differentPixels: Infinity, share: 1, meanAbsDiff: 255 };
  let diff = 0;
  let sum = 0;
  const n = a.width * a.height;
  for (let i = 0; i < n; i++) {
    let m = 0;
    for (let k = 0; k < 3; k++) {
      const d = Math.abs(a.data[i * 3 + k]! - b.data[i * 3 + k]!);
      sum += d;
      if (d > m) m = d;
    }
    if (m > threshold) diff++;
  }
  return { sameSize: true, differentPixels: diff, share: diff / n, meanAbsDiff: sum / (n * 3) };
}

/** The bounding box of pixels darker than `level` (on any channel), or undefined when all is white. */
export function inkBox(img: Rgb, level = 200): { x1: number; y1: number; x2: number; y2: number } | undefined {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -1;
  let y2 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const i = (y * img.width + x) * 3;
      if (img.data[i]! < level || img.data[i + 1]! < level || img.data[i + 2]! < level) {
        x1 = Math.min(x1, x);
        y1 = Math.min(y1, y);
        x2 = Math.max(x2, x);
        y2 = Math.max(y2, y);
      }
    }
  }
  return x2 < 0 ? undefined : { x1, y1, x2, y2 };
}

/** Runs a poppler tool on PDF bytes (written to a temp file) and returns its stdout. */
export function popplerOn(tool: 'pdftotext' | 'pdffonts', pdf: Uint8Array, args: readonly string[] = []): string {
  requirePoppler(tool);
  const dir = mkdtempSync(join(tmpdir(), 'kyso-ap-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const out = tool === 'pdftotext' ? [join(dir, 'in.pdf'), '-'] : [join(dir, 'in.pdf')];
    return execFileSync(tool, [...args, ...out], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Renders page 1 of a PDF (optionally a pixel crop) to an RGB image with pdftoppm. */
export function renderPage(pdf: Uint8Array, dpi: number, crop?: readonly [number, number, number, number], page = 1): { png: Uint8Array; image: Rgb } {
  requirePoppler('pdftoppm');
  const dir = mkdtempSync(join(tmpdir(), 'kyso-ap-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const args = ['-png', '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile'];
    if (crop) args.push('-x', String(crop[0]), '-y', String(crop[1]), '-W', String(crop[2]), '-H', String(crop[3]));
    execFileSync('pdftoppm', [...args, join(dir, 'in.pdf'), join(dir, 'out')]);
    const png = new Uint8Array(readFileSync(join(dir, 'out.png')));
    return { png, image: decodePng(png) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
