/**
 * PAdES B-LT (ETSI EN 319 142-1 §5.4.2, §6.3): the validation data of every signature and
 * time-stamp of a document — certification paths, OCSP responses, CRLs — written into the
 * document security store (ISO 32000-2 §12.8.4.3) by an incremental update.
 */
import { bytesEqual, decodePem, looksLikePem, systemClock, type Clock, type HttpClient } from '@kyso/core';
import { ValidationDataCollector, type RevocationPreference } from '@kyso/cms';
import { PdfDocument } from '@kyso/pdf';
import type { FetchCache } from '@kyso/trust';
import { PadesError } from '../errors.js';
import { readDss, writeDss, type VriEntry } from './dss.js';
import { signedEntries, type PdfSignedEntry, type SignedObject } from './signed-objects.js';

/** Options of {@link addValidationData}. */
export interface AddValidationDataOptions {
  /**
   * Trust anchors (DER, or PEM text/bytes with one or more certificates). Without them paths end
   * at self-signed certificates found in the signatures, the DSS, `certificates`, or (online)
   * through AIA caIssuers.
   */
  readonly trustAnchors?: readonly (Uint8Array | string)[];
  /** More certificates (DER) to build paths from. */
  readonly certificates?: readonly Uint8Array[];
  /** CRLs (DER) to use before fetching. */
  readonly crls?: readonly Uint8Array[];
  /** OCSP responses (DER OCSPResponse) to use before fetching. */
  readonly ocspResponses?: readonly Uint8Array[];
  /** How to reach OCSP responders, CRL distribution points and caIssuers (`fetchHttpClient()` of @kyso/core). */
  readonly http?: HttpClient;
  /** Fetch missing data: default true when `http` is given; `online: true` alone uses `fetch`. */
  readonly online?: boolean;
  /** Keeps fetched data between calls (e.g. `new MemoryFetchCache()` of @kyso/trust). */
  readonly cache?: FetchCache;
  readonly timeoutMs?: number;
  /** `ocsp-first` (default), `crl-first`, or `both`. */
  readonly prefer?: RevocationPreference;
  /** The time the data must prove the status at, and the VRI /TU; default now. */
  readonly time?: Date;
  readonly clock?: Clock;
  /** Write a VRI entry per signature (ISO 32000-2 §12.8.4.4); default true. */
  readonly vri?: boolean;
  /** Only these fields (signatures or document time-stamps); default all. */
  readonly fields?: readonly string[];
  /** Throw `VALIDATION_DATA_INCOMPLETE` when a path or revocation data is missing; default false. */
  readonly strict?: boolean;
}

/** What {@link addValidationDataWithReport} did. */
export interface ValidationDataReport {
  /** The updated PDF (the input itself when there was nothing new to add). */
  readonly pdf: Uint8Array;
  /** Values newly written into the DSS. */
  readonly added: { readonly certs: number; readonly ocsps: number; readonly crls: number };
  /** Missing paths or revocation data, one sentence each (with the field name). */
  readonly problems: readonly string[];
  /** Fields covered. */
  readonly fields: readonly string[];
}

const PURPOSE: Record<SignedObject['kind'], 'document-signing' | 'timestamping'> = {
  signature: 'document-signing',
  'signature-timestamp': 'timestamping',
  'document-timestamp': 'timestamping',
};

/**
 * Adds the validation data of every signature and time-stamp (signature time-stamps and document
 * time-stamps) of `pdf` to its document security store, in one incremental update that leaves
 * every signature intact: the certification path of each signer and TSA, and an OCSP response or
 * CRL for each certificate, taken from what is given or embedded and fetched when online. Data
 * already in the DSS and still usable is not fetched again. Returns the updated PDF.
 *
 * Throws `PadesError('NOT_SIGNED')` for a document without signatures, and with `strict`
 * `VALIDATION_DATA_INCOMPLETE` when something is missing.
 *
 * @example
 * ```ts
 * const lt = await addValidationData(signed, { trustAnchors: [rootPem], http: fetchHttpClient() });
 * ```
 */
export async function addValidationData(pdf: Uint8Array, options: AddValidationDataOptions = {}): Promise<Uint8Array> {
  return (await addValidationDataWithReport(pdf, options)).pdf;
}

