import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isKysoError } from '@kyso/core';
import { AppearanceError, DEFAULT_TEMPLATES, loadTemplate, parseLine } from '../../src/appearance/index.js';

const minimal = {
  kyso: 'appearance-template/1',
  name: 'custom',
  size: { width: 200, height: 40 },
  elements: [{ type: 'text', box: { x: 0, y: 0, width: 1, height: 1 }, lines: ['{signerName}'] }],
};

function badTemplate(t: unknown): AppearanceError {
  try {
    loadTemplate(t);
  } catch (e) {
    expect(e).toBeInstanceOf(AppearanceError);
    expect(isKysoError(e, 'BAD_TEMPLATE')).toBe(true);
    return e as AppearanceError;
  }
  throw new Error('loadTemplate accepted a bad template');
}

describe('appearance templates', () => {
  it('every default template survives a JSON round trip through loadTemplate unchanged', () => {
    for (const [name, t] of Object.entries(DEFAULT_TEMPLATES)) {
      const loaded = loadTemplate(JSON.stringify(t));
      expect(loaded, name).toEqual(t);
      expect(Object.isFrozen(loaded.elements[0])).toBe(true);
    }
  });

  it('the shipped JSON templates (assets/templates/) are the default layouts, ready to copy and edit', () => {
    for (const [name, t] of Object.entries(DEFAULT_TEMPLATES)) {
      const json = readFileSync(fileURLToPath(new URL(`../../assets/templates/${name}.json`, import.meta.url)), 'utf8');
      expect(loadTemplate(json), name).toEqual(t);
    }
  });

  it('the attachment and copy layouts are 10 pt, upright (regular), black and placed top right of page 1 (Decree 30 Appendix I)', () => {
    for (const t of [DEFAULT_TEMPLATES.attachment, DEFAULT_TEMPLATES.copy]) {
      const text = t.elements.find((e) => e.type === 'text');
      expect(text).toMatchObject({ size: 10, font: 'regular', color: '#000000', align: 'right' });
      expect(t.elements.some((e) => e.type === 'image')).toBe(false);
      expect(t.defaultPlacement).toMatchObject({ page: 1, corner: 'top-right' });
    }
    expect(DEFAULT_TEMPLATES.issuance.elements.find((e) => e.type === 'image')).toMatchObject({ image: 'seal', fit: 'real-size', realWidthMm: 36 });
  });

  it('accepts a minimal template from a JSON string', () => {
    const t = loadTemplate(JSON.stringify(minimal));
    expect(t.name).toBe('custom');
    expect(t.elements).toHaveLength(1);
  });

  it('names the field in every error', () => {
    expect(() => loadTemplate('{ not json')).toThrow(/not valid JSON/);
    expect(badTemplate([]).message).toMatch(/must be a JSON object/);
    expect(badTemplate({ ...minimal, kyso: 'v2' }).message).toMatch(/template\.kyso must be "appearance-template\/1"/);
    expect(badTemplate({ ...minimal, colour: 'red' }).message).toMatch(/unknown field "colour"/);
    expect(badTemplate({ ...minimal, size: { width: -1, height: 3 } }).message).toMatch(/template\.size\.width must be greater than 0/);
    expect(badTemplate({ ...minimal, elements: [] }).message).toMatch(/elements must be a non-empty array/);
    const el = (e: object) => ({ ...minimal, elements: [{ ...minimal.elements[0], ...e }] });
    expect(badTemplate(el({ lines: ['Người ký: {signer}'] })).message).toMatch(/elements\[0\]\.lines\[0\] uses an unknown placeholder \{signer\}/);
    expect(badTemplate(el({ lines: ['ok', 'Số: {docNumber'] })).message).toMatch(/elements\[0\]\.lines\[1\]: "\{" without "\}"/);
    expect(badTemplate(el({ lines: ['{agency|dd}'] })).message).toMatch(/only \{signingTime\|pattern\}/);
    expect(badTemplate(el({ color: 'red' })).message).toMatch(/elements\[0\]\.color must be a colour "#RRGGBB"/);
    expect(badTemplate(el({ size: 6, minSize: 8 })).message).toMatch(/minSize \(8\) is larger than size \(6\)/);
    expect(badTemplate(el({ box: { x: 0.5, y: 0, width: 0.8, height: 1 } })).message).toMatch(/elements\[0\]\.box goes past the appearance box/);
    expect(badTemplate(el({ align: 'justify' })).message).toMatch(/align must be one of "left", "center", "right"/);
    expect(badTemplate({ ...minimal, elements: [{ type: 'image', box: { x: 0, y: 0, width: 1, height: 1 } }] }).message).toMatch(/elements\[0\]\.image is missing/);
    expect(badTemplate({ ...minimal, elements: [{ type: 'circle' }] }).message).toMatch(/type must be one of "image", "text", "rect"/);
    expect(badTemplate({ ...minimal, defaultPlacement: { page: 0, corner: 'top-right', marginX: 1, marginY: 1 } }).message).toMatch(/defaultPlacement\.page must be a page number/);
  });

  it('accepts {fields.NAME}, time patterns and escaped braces', () => {
    const t = loadTemplate({ ...minimal, elements: [{ ...minimal.elements[0], lines: ['{fields.so_hieu} {{x}} {signingTime|dd.MM.yyyy}'] }] });
    expect(t.elements[0]).toMatchObject({ lines: ['{fields.so_hieu} {{x}} {signingTime|dd.MM.yyyy}'] });
    expect(parseLine('a {{b}} {signingTime|HH:mm} c')).toEqual(['a {b} ', { name: 'signingTime', pattern: 'HH:mm' }, ' c']);
  });
});
