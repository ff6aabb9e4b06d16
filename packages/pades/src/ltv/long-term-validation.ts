/**
 * Long-term validation of the certificates behind a PDF's signatures and time-stamps: the
 * generic path validation with proofs of existence is @kyso/cms's {@link LongTermChainValidator}
 * (ETSI EN 319 102-1 §5.6; its file comment lists the conclusions); this adds what is PDF-specific —
 * the DSS as data at hand, document time-stamps as proofs of existence of earlier revisions
 * (ETSI EN 319 142-1 §5.4.3), and the revision that completed the validation data (B-LT).
 */
import type { HttpClient } from '@kyso/core';
import { LongTermChainValidator, type ChainOutcome, type ChainRequest } from '@kyso/cms';
import type { PdfDocument } from '@kyso/pdf';
import type { Certificate, FetchCache } from '@kyso/trust';
import { readDss, type DssContents } from './dss.js';

export type { ChainOutcome, ChainRequest };

/** Options of {@link LongTermValidator.create}. */
export interface LongTermValidatorOptions {
  readonly anchors: readonly Certificate[];
  /** The validation time V. */
  readonly time: Date;
  /** Fetch OCSP responses, CRLs and issuers. */
  readonly online: boolean;
  readonly http?: HttpClient | undefined;
  readonly cache?: FetchCache | undefined;
  readonly timeoutMs?: number | undefined;
  /** Require revocation data even for certificates that name no CRL or OCSP service; default false. */
  readonly requireRevocation?: boolean | undefined;
}

/** A document time-stamp as verified. */
export interface DocumentTimestampRecord {
  readonly revision: number;
  readonly field: string;
  readonly time: Date;
  readonly tsa: string | null;
  /** Token intact, imprint matching the byte ranges, TSA path valid. */
  readonly valid: boolean;
  readonly problems: readonly string[];
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Validates certificate paths for one document, sharing its DSS, fetches and proofs of existence. */
export class LongTermValidator {
  private readonly docTimestamps: DocumentTimestampRecord[] = [];
  private readonly dssByRevision = new Map<number, DssContents | null>();

  private constructor(
    private readonly chains: LongTermChainValidator,
    /** The DSS of the last revision. */
    readonly dss: DssContents | null,
    private readonly doc: PdfDocument,
  ) {}

  static async create(doc: PdfDocument, options: LongTermValidatorOptions): Promise<LongTermValidator> {
    let dss: DssContents | null = null;
    try {
      dss = readDss(doc);
    } catch {
      dss = null;
    }
    const chains = await LongTermChainValidator.create({
      ...options,
      data: { certificates: dss?.certs ?? [], crls: dss?.crls ?? [], ocspResponses: dss?.ocsps ?? [] },
    });
    return new LongTermValidator(chains, dss, doc);
  }

  get online(): boolean {
    return this.chains.online;
  }

  get hasAnchors(): boolean {
    return this.chains.hasAnchors;
  }

  /** See {@link LongTermChainValidator.validateChain}; the DSS is the data at hand. */
  validateChain(req: ChainRequest): Promise<ChainOutcome> {
    return this.chains.validateChain(req);
  }

  /**
   * Records a verified document time-stamp. A valid one of `revision` proves that every earlier
   * revision existed at its genTime (ETSI EN 319 102-1 §5.6.2.3, POE from time-stamps).
   */
  registerDocumentTimestamp(record: DocumentTimestampRecord): void {
    this.docTimestamps.push(Object.freeze({ ...record, problems: Object.freeze([...record.problems]) }));
  }

  /** The document time-stamps of revisions after `revision`, oldest first. */
  documentTimestampsAfter(revision: number): readonly DocumentTimestampRecord[] {
    return this.docTimestamps.filter((d) => d.revision > revision).sort((a, b) => a.revision - b.revision);
  }

  /** The earliest proof of existence of what revision `revision` holds: a valid later document time-stamp. */
  poeForRevision(revision: number): Date | null {
    let best: Date | null = null;
    for (const p of this.docTimestamps) if (p.valid && p.revision > revision && (!best || p.time < best)) best = p.time;
    return best;
  }

  /**
   * The first revision at or after `from` whose DSS holds every value of `evidence` that the
   * signed object does not carry itself (`own`); null when no revision holds them all.
   */
  firstRevisionHolding(evidence: readonly Uint8Array[], from: number, own: { readonly crls: readonly Uint8Array[]; readonly ocspResponses: readonly Uint8Array[] }, leaf?: Uint8Array): number | null {
    const ownAll = [...own.crls, ...own.ocspResponses];
    const needed = evidence.filter((e) => !ownAll.some((o) => sameBytes(o, e)));
    // Nothing needed revocation data (no certificate names a service): B-LT then means the DSS holds the signer's path.
    if (needed.length === 0 && evidence.length > 0) return from;
    for (let r = from; r < this.doc.revisions.length; r++) {
      let d = this.dssByRevision.get(r);
      if (d === undefined) {
        try {
          d = readDss(this.doc.atRevision(r));
        } catch {
          d = null;
        }
        this.dssByRevision.set(r, d);
      }
      if (!d) continue;
      const all = [...d.crls, ...d.ocsps];
      if (needed.length === 0 ? leaf !== undefined && d.certs.some((c) => sameBytes(c, leaf)) : needed.every((e) => all.some((x) => sameBytes(x, e)))) return r;
    }
    return null;
  }
}