/** {@link addValidationData}, also telling what was added and what could not be found. */
export async function addValidationDataWithReport(pdf: Uint8Array, options: AddValidationDataOptions = {}): Promise<ValidationDataReport> {
  const doc = PdfDocument.open(pdf);
  const time = options.time ?? (options.clock ?? systemClock).now();
  let entries = await signedEntries(doc);
  if (options.fields) entries = entries.filter((e) => options.fields!.includes(e.field));
  if (entries.length === 0) {
    throw new PadesError('NOT_SIGNED', options.fields ? `None of the fields ${options.fields.join(', ')} holds a signature.` : 'The PDF has no signature to add validation data for; sign it first.');
  }
  const dss = readDss(doc);
  const embedded = {
    certs: [...(dss?.certs ?? []), ...entries.flatMap((e) => e.objects.flatMap((o) => o.certificates))],
    crls: [...(dss?.crls ?? []), ...entries.flatMap((e) => e.objects.flatMap((o) => o.crls))],
    ocsps: [...(dss?.ocsps ?? []), ...entries.flatMap((e) => e.objects.flatMap((o) => o.ocspResponses))],
  };
  const collector = await ValidationDataCollector.create({
    trustAnchors: readAnchors(options.trustAnchors ?? []),
    certificates: [...embedded.certs, ...(options.certificates ?? [])],
    crls: [...embedded.crls, ...(options.crls ?? [])],
    ocspResponses: [...embedded.ocsps, ...(options.ocspResponses ?? [])],
    time,
    ...pick(options, ['http', 'online', 'cache', 'timeoutMs', 'prefer', 'clock']),
  });
  const problems: string[] = [];
  const all = { certs: [] as Uint8Array[], ocsps: [] as Uint8Array[], crls: [] as Uint8Array[] };
  const vri = new Map<string, Omit<VriEntry, 'time'>>();
  for (const entry of entries) {
    const mine = { certs: [] as Uint8Array[], ocsps: [] as Uint8Array[], crls: [] as Uint8Array[] };
    for (const o of entry.objects) {
      if (!o.signerCertificate) {
        problems.push(`${entry.field}: the ${describe(o)} names no certificate it carries`);
        continue;
      }
      const data = await collector.collect(o.signerCertificate, o.certificates, PURPOSE[o.kind]);
      for (const p of data.problems) problems.push(`${entry.field} (${describe(o)}): ${p}`);
      addAll(mine.certs, data.certificates);
      addAll(mine.ocsps, data.ocspResponses);
      addAll(mine.crls, data.crls);
    }
    addAll(all.certs, mine.certs);
    addAll(all.ocsps, mine.ocsps);
    addAll(all.crls, mine.crls);
    if (options.vri !== false) vri.set(entry.vriKeys[0]!, mine);
  }
  if (options.strict && problems.length > 0) {
    throw new PadesError('VALIDATION_DATA_INCOMPLETE', `Validation data is missing: ${problems.join('; ')}.`);
  }
  const added = {
    certs: countNew(all.certs, dss?.certs ?? []),
    ocsps: countNew(all.ocsps, dss?.ocsps ?? []),
    crls: countNew(all.crls, dss?.crls ?? []),
  };
  const vriChanged = [...vri].some(([k, v]) => !sameVri(dss?.vri.get(k), v));
  if (added.certs + added.ocsps + added.crls === 0 && !vriChanged) {
    return Object.freeze({ pdf, added, problems, fields: entries.map((e) => e.field) });
  }
  const up = doc.beginUpdate();
  await writeDss(doc, up, { ...all, vri }, time);
  return Object.freeze({ pdf: up.finish().bytes, added, problems, fields: entries.map((e) => e.field) });
}

function describe(o: SignedObject): string {
  return o.kind === 'signature' ? 'signature' : o.kind === 'signature-timestamp' ? 'signature time-stamp' : 'document time-stamp';
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function addAll(list: Uint8Array[], items: readonly Uint8Array[]): void {
  for (const i of items) if (!list.some((x) => bytesEqual(x, i))) list.push(i);
}

function countNew(items: readonly Uint8Array[], existing: readonly Uint8Array[]): number {
  return items.filter((i) => !existing.some((x) => bytesEqual(x, i))).length;
}

function sameVri(a: VriEntry | undefined, b: Omit<VriEntry, 'time'>): boolean {
  if (!a) return b.certs.length + b.ocsps.length + b.crls.length === 0;
  const covers = (x: readonly Uint8Array[], y: readonly Uint8Array[]) => y.every((i) => x.some((j) => bytesEqual(i, j)));
  return covers(a.certs, b.certs) && covers(a.ocsps, b.ocsps) && covers(a.crls, b.crls);
}

/** DER certificates from DER or PEM inputs. @internal */
export function readAnchors(input: readonly (Uint8Array | string)[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const a of input) {
    const text = typeof a === 'string' ? a : looksLikePem(a) ? new TextDecoder().decode(a) : null;
    if (text !== null) for (const b of decodePem(text)) if (b.label === 'CERTIFICATE') out.push(b.der);
    if (text === null && a instanceof Uint8Array) out.push(a);
  }
  return out;
}

/** @internal For tests and the CLI: the entries a document would get data for. */
export type { PdfSignedEntry };
