import { AppearanceError } from './errors.js';

/**
 * A rectangle inside the appearance box, measured from the box's **top-left** corner (as a
 * designer draws it). With `unit: "fraction"` (the default) the numbers are fractions of the
 * box's width and height, so the template scales with the rectangle it is placed in; with
 * `unit: "pt"` they are PDF points.
 */
export interface TemplateBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly unit?: 'fraction' | 'pt';
}

/** Horizontal alignment inside a box. */
export type HorizontalAlign = 'left' | 'center' | 'right';
/** Vertical alignment inside a box. */
export type VerticalAlign = 'top' | 'middle' | 'bottom';

/**
 * An image drawn in the appearance: the signer's handwritten signature or the agency's seal
 * (Decree 30/2020 Appendix I), taken from {@link AppearanceData.images} by `image` key.
 */
export interface TemplateImage {
  readonly type: 'image';
  /** A name for {@link BuildAppearanceOptions.hide} and for the regions the build reports. */
  readonly id?: string;
  /** Key in `data.images`: `"signature"`, `"seal"` or any key the caller provides. */
  readonly image: string;
  readonly box: TemplateBox;
  /**
   * `contain` scales the image to fit the box, keeping its aspect ratio. `real-size` draws it at
   * its physical size (`realWidthMm`, else the PNG's pHYs resolution), shrunk only if the box is
   * too small; Decree 30 asks for the seal at its real size.
   */
  readonly fit?: 'contain' | 'real-size';
  /** Physical width in millimetres for `fit: "real-size"` (a round seal: its diameter). */
  readonly realWidthMm?: number;
  readonly align?: HorizontalAlign;
  readonly valign?: VerticalAlign;
  /** When true (the default) a missing image is an error; when false the element is skipped. */
  readonly required?: boolean;
}

/**
 * A block of text lines with `{placeholders}`. Text that does not fit shrinks from `size` down
 * to `minSize`, then wraps; it never leaves its box (below `minSize` it shrinks further and the
 * build reports a warning).
 */
export interface TemplateText {
  readonly type: 'text';
  readonly id?: string;
  readonly box: TemplateBox;
  /**
   * Lines of text. `{name}` is replaced from the data (see {@link PLACEHOLDERS}); a time takes a
   * pattern: `{signingTime|dd.MM.yyyy HH:mm:ss}`. `{{` and `}}` write braces. A line whose
   * placeholders are all empty is dropped (so "Chức vụ: {title}" vanishes without a title).
   */
  readonly lines: readonly string[];
  /** Key in the font set (`regular`, `bold`, `italic` or a caller's own key). */
  readonly font?: string;
  /** Preferred size in points. */
  readonly size?: number;
  /** Smallest size before wrapping. */
  readonly minSize?: number;
  /** Distance between baselines as a multiple of the size. */
  readonly lineHeight?: number;
  /** `#RRGGBB`. */
  readonly color?: string;
  readonly align?: HorizontalAlign;
  readonly valign?: VerticalAlign;
  readonly transform?: 'none' | 'uppercase' | 'lowercase';
  /** Inner padding in points. */
  readonly padding?: number;
}

/** A filled and/or stroked rectangle, e.g. a white patch over a placeholder, or a frame. */
export interface TemplateRect {
  readonly type: 'rect';
  readonly id?: string;
  readonly box: TemplateBox;
  /** Fill colour `#RRGGBB`; none when absent. */
  readonly fill?: string;
  /** Stroke colour `#RRGGBB`; none when absent. */
  readonly stroke?: string;
  /** Stroke width in points (default 0.5). */
  readonly lineWidth?: number;
}

/** One drawn element, painted in template order. */
export type TemplateElement = TemplateImage | TemplateText | TemplateRect;

/**
 * Where a layout goes when the caller gives neither a rectangle nor an anchor: a corner of a
 * page, at a margin from the visible page's edges (Decree 30 Appendix I puts the attachment and
 * copy signatures at the top right of the first page).
 */
