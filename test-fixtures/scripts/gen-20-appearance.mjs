// Generates the sample signature and seal images of @kyso/pades (packages/pades/assets/samples/),
// the default layouts as JSON (packages/pades/assets/templates/) and the reference renders of the visible-signature layouts (test-fixtures/appearance/*.png).
// Run after `pnpm build`: node test-fixtures/scripts/gen-20-appearance.mjs [--samples-only]
// Needs poppler-utils (pdftoppm). Reproducible: the same inputs give the same bytes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(join(root, 'packages/pades/package.json'));
const pdfLib = await import(require.resolve('pdf-lib'));
const { PDFDocument, rgb, LineCapStyle, degrees } = pdfLib;
const fontkit = (await import(require.resolve('@pdf-lib/fontkit'))).default;
const appearance = await import(join(root, 'packages/pades/dist/appearance/index.js'));
const pdf = await import(require.resolve('@kyso/pdf'));
const samplesDir = join(root, 'packages/pades/assets/samples');

/** Renders one-page PDF bytes with pdftoppm and returns RGB pixels. */
function renderPpm(pdf, dpi) {
  const dir = mkdtempSync(join(tmpdir(), 'kyso-gen-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    execFileSync('pdftoppm', ['-r', String(dpi), '-singlefile', join(dir, 'in.pdf'), join(dir, 'out')]);
    const ppm = readFileSync(join(dir, 'out.ppm'));
    // P6\n<w> <h>\n255\n<data>
    let pos = 0;
    const tokens = [];
    while (tokens.length < 4) {
      while (/\s/.test(String.fromCharCode(ppm[pos]))) pos++;
      let t = '';
      while (!/\s/.test(String.fromCharCode(ppm[pos]))) t += String.fromCharCode(ppm[pos++]);
      tokens.push(t);
    }
    pos++;
    const [, w, h] = tokens.map((t, i) => (i === 0 ? t : Number(t)));
    return { width: w, height: h, rgb: new Uint8Array(ppm.buffer, ppm.byteOffset + pos, w * h * 3) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A render on white → ink of one colour with alpha from how far the pixel is from white. */
function inkToRgba({ width, height, rgb: px }, ink, channel) {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = px[i * 3 + channel];
    const a = Math.max(0, Math.min(1, (255 - v) / (255 - ink[channel])));
    out[i * 4] = ink[0];
    out[i * 4 + 1] = ink[1];
    out[i * 4 + 2] = ink[2];
    out[i * 4 + 3] = Math.round(a * 255);
  }
  return out;
}

/** A handwritten-like signature: one pen stroke of varying pressure, and a flourish under it. */
async function makeSignature() {
  const W = 300;
  const H = 120;
  const doc = await PDFDocument.create();
  const page = doc.addPage([W, H]);
  const ink = rgb(0.05, 0.15, 0.62);
  const stroke = (pts, base) => {
    for (let i = 1; i < pts.length; i++) {
      const [x0, y0] = pts[i - 1];
      const [x1, y1, p] = pts[i];
      page.drawLine({ start: { x: x0, y: y0 }, end: { x: x1, y: y1 }, thickness: base * p, color: ink, lineCap: LineCapStyle.Round });
    }
  };
  // Catmull-Rom splines through hand-placed points; downstrokes are drawn heavier, like a pen.
  const spline = (ctrl, steps = 14) => {
    const pts = [];
    for (let i = 0; i < ctrl.length - 1; i++) {
      const p0 = ctrl[Math.max(0, i - 1)];
      const p1 = ctrl[i];
      const p2 = ctrl[i + 1];
      const p3 = ctrl[Math.min(ctrl.length - 1, i + 2)];
      for (let k = i === 0 ? 0 : 1; k <= steps; k++) {
        const t = k / steps;
        const t2 = t * t;
        const t3 = t2 * t;
        const c = (a, b, cc, d) => 0.5 * (2 * b + (-a + cc) * t + (2 * a - 5 * b + 4 * cc - d) * t2 + (-a + 3 * b - 3 * cc + d) * t3);
        pts.push([c(p0[0], p1[0], p2[0], p3[0]), c(p0[1], p1[1], p2[1], p3[1])]);
      }
    }
    return pts.map((p, i) => {
      const q = pts[Math.max(0, i - 1)];
      const dx = p[0] - q[0];
      const dy = p[1] - q[1];
      const len = Math.hypot(dx, dy) || 1;
      return [p[0], p[1], 0.5 + 0.5 * Math.max(0, -dy / len)];
    });
  };
  // "N": up, down, up
  stroke(spline([[26, 34], [30, 62], [36, 98], [40, 72], [50, 40], [58, 70], [64, 102], [66, 88], [70, 60],
    // "guyễn": small humps and a loop below the line
    [76, 52], [82, 66], [86, 54], [92, 50], [96, 64], [101, 52], [106, 48], [110, 60], [114, 44], [112, 22], [106, 18], [108, 34], [118, 56],
    [126, 64], [132, 52], [138, 50], [142, 62], [148, 54],
    // "Ắng": a tall loop, a hump, a final rising stroke
    [156, 50], [166, 96], [170, 106], [164, 96], [172, 56], [182, 52], [188, 66], [194, 54], [204, 52], [212, 62], [216, 52], [214, 30], [208, 26], [212, 40], [226, 60], [246, 78]]), 2.5);
  // the accent over the Ắ
  stroke(spline([[176, 112], [184, 118], [190, 114]], 10), 1.8);
  // a flourish that sweeps back under the name
  stroke(spline([[250, 82], [236, 48], [190, 30], [120, 24], [70, 28], [40, 36]], 24).map(([x, y], i, all) => [x, y, 1 - 0.7 * (i / all.length)]), 2.6);
  const pdf = await doc.save({ useObjectStreams: false });
  const r = renderPpm(pdf, 200);
  return appearance.encodePng(inkToRgba(r, [13, 38, 158], 0), r.width, r.height, { pixelsPerMm: 200 / 25.4 });
}

/** A round red seal, 36 mm across: two rings, the agency's name around, a star in the middle. */
async function makeSeal(agencyTop, agencyBottom) {
  const mm = 72 / 25.4;
  const D = 36 * mm;
  const c = D / 2;
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(readFileSync(join(root, 'packages/pades/assets/fonts/Tinos-Bold.ttf')), { subset: true });
  const page = doc.addPage([D, D]);
  const red = rgb(0.86, 0.09, 0.11);
  page.drawCircle({ x: c, y: c, size: c - 1.6, borderColor: red, borderWidth: 2.4 });
  page.drawCircle({ x: c, y: c, size: c - 14.5, borderColor: red, borderWidth: 0.9 });
  const ring = (text, size, r, centreDeg, clockwise) => {
    const chars = [...text];
    const widths = chars.map((ch) => font.widthOfTextAtSize(ch, size));
    const spacing = 0.6;
    const total = widths.reduce((a, b) => a + b + spacing, -spacing);
    // angle covered on the circle by the text, centred on centreDeg
    let angle = (centreDeg * Math.PI) / 180 + (clockwise ? 1 : -1) * (total / 2 / r);
    chars.forEach((ch, i) => {
      const w = widths[i];
      const mid = angle + (clockwise ? -1 : 1) * (w / 2 / r);
      // the glyph's baseline is tangent; on the top arc its top points outwards, on the bottom arc inwards
      const rot = clockwise ? mid - Math.PI / 2 : mid + Math.PI / 2;
      const bx = c + r * Math.cos(mid) - (w / 2) * Math.cos(rot);
      const by = c + r * Math.sin(mid) - (w / 2) * Math.sin(rot);
      page.drawText(ch, { x: bx, y: by, size, font, color: red, rotate: degrees((rot * 180) / Math.PI) });
      angle += (clockwise ? -1 : 1) * ((w + spacing) / r);
    });
  };
  ring(agencyTop, 8.6, c - 11.2, 90, true);
  ring(agencyBottom, 8.6, c - 5.2, 270, false);
  // a five-pointed star
  const star = [];
  for (let k = 0; k < 10; k++) {
    const rr = k % 2 === 0 ? 15 : 6;
    const a = Math.PI / 2 + (k * Math.PI) / 5;
    star.push(`${k === 0 ? 'M' : 'L'} ${(rr * Math.cos(a)).toFixed(3)} ${(-rr * Math.sin(a)).toFixed(3)}`);
  }
  page.drawSvgPath(star.join(' ') + ' Z', { x: c, y: c, color: red });
  const pdf = await doc.save({ useObjectStreams: false });
  const r = renderPpm(pdf, 300);
  return appearance.encodePng(inkToRgba(r, [219, 23, 28], 1), r.width, r.height, { pixelsPerMm: 300 / 25.4 });
}

writeFileSync(join(samplesDir, 'signature.png'), await makeSignature());
writeFileSync(join(samplesDir, 'seal.png'), await makeSeal('ỦY BAN NHÂN DÂN', 'TỈNH BẮC NINH'));
console.log('samples: packages/pades/assets/samples/{signature,seal}.png');
// The default layouts as JSON files an agency copies and edits (kyso sign --template FILE).
mkdirSync(join(root, 'packages/pades/assets/templates'), { recursive: true });
for (const [name, t] of Object.entries(appearance.DEFAULT_TEMPLATES)) {
  writeFileSync(join(root, 'packages/pades/assets/templates', `${name}.json`), JSON.stringify(t, null, 2) + '\n');
}
console.log('templates: packages/pades/assets/templates/*.json');
if (process.argv.includes('--samples-only')) process.exit(0);

const scenarios = await import(join(root, 'test-fixtures/appearance/scenarios.mjs'));
await scenarios.writeReferences({ root, appearance, pdf, pdfLib, fontkit });
