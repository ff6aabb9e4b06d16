/**
 * A small, self-contained set of PDF objects (an appearance Form XObject with its fonts and
 * images) in local numbering, ready to be copied into the incremental update of any document:
 * the caller allocates one object number per object and gets each object's bytes with the
 * references renumbered, or converts them to its own object model. Nothing here depends on the
 * document that is signed, so it is built once and copied anywhere (DESIGN.md decision 1:
 * pdf-lib draws, @kyso/pdf writes).
 */

/** A name object (ISO 32000-2 §7.3.5), without its slash, one char per byte (Latin-1). */
export interface PortableName {
  readonly kind: 'name';
  readonly value: string;
}
/** A reference to another object of the same graph, by its index in `objects`. */
export interface PortableRef {
  readonly kind: 'ref';
  readonly index: number;
}
/** A string object (ISO 32000-2 §7.3.4) by its bytes; `hex` chooses the `<…>` form. */
export interface PortableString {
  readonly kind: 'string';
  readonly bytes: Uint8Array;
  readonly hex: boolean;
}
/** An array object. */
export interface PortableArray {
  readonly kind: 'array';
  readonly items: readonly PortableValue[];
}
/** A dictionary object; entries keep their order. */
export interface PortableDict {
  readonly kind: 'dict';
  readonly entries: readonly (readonly [string, PortableValue])[];
}
/** Any direct value: numbers, booleans and null are plain JS values. */
export type PortableValue = number | boolean | null | PortableName | PortableRef | PortableString | PortableArray | PortableDict;

/** One indirect object: a value, or a stream (its dictionary, without /Length, and its encoded bytes). */
export interface PortableObject {
  readonly value: PortableValue;
  /** The stream's encoded data when the object is a stream; `value` is then its dictionary. */
  readonly stream?: Uint8Array;
}

/** Objects in local numbering; `objects[root]` is the object the caller refers to (the Form XObject). */
export interface PortableGraph {
  readonly objects: readonly PortableObject[];
  readonly root: number;
}

/** Shorthands to build portable values. */
export const pv = {
  name: (value: string): PortableName => ({ kind: 'name', value }),
  ref: (index: number): PortableRef => ({ kind: 'ref', index }),
  array: (items: readonly PortableValue[]): PortableArray => ({ kind: 'array', items }),
  dict: (entries: Record<string, PortableValue | undefined>): PortableDict => ({
    kind: 'dict',
    entries: Object.entries(entries).filter((e): e is [string, PortableValue] => e[1] !== undefined),
  }),
  string: (bytes: Uint8Array, hex = false): PortableString => ({ kind: 'string', bytes, hex }),
};

/** A PDF number as short as possible (at most 4 decimals, no exponent). ISO 32000-2 §7.3.3. */
export function formatNumber(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`not a finite number: ${n}`);
  if (Number.isInteger(n)) return String(n);
  let s = n.toFixed(4);
  s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

const DELIMS = new Set('()<>[]{}/%#'.split(''));

/**
 * A name token with `#xx` escapes for delimiters, white space and bytes outside 0x21–0x7E
 * (§7.3.5). `value` has one char per byte (Latin-1), as in @kyso/pdf's `PdfName`.
 */
export function formatName(value: string): string {
  let out = '/';
  for (let i = 0; i < value.length; i++) {
    const b = value.charCodeAt(i) & 0xff;
    const ch = String.fromCharCode(b);
    if (b < 0x21 || b > 0x7e || DELIMS.has(ch)) out += '#' + b.toString(16).padStart(2, '0').toUpperCase();
    else out += ch;
  }
  return out;
}

function formatString(s: PortableString): string {
  if (s.hex) {
    let h = '<';
    for (const b of s.bytes) h += b.toString(16).padStart(2, '0').toUpperCase();
    return h + '>';
  }
  let out = '(';
  for (const b of s.bytes) {
    if (b === 0x28 || b === 0x29 || b === 0x5c) out += '\\' + String.fromCharCode(b);
    else if (b < 0x20 || b > 0x7e) out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out + ')';
}

/** PDF syntax of a value, with graph index `i` written as the reference to object `numbers[i]`. */
export function formatValue(v: PortableValue, numbers: readonly number[]): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return formatNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  switch (v.kind) {
    case 'name':
      return formatName(v.value);
    case 'ref': {
      const n = numbers[v.index];
      if (n === undefined) throw new RangeError(`no object number for graph object ${v.index}`);
      return `${n} 0 R`;
    }
    case 'string':
      return formatString(v);
    case 'array':
      return '[' + v.items.map((x) => formatValue(x, numbers)).join(' ') + ']';
    case 'dict':
      return '<< ' + v.entries.map(([k, x]) => `${formatName(k)} ${formatValue(x, numbers)}`).join(' ') + ' >>';
  }
}

const enc = new TextEncoder();

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

/**
 * The body of object `index` (what goes between `N 0 obj` and `endobj`), its references
 * renumbered with `numbers` (one object number per graph object, in graph order). A stream
 * gets its /Length.
 */
export function serializeObject(graph: PortableGraph, index: number, numbers: readonly number[]): Uint8Array {
  const o = graph.objects[index];
  if (!o) throw new RangeError(`no graph object ${index}`);
  if (o.stream === undefined) return latin1Bytes(formatValue(o.value, numbers));
  if (typeof o.value !== 'object' || o.value === null || o.value.kind !== 'dict') throw new TypeError('a stream needs a dictionary');
  const dict: PortableDict = { kind: 'dict', entries: [...o.value.entries.filter(([k]) => k !== 'Length'), ['Length', o.stream.length]] };
  const head = latin1Bytes(formatValue(dict, numbers) + '\nstream\n');
  const tail = enc.encode('\nendstream');
  const out = new Uint8Array(head.length + o.stream.length + tail.length);
  out.set(head, 0);
  out.set(o.stream, head.length);
  out.set(tail, head.length + o.stream.length);
  return out;
}

/**
 * Every object of the graph as `N 0 obj … endobj` bodies, numbered with `numbers`; the usual
 * way to copy an appearance into an incremental update whose writer takes raw object bytes.
 */
export function serializeGraph(graph: PortableGraph, numbers: readonly number[]): { num: number; body: Uint8Array }[] {
  if (numbers.length !== graph.objects.length) {
    throw new RangeError(`the graph has ${graph.objects.length} objects but ${numbers.length} numbers were given`);
  }
  return graph.objects.map((_, i) => ({ num: numbers[i]!, body: serializeObject(graph, i, numbers) }));
}
