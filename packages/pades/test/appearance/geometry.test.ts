import { describe, expect, it } from 'vitest';
import { isKysoError } from '@kyso/core';
import {
  appearanceMatrix,
  APPROVAL_TEMPLATE,
  elementOnPage,
  normalizeRotation,
  placeAtCorner,
  placeByRect,
  placeIssuanceOverSignature,
  ISSUANCE_TEMPLATE,
  PT_PER_MM,
  userToVisualPoint,
  userToVisualRect,
  visibleBox,
  visibleSize,
  visualToUserPoint,
  type PageGeometry,
} from '../../src/appearance/index.js';

const A4: PageGeometry = { mediaBox: [0, 0, 595.28, 841.89] };

function apply(m: readonly number[], x: number, y: number): [number, number] {
  return [m[0]! * x + m[2]! * y + m[4]!, m[1]! * x + m[3]! * y + m[5]!];
}

describe('page geometry', () => {
  it('normalises /Rotate and refuses values that are not multiples of 90', () => {
    expect([0, 90, 180, 270, 360, 450, -90, -270].map(normalizeRotation)).toEqual([0, 90, 180, 270, 0, 90, 270, 90]);
    expect(() => normalizeRotation(45)).toThrow(/not a multiple of 90/);
    try {
      normalizeRotation(45);
    } catch (e) {
      expect(isKysoError(e, 'BAD_PLACEMENT')).toBe(true);
    }
  });

  it('the visible box is the CropBox clipped to the MediaBox, and turns with /Rotate', () => {
    const g: PageGeometry = { mediaBox: [40, 60, 880, 655], cropBox: [0, 70, 870, 700], rotate: 90 };
    expect(visibleBox(g)).toEqual([40, 70, 870, 655]);
    expect(visibleSize(g)).toEqual({ width: 585, height: 830 });
  });

  for (const rotate of [0, 90, 180, 270]) {
    it(`/Rotate ${rotate}: visual and user coordinates round-trip, and the visual origin is the displayed bottom-left`, () => {
      const g: PageGeometry = { mediaBox: [40, 60, 880, 655], cropBox: [50, 70, 870, 645], rotate };
      for (const [vx, vy] of [[0, 0], [10, 20], [300.5, 400.25]] as const) {
        const [ux, uy] = visualToUserPoint(g, vx, vy);
        const back = userToVisualPoint(g, ux, uy);
        expect(back[0]).toBeCloseTo(vx, 9);
        expect(back[1]).toBeCloseTo(vy, 9);
      }
      // the visible box's user-space corners map onto the displayed corners
      const vs = visibleSize(g);
      const corners = [[50, 70], [870, 70], [870, 645], [50, 645]].map(([x, y]) => userToVisualPoint(g, x!, y!).map((v) => Math.round(v)));
      expect(corners.map(([x, y]) => `${x === 0 ? 'L' : x === Math.round(vs.width) ? 'R' : '?'}${y === 0 ? 'B' : y === Math.round(vs.height) ? 'T' : '?'}`).sort()).toEqual(['LB', 'LT', 'RB', 'RT']);
    });

    it(`/Rotate ${rotate}: the appearance /Matrix maps the upright BBox onto the widget /Rect, reading direction preserved`, () => {
      const g: PageGeometry = { mediaBox: [40, 60, 880, 655], rotate };
      const p = placeByRect(g, { page: 1, x: 100, y: 50, width: 200, height: 60 });
      const m = appearanceMatrix(rotate, 200, 60);
      expect(p.matrix).toEqual(m);
      // ISO 32000-2 §12.5.5 algorithm: transformed BBox, then translated/scaled onto /Rect
      const pts = [[0, 0], [200, 0], [0, 60], [200, 60]].map(([x, y]) => apply(m, x!, y!));
      const xs = pts.map((q) => q[0]);
      const ys = pts.map((q) => q[1]);
      expect(Math.min(...xs)).toBeCloseTo(0, 9);
      expect(Math.min(...ys)).toBeCloseTo(0, 9);
      expect(Math.max(...xs)).toBeCloseTo(p.rect[2] - p.rect[0], 9);
      expect(Math.max(...ys)).toBeCloseTo(p.rect[3] - p.rect[1], 9);
      // the form's +x (reading direction) ends up pointing right on the displayed page
      const o = apply(m, 0, 0);
      const x1 = apply(m, 1, 0);
      const toVisualDir = (q: [number, number]) => userToVisualPoint(g, q[0] + p.rect[0], q[1] + p.rect[1]);
      const a = toVisualDir([o[0], o[1]]);
      const b = toVisualDir([x1[0], x1[1]]);
      expect(b[0] - a[0]).toBeCloseTo(1, 9);
      expect(b[1] - a[1]).toBeCloseTo(0, 9);
      // and the widget lands where the user asked, as displayed
      const r = userToVisualRect(g, p.rect);
      expect(r.x).toBeCloseTo(100, 9);
      expect(r.y).toBeCloseTo(50, 9);
      expect(r.width).toBeCloseTo(200, 9);
      expect(r.height).toBeCloseTo(60, 9);
    });
  }

  it('rectangles measured from the top-left, in millimetres, as a user measures them', () => {
    const p = placeByRect(A4, { page: 1, x: 110, y: 200, width: 60, height: 25, origin: 'top-left', scale: PT_PER_MM });
    expect(p.rect[0]).toBeCloseTo(110 * PT_PER_MM, 6);
    expect(p.rect[3]).toBeCloseTo(841.89 - 200 * PT_PER_MM, 6);
    expect(p.rect[1]).toBeCloseTo(841.89 - 225 * PT_PER_MM, 6);
    expect(() => placeByRect(A4, { page: 1, x: 0, y: 0, width: 0, height: 10 })).toThrow(/positive width and height/);
  });

  it('corners keep their margins from the visible page edges', () => {
    const g: PageGeometry = { mediaBox: [0, 0, 612, 792], cropBox: [20, 30, 600, 780] };
    const p = placeAtCorner(g, 1, { width: 200, height: 30 }, 'top-right', 42.5, 14);
    expect(p.rect).toEqual([600 - 42.5 - 200, 780 - 14 - 30, 600 - 42.5, 780 - 14]);
  });

  it('elementOnPage finds the signature image box inside an existing approval widget, also on a rotated page', () => {
    for (const rotate of [0, 90]) {
      const g: PageGeometry = { mediaBox: [0, 0, 595.28, 841.89], rotate };
      const p = placeByRect(g, { page: 1, x: 300, y: 200, width: 230, height: 72 });
      const r = elementOnPage(g, p.rect, APPROVAL_TEMPLATE, 'signature');
      expect(r.x).toBeCloseTo(300, 6);
      expect(r.y).toBeCloseTo(200, 6);
      expect(r.width).toBeCloseTo(0.46 * 230, 6);
      expect(r.height).toBeCloseTo(72, 6);
    }
  });

  it('the issuance seal is placed so that its right edge is one third into the signature image', () => {
    const sig = { x: 300, y: 300, width: 120, height: 48 };
    const p = placeIssuanceOverSignature(A4, 1, sig, ISSUANCE_TEMPLATE);
    const d = 36 * PT_PER_MM;
    // the default seal element: the top 83 % of a 130 × 124 box, seal centred in it
    const sealCx = p.visual.x + 65;
    const sealCy = p.visual.y + 124 - (0.83 * 124) / 2;
    expect(sealCx + d / 2).toBeCloseTo(300 + 40, 6);
    expect(sealCy).toBeCloseTo(324, 6);
    const p40 = placeIssuanceOverSignature(A4, 1, sig, ISSUANCE_TEMPLATE, { sealWidthMm: 40, overlap: 0.5 });
    expect(p40.visual.x + 65 + (40 * PT_PER_MM) / 2).toBeCloseTo(360, 6);
  });
});