export interface TemplatePlacement {
  /** 1-based page number; negative counts from the end (-1: the last page). */
  readonly page: number;
  readonly corner: 'top-left' | 'top-right' | 'bottom-left' | 'bottom-right';
  /** Distance from the left/right edge, in points. */
  readonly marginX: number;
  /** Distance from the top/bottom edge, in points. */
  readonly marginY: number;
}

/**
 * A visible-signature layout as JSON: texts, fonts, sizes, colours and positions that an agency
 * can change without code. Check one read from a file with {@link loadTemplate}.
 *
 * @example
 * ```json
 * { "kyso": "appearance-template/1", "name": "copy", "size": { "width": 220, "height": 44 },
 *   "elements": [ { "type": "text", "box": { "x": 0, "y": 0, "width": 1, "height": 1 },
 *     "lines": ["{copyType}", "{copyAgency}", "{signingTime}"], "size": 10, "align": "right" } ] }
 * ```
 */
export interface AppearanceTemplate {
  /** Format marker and version: always `"appearance-template/1"`. */
  readonly kyso: 'appearance-template/1';
  /** The layout's name, e.g. `approval`, `issuance`, `attachment`, `copy`. */
  readonly name: string;
  readonly description?: string;
  /** The box size in points when a placement gives only a position (anchor, default corner). */
  readonly size: { readonly width: number; readonly height: number };
  /** Pattern for `{signingTime}` (dd, MM, yyyy, HH, mm, ss), in Vietnam time (+07:00). */
  readonly timeFormat?: string;
  /** A background colour `#RRGGBB`; none by default (transparent). */
  readonly background?: string;
  /** A border drawn inside the box; none by default. */
  readonly border?: { readonly width: number; readonly color: string };
  readonly elements: readonly TemplateElement[];
  readonly defaultPlacement?: TemplatePlacement;
}

/**
 * The placeholders a template line may use:
 * - `signerName`: the signer's full name ("Người ký"); `title`: the signer's position
 *   ("Chức vụ"); `agency`: the signer's or issuing agency ("Cơ quan");
 * - `signingTime`: the signing time in +07:00 (pattern from `timeFormat` or `{signingTime|…}`);
 * - `docNumber`: number and symbol of the document ("15/QĐ-UBND");
 * - `copyType`: SAO Y, SAO LỤC or TRÍCH SAO; `copyAgency`: the copying agency (default: `agency`);
 * - `location`, `reason`;
 * - `fields.NAME`: any value from `data.fields`.
 */
export const PLACEHOLDERS: readonly string[] = Object.freeze([
  'signerName',
  'title',
  'agency',
  'signingTime',
  'docNumber',
  'copyType',
  'copyAgency',
  'location',
  'reason',
]);

/** The placeholder tokens in a template line (name and optional pattern). */
export interface PlaceholderToken {
  readonly name: string;
  readonly pattern?: string;
}

/** Splits a line into literal text and placeholders; throws BAD_TEMPLATE on an unclosed brace. */
export function parseLine(line: string, where = 'line'): (string | PlaceholderToken)[] {
  const out: (string | PlaceholderToken)[] = [];
  let lit = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (ch === '{' && line[i + 1] === '{') {
      lit += '{';
      i++;
    } else if (ch === '}' && line[i + 1] === '}') {
      lit += '}';
      i++;
    } else if (ch === '{') {
      const end = line.indexOf('}', i + 1);
      if (end < 0) throw bad(`${where}: "{" without "}" in ${JSON.stringify(line)} (write "{{" for a literal brace)`);
      const body = line.slice(i + 1, end);
      const bar = body.indexOf('|');
      const name = (bar < 0 ? body : body.slice(0, bar)).trim();
      if (lit) out.push(lit);
      lit = '';
      out.push(bar < 0 ? { name } : { name, pattern: body.slice(bar + 1) });
      i = end;
    } else if (ch === '}') {
      throw bad(`${where}: "}" without "{" in ${JSON.stringify(line)} (write "}}" for a literal brace)`);
    } else lit += ch;
  }
  if (lit) out.push(lit);
  return out;
}

