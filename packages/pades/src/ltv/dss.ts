/**
 * The document security store (ISO 32000-2 §12.8.4.3, ETSI EN 319 142-1 §5.4.2):
 * `/DSS << /Type /DSS /Certs [...] /OCSPs [...] /CRLs [...] /VRI << /<SHA-1 key> << ... >> >> >>`
 * in the catalog, whose arrays hold streams of DER certificates, OCSPResponses and CRLs.
 */
import { toArrayBuffer, toHex } from '@kyso/core';
import { formatPdfDate, PdfArray, PdfDict, PdfName, PdfRef, PdfStream, PdfString, type IncrementalUpdate, type PdfDocument, type PdfObject } from '@kyso/pdf';
import { editableDict } from '../fields/editable.js';

/** What one VRI entry (ISO 32000-2 §12.8.4.4, Table 262) lists for one signature. */
export interface VriEntry {
  readonly certs: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  /** /TU, the time the entry was made, when present. */
  readonly time?: Date | undefined;
}

/** The contents of a document security store, as DER bytes. */
export interface DssContents {
  readonly certs: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  /** By upper-case hex SHA-1 key. */
  readonly vri: ReadonlyMap<string, VriEntry>;
}

/** What to add to the store. */
export interface DssAdditions {
  readonly certs: readonly Uint8Array[];
  readonly ocsps: readonly Uint8Array[];
  readonly crls: readonly Uint8Array[];
  readonly vri: ReadonlyMap<string, Omit<VriEntry, 'time'>>;
}

const ARRAYS = [
  ['certs', 'Certs', 'Cert'],
  ['ocsps', 'OCSPs', 'OCSP'],
  ['crls', 'CRLs', 'CRL'],
] as const;

/** The streams of an array of stream references (unreadable entries skipped). */
function streamsOf(doc: PdfDocument, arr: PdfArray | undefined): { ref: PdfRef | undefined; bytes: Uint8Array }[] {
  const out: { ref: PdfRef | undefined; bytes: Uint8Array }[] = [];
  for (const item of arr?.items ?? []) {
    const s = doc.resolve(item);
    if (!(s instanceof PdfStream)) continue;
    try {
      out.push({ ref: item instanceof PdfRef ? item : undefined, bytes: s.decode() });
    } catch {
      // A stream with an unsupported filter is not validation data kyso can use.
    }
  }
  return out;
}

/**
 * The document security store of `doc` (as of its last revision, or of the revision `doc` views),
 * or null when the catalog has none.
 */
export function readDss(doc: PdfDocument): DssContents | null {
  const dss = doc.catalog.getDict('DSS', doc);
  if (!dss) return null;
  const read = (key: string) => streamsOf(doc, dss.getArray(key, doc)).map((s) => s.bytes);
  const vri = new Map<string, VriEntry>();
  const vriDict = dss.getDict('VRI', doc);
  for (const key of vriDict?.keys() ?? []) {
    const e = vriDict!.getDict(key, doc);
    if (!e) continue;
    const tu = e.getString('TU', doc)?.toLatin1();
    const time = tu ? parseDate(tu) : undefined;
    vri.set(key.toUpperCase(), {
      certs: streamsOf(doc, e.getArray('Cert', doc)).map((s) => s.bytes),
      ocsps: streamsOf(doc, e.getArray('OCSP', doc)).map((s) => s.bytes),
      crls: streamsOf(doc, e.getArray('CRL', doc)).map((s) => s.bytes),
      ...(time ? { time } : {}),
    });
  }
  return { certs: read('Certs'), ocsps: read('OCSPs'), crls: read('CRLs'), vri };
}

function parseDate(s: string): Date | undefined {
  const m = /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(Z|[+-]\d{2}'?\d{2}'?)?/.exec(s);
  if (!m) return undefined;
  const d = Date.UTC(Number(m[1]), Number(m[2] ?? 1) - 1, Number(m[3] ?? 1), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  const tz = m[7];
  if (!tz || tz === 'Z') return new Date(d);
  const sign = tz[0] === '-' ? -1 : 1;
  const digits = tz.replace(/[^0-9]/g, '');
  return new Date(d - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0)) * 60_000);
}

