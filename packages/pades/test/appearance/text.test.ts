import { describe, expect, it } from 'vitest';
import { blockHeight, fitText, resolveLines, wrapLine, type TextMeasure } from '../../src/appearance/index.js';

/** Every char 0.5 em wide; ascent 0.9, descent -0.2. */
const mono: TextMeasure = { width: (s) => [...s].length * 0.5, ascent: 0.9, descent: -0.2 };
const T = new Date('2026-12-04T03:38:09Z');

describe('placeholders', () => {
  it('fills placeholders in Vietnam time and drops lines whose placeholders are all empty', () => {
    const lines = resolveLines(['Người ký: {signerName}', 'Chức vụ: {title}', 'Thời gian ký: {signingTime}', 'Lúc {signingTime|HH:mm} ngày {signingTime|dd.MM.yyyy}', 'cố định'], {
      signerName: 'Nguyễn Văn Ắng',
      signingTime: T,
    });
    expect(lines).toEqual(['Người ký: Nguyễn Văn Ắng', 'Thời gian ký: 04/12/2026 10:38:09 +07:00', 'Lúc 10:38 ngày 04.12.2026', 'cố định']);
  });

  it('normalises NFD input to NFC and collapses white space', () => {
    const nfd = 'Nguyễn   Văn Ắng'.normalize('NFD');
    expect(nfd).not.toBe(nfd.normalize('NFC'));
    const [line] = resolveLines(['{signerName}'], { signerName: nfd });
    expect(line).toBe('Nguyễn Văn Ắng');
    expect(line).toBe(line!.normalize('NFC'));
  });

  it('copyAgency defaults to agency; fields.NAME reads data.fields; uppercase is Vietnamese-aware', () => {
    expect(resolveLines(['{copyType}', '{copyAgency}', '{fields.x}'], { copyType: 'SAO Y', agency: 'Sở Tư pháp', fields: { x: 'ừ' } })).toEqual(['SAO Y', 'Sở Tư pháp', 'ừ']);
    expect(resolveLines(['{agency}'], { agency: 'ủy ban nhân dân' }, { transform: 'uppercase' })).toEqual(['ỦY BAN NHÂN DÂN']);
  });
});

describe('fitText: shrink, then wrap, never spill', () => {
  const opts = { size: 10, minSize: 6, lineHeight: 1.2 };

  it('keeps the preferred size when the text fits', () => {
    const r = fitText(['abcd'], { width: 100, height: 20 }, mono, opts);
    expect(r).toMatchObject({ size: 10, lines: ['abcd'], wrapped: false, belowMinSize: false });
  });

  it('shrinks a line that is too wide, down to the size at which it fits', () => {
    const r = fitText(['x'.repeat(30)], { width: 120, height: 20 }, mono, opts); // needs 8 pt
    expect(r.size).toBeCloseTo(8, 2);
    expect(r.wrapped).toBe(false);
  });

  it('shrinks lines that are too tall', () => {
    const r = fitText(['a', 'b', 'c', 'd'], { width: 100, height: 30 }, mono, opts);
    expect(blockHeight(4, r.size, 1.2, mono)).toBeLessThanOrEqual(30 + 1e-9);
    expect(r.size).toBeGreaterThanOrEqual(6);
    expect(r.wrapped).toBe(false);
  });

  it('wraps at spaces when shrinking to the minimum is not enough', () => {
    const words = 'Ủy ban nhân dân tỉnh Bắc Ninh và các sở ngành liên quan';
    const r = fitText([words], { width: 60, height: 80 }, mono, opts);
    expect(r.wrapped).toBe(true);
    expect(r.size).toBeGreaterThanOrEqual(6);
    expect(r.lines.join(' ')).toBe(words);
    for (const l of r.lines) expect(mono.width(l) * r.size).toBeLessThanOrEqual(60 + 1e-9);
    expect(r.height).toBeLessThanOrEqual(80);
  });

  it('breaks a word longer than the box between characters', () => {
    expect(wrapLine('abcdefghij', 2, mono)).toEqual(['abcd', 'efgh', 'ij']);
    // a combining mark stays with its letter
    expect(wrapLine('a\u0301b\u0301c\u0301d\u0301', 1, mono).every((p) => !/^\p{M}/u.test(p))).toBe(true);
  });

  it('goes below the minimum size (and says so) rather than spill', () => {
    const r = fitText(['x'.repeat(200)], { width: 50, height: 10 }, mono, opts);
    expect(r.belowMinSize).toBe(true);
    expect(r.size).toBeLessThan(6);
    for (const l of r.lines) expect(mono.width(l) * r.size).toBeLessThanOrEqual(50 + 1e-9);
    expect(blockHeight(r.lines.length, r.size, 1.2, mono)).toBeLessThanOrEqual(10 + 1e-9);
  });

  it('never spills for random texts and boxes', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const alphabet = 'aăâbcdđeêghiklmnoôơpqrstuưvxyẮẶỄỸ ';
    for (let k = 0; k < 200; k++) {
      const lines = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
        Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('').trim() || 'x',
      );
      const box = { width: 5 + rnd() * 200, height: 3 + rnd() * 60 };
      const r = fitText(lines, box, mono, opts);
      for (const l of r.lines) expect(mono.width(l) * r.size).toBeLessThanOrEqual(box.width + 1e-9);
      expect(blockHeight(r.lines.length, r.size, 1.2, mono)).toBeLessThanOrEqual(box.height + 1e-9);
    }
  });
});