function bad(message: string): AppearanceError {
  return new AppearanceError('BAD_TEMPLATE', `Appearance template: ${message}.`);
}

type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(o: Record<string, Json>, allowed: readonly string[], where: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw bad(`${where} has an unknown field "${k}" (allowed: ${allowed.join(', ')})`);
  }
}

function num(o: Record<string, Json>, key: string, where: string, opts: { required?: boolean; min?: number; max?: number; positive?: boolean } = {}): number | undefined {
  const v = o[key];
  if (v === undefined) {
    if (opts.required) throw bad(`${where}.${key} is missing (a number)`);
    return undefined;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) throw bad(`${where}.${key} must be a number, not ${JSON.stringify(v)}`);
  if (opts.positive && v <= 0) throw bad(`${where}.${key} must be greater than 0, not ${v}`);
  if (opts.min !== undefined && v < opts.min) throw bad(`${where}.${key} must be at least ${opts.min}, not ${v}`);
  if (opts.max !== undefined && v > opts.max) throw bad(`${where}.${key} must be at most ${opts.max}, not ${v}`);
  return v;
}

function str(o: Record<string, Json>, key: string, where: string, required = false): string | undefined {
  const v = o[key];
  if (v === undefined) {
    if (required) throw bad(`${where}.${key} is missing (a string)`);
    return undefined;
  }
  if (typeof v !== 'string') throw bad(`${where}.${key} must be a string, not ${JSON.stringify(v)}`);
  return v;
}

function oneOf<T extends string>(o: Record<string, Json>, key: string, values: readonly T[], where: string): T | undefined {
  const v = str(o, key, where);
  if (v === undefined) return undefined;
  if (!(values as readonly string[]).includes(v)) throw bad(`${where}.${key} must be one of ${values.map((x) => `"${x}"`).join(', ')}, not "${v}"`);
  return v as T;
}