/** Upper-case hex SHA-1 of `bytes`: the VRI key of a signature's /Contents (ISO 32000-2 §12.8.4.4). */
export async function vriKey(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', toArrayBuffer(bytes)))).toUpperCase();
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  return toHex(new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', toArrayBuffer(bytes))));
}

/**
 * Adds `additions` to the document security store in `up`: the existing /DSS (indirect, or
 * direct in the catalog) is copied and extended, each DER value becomes one stream and is
 * written once (values already in the store keep their stream), VRI entries are merged by key
 * and get /TU `time`. The catalog gets `/DSS` as an indirect reference. Returns the DSS reference.
 */
export async function writeDss(doc: PdfDocument, up: IncrementalUpdate, additions: DssAdditions, time: Date): Promise<PdfRef> {
  const catalogRef = doc.catalogRef;
  const existing = doc.catalog.get('DSS');
  let dssRef: PdfRef;
  let dss: PdfDict;
  if (existing instanceof PdfRef && doc.getObject(existing) instanceof PdfDict) {
    dssRef = existing;
    dss = editableDict(doc, up, existing);
  } else {
    dssRef = up.allocate();
    const direct = doc.resolve(existing);
    dss = direct instanceof PdfDict ? direct.clone() : PdfDict.of();
    up.set(dssRef, dss);
    editableDict(doc, up, catalogRef).set('DSS', dssRef);
  }
  dss.set('Type', PdfName.of('DSS'));

  // Every value in the store, by SHA-256, with the reference of its stream.
  const refs = new Map<string, PdfRef>();
  const streamFor = async (bytes: Uint8Array): Promise<PdfRef> => {
    const h = await sha256Hex(bytes);
    let ref = refs.get(h);
    if (!ref) {
      ref = up.allocate();
      up.set(ref, PdfStream.fromData(bytes));
      refs.set(h, ref);
    }
    return ref;
  };
  for (const [, key] of ARRAYS) {
    const arr = arrayOf(doc, dss.get(key));
    const kept: PdfObject[] = [];
    for (const s of streamsOf(doc, arr)) {
      const h = await sha256Hex(s.bytes);
      if (s.ref && !refs.has(h)) refs.set(h, s.ref);
      if (s.ref) kept.push(s.ref);
    }
    dss.set(key, PdfArray.of(kept));
  }
  for (const [field, key] of ARRAYS) {
    const arr = dss.get(key) as PdfArray;
    const present = new Set(arr.items.map((r) => (r instanceof PdfRef ? r.key : '')));
    for (const bytes of additions[field]) {
      const ref = await streamFor(bytes);
      if (!present.has(ref.key)) {
        arr.push(ref);
        present.add(ref.key);
      }
    }
    if (arr.length === 0) dss.delete(key);
  }
  if (additions.vri.size > 0) {
    const vriObj = doc.resolve(dss.get('VRI'));
    const vri = vriObj instanceof PdfDict ? vriObj.clone() : PdfDict.of();
    for (const [k, entry] of additions.vri) {
      const key = k.toUpperCase();
      const old = doc.resolve(vri.get(key));
      const e = old instanceof PdfDict ? old.clone() : PdfDict.of();
      e.set('Type', PdfName.of('VRI'));
      for (const [field, , vriKeyName] of ARRAYS) {
        const arr = arrayOf(doc, e.get(vriKeyName)) ?? PdfArray.of([]);
        const items = [...arr.items];
        const present = new Set(items.map((r) => (r instanceof PdfRef ? r.key : '')));
        for (const bytes of entry[field]) {
          const ref = await streamFor(bytes);
          if (!present.has(ref.key)) {
            items.push(ref);
            present.add(ref.key);
          }
        }
        if (items.length) e.set(vriKeyName, PdfArray.of(items));
      }
      e.set('TU', PdfString.fromLatin1(formatPdfDate(time)));
      vri.set(key, e);
    }
    dss.set('VRI', vri);
  }
  return dssRef;
}

function arrayOf(doc: PdfDocument, o: PdfObject | undefined): PdfArray | undefined {
  const r = doc.resolve(o);
  return r instanceof PdfArray ? r : undefined;
}