function color(o: Record<string, Json>, key: string, where: string, required = false): string | undefined {
  const v = str(o, key, where, required);
  if (v !== undefined && !/^#[0-9a-fA-F]{6}$/.test(v)) throw bad(`${where}.${key} must be a colour "#RRGGBB", not "${v}"`);
  return v;
}

/** Copies only defined values, for `exactOptionalPropertyTypes`. */
function compact<T extends object>(o: { [K in keyof T]-?: T[K] | undefined }): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function checkBox(v: Json, where: string): TemplateBox {
  if (!isObject(v)) throw bad(`${where} must be an object { "x", "y", "width", "height" }`);
  checkKeys(v, ['x', 'y', 'width', 'height', 'unit'], where);
  const unit = oneOf(v, 'unit', ['fraction', 'pt'] as const, where) ?? 'fraction';
  const frac = unit === 'fraction';
  const limit = frac ? { min: 0, max: 1 } : { min: 0 };
  const box = compact<TemplateBox>({
    x: num(v, 'x', where, { required: true, ...limit })!,
    y: num(v, 'y', where, { required: true, ...limit })!,
    width: num(v, 'width', where, { required: true, positive: true, ...(frac ? { max: 1 } : {}) })!,
    height: num(v, 'height', where, { required: true, positive: true, ...(frac ? { max: 1 } : {}) })!,
    unit: v['unit'] === undefined ? undefined : unit,
  });
  if (frac && (box.x + box.width > 1.0001 || box.y + box.height > 1.0001)) {
    throw bad(`${where} goes past the appearance box (x + width and y + height must be at most 1 with unit "fraction")`);
  }
  return box;
}

function checkLine(line: Json, where: string): string {
  if (typeof line !== 'string') throw bad(`${where} must be a string, not ${JSON.stringify(line)}`);
  for (const t of parseLine(line, where)) {
    if (typeof t === 'string') continue;
    const known = PLACEHOLDERS.includes(t.name) || /^fields\.[A-Za-z0-9_.-]+$/.test(t.name);
    if (!known) throw bad(`${where} uses an unknown placeholder {${t.name}} (known: ${PLACEHOLDERS.join(', ')}, fields.NAME)`);
    if (t.pattern !== undefined && t.name !== 'signingTime') throw bad(`${where}: only {signingTime|pattern} takes a pattern, not {${t.name}|…}`);
  }
  return line;
}

function checkElement(v: Json, where: string): TemplateElement {
  if (!isObject(v)) throw bad(`${where} must be an object with "type": "image", "text" or "rect"`);
  const type = oneOf(v, 'type', ['image', 'text', 'rect'] as const, where);
  if (type === undefined) throw bad(`${where}.type is missing ("image", "text" or "rect")`);
  if (type === 'rect') {
    checkKeys(v, ['type', 'id', 'box', 'fill', 'stroke', 'lineWidth'], where);
    return compact<TemplateRect>({
      type,
      id: str(v, 'id', where),
      box: checkBox(v['box'], `${where}.box`),
      fill: color(v, 'fill', where),
      stroke: color(v, 'stroke', where),
      lineWidth: num(v, 'lineWidth', where, { min: 0 }),
    });
  }
  if (type === 'image') {
    checkKeys(v, ['type', 'id', 'image', 'box', 'fit', 'realWidthMm', 'align', 'valign', 'required'], where);
    const required = v['required'];
    if (required !== undefined && typeof required !== 'boolean') throw bad(`${where}.required must be true or false`);
    return compact<TemplateImage>({
      type,
      id: str(v, 'id', where),
      image: str(v, 'image', where, true)!,
      box: checkBox(v['box'], `${where}.box`),
      fit: oneOf(v, 'fit', ['contain', 'real-size'] as const, where),
      realWidthMm: num(v, 'realWidthMm', where, { positive: true }),
      align: oneOf(v, 'align', ['left', 'center', 'right'] as const, where),
      valign: oneOf(v, 'valign', ['top', 'middle', 'bottom'] as const, where),
      required: required as boolean | undefined,
    });
  }
  checkKeys(v, ['type', 'id', 'box', 'lines', 'font', 'size', 'minSize', 'lineHeight', 'color', 'align', 'valign', 'transform', 'padding'], where);
  const lines = v['lines'];
  if (!Array.isArray(lines) || lines.length === 0) throw bad(`${where}.lines must be a non-empty array of strings`);
  const size = num(v, 'size', where, { positive: true, max: 200 });
  const minSize = num(v, 'minSize', where, { positive: true, max: 200 });
  if (size !== undefined && minSize !== undefined && minSize > size) throw bad(`${where}.minSize (${minSize}) is larger than size (${size})`);
  const font = str(v, 'font', where);
  if (font !== undefined && !/^[A-Za-z0-9_-]+$/.test(font)) throw bad(`${where}.font must be a font key such as "regular" or "bold", not "${font}"`);
  return compact<TemplateText>({
    type,
    id: str(v, 'id', where),
    box: checkBox(v['box'], `${where}.box`),
    lines: lines.map((l, i) => checkLine(l, `${where}.lines[${i}]`)),
    font,
    size,
    minSize,
    lineHeight: num(v, 'lineHeight', where, { min: 0.8, max: 3 }),
    color: color(v, 'color', where),
    align: oneOf(v, 'align', ['left', 'center', 'right'] as const, where),
    valign: oneOf(v, 'valign', ['top', 'middle', 'bottom'] as const, where),
    transform: oneOf(v, 'transform', ['none', 'uppercase', 'lowercase'] as const, where),
    padding: num(v, 'padding', where, { min: 0 }),
  });
}

/**
 * Checks a template read from JSON (a string or a parsed value) and returns it typed and frozen.
 * Every problem throws an {@link AppearanceError} `BAD_TEMPLATE` whose message names the field,
 * e.g. `elements[1].lines[2] uses an unknown placeholder {signer}`.
 *
 * @example
 * ```ts
 * const t = loadTemplate(await readFile('my-approval.json', 'utf8'));
 * const ap = await buildAppearance(t, data, { width: 220, height: 80, fonts });
 * ```
 */
export function loadTemplate(json: string | unknown): AppearanceTemplate {
  let v: Json = json;
  if (typeof json === 'string') {
    try {
      v = JSON.parse(json);
    } catch (e) {
      throw new AppearanceError('BAD_TEMPLATE', `Appearance template: not valid JSON (${(e as Error).message}).`, { cause: e });
    }
  }
  if (!isObject(v)) throw bad('the template must be a JSON object');
  checkKeys(v, ['kyso', 'name', 'description', 'size', 'timeFormat', 'background', 'border', 'elements', 'defaultPlacement', '$schema'], 'template');
  if (v['kyso'] !== 'appearance-template/1') throw bad(`template.kyso must be "appearance-template/1", not ${JSON.stringify(v['kyso'])}`);
  const name = str(v, 'name', 'template', true)!;
  const size = v['size'];
  if (!isObject(size)) throw bad('template.size must be an object { "width", "height" } in points');
  checkKeys(size, ['width', 'height'], 'template.size');
  const elements = v['elements'];
  if (!Array.isArray(elements) || elements.length === 0) throw bad('template.elements must be a non-empty array');
  const border = v['border'];
  if (border !== undefined && !isObject(border)) throw bad('template.border must be an object { "width", "color" }');
  if (isObject(border)) checkKeys(border, ['width', 'color'], 'template.border');
  const placement = v['defaultPlacement'];
  if (placement !== undefined && !isObject(placement)) throw bad('template.defaultPlacement must be an object');
  let defaultPlacement: TemplatePlacement | undefined;
  if (isObject(placement)) {
    const w = 'template.defaultPlacement';
    checkKeys(placement, ['page', 'corner', 'marginX', 'marginY'], w);
    const page = num(placement, 'page', w, { required: true })!;
    if (!Number.isInteger(page) || page === 0) throw bad(`${w}.page must be a page number (1 = first, -1 = last), not ${page}`);
    const corner = oneOf(placement, 'corner', ['top-left', 'top-right', 'bottom-left', 'bottom-right'] as const, w);
    if (!corner) throw bad(`${w}.corner is missing`);
    defaultPlacement = {
      page,
      corner,
      marginX: num(placement, 'marginX', w, { required: true, min: 0 })!,
      marginY: num(placement, 'marginY', w, { required: true, min: 0 })!,
    };
  }
  const timeFormat = str(v, 'timeFormat', 'template');
  if (timeFormat !== undefined && !/yyyy|MM|dd|HH/.test(timeFormat)) throw bad(`template.timeFormat "${timeFormat}" has none of dd, MM, yyyy, HH`);
  const t = compact<AppearanceTemplate>({
    kyso: 'appearance-template/1',
    name,
    description: str(v, 'description', 'template'),
    size: {
      width: num(size, 'width', 'template.size', { required: true, positive: true, max: 14400 })!,
      height: num(size, 'height', 'template.size', { required: true, positive: true, max: 14400 })!,
    },
    timeFormat,
    background: color(v, 'background', 'template'),
    border: isObject(border)
      ? { width: num(border, 'width', 'template.border', { required: true, min: 0 })!, color: color(border, 'color', 'template.border', true)! }
      : undefined,
    elements: elements.map((e, i) => checkElement(e, `elements[${i}]`)),
    defaultPlacement,
  });
  return deepFreeze(t);
}

function deepFreeze<T>(o: T): T {
  if (typeof o === 'object' && o !== null && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
