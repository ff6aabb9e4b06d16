/**
 * What signing at a PAdES baseline level (ETSI EN 319 142-1 §6) takes: a TSA for B-T and above,
 * then the DSS (B-LT) and an archive time-stamp (B-LTA) after the signature.
 */
import { httpTimeStamper, type TimeStamper } from '@kyso/cms';
import type { HttpClient } from '@kyso/core';
import { PadesError } from '../errors.js';
import { addValidationData, type AddValidationDataOptions } from './add-validation-data.js';
import { extendPdf } from './extend.js';

/** A PAdES baseline level. */
export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';

/** What {@link signLevelOptions} returns. */
export interface SignLevelPlan {
  readonly level: PadesLevel;
  /** Pass to `signPdf` (`{ ...options, ...plan.signOptions }`): the TSA for B-T and above. */
  readonly signOptions: { readonly timeStamper?: TimeStamper };
  /** Run on `signPdf`'s output: adds the DSS (B-LT) and the archive time-stamp (B-LTA); B-B/B-T return it as is. */
  finish(signed: Uint8Array, options?: Omit<AddValidationDataOptions, 'http'>): Promise<Uint8Array>;
}

/**
 * The options and the follow-up step for signing at `level`: B-B needs nothing; B-T a TSA
 * (`tsaUrl`); B-LT also fetches validation data into the DSS (over `http`, default `fetch`);
 * B-LTA then adds a document time-stamp. Throws `PadesError('BAD_OPTIONS')` for an unknown
 * level or a missing TSA URL.
 *
 * @example
 * ```ts
 * const plan = signLevelOptions('B-LTA', 'http://tsa.example/tsa', fetchHttpClient());
 * const signed = await plan.finish(await signPdf(pdf, { signer, ...plan.signOptions }), { trustAnchors: [rootPem] });
 * ```
 */
export function signLevelOptions(level: PadesLevel, tsaUrl?: string, http?: HttpClient): SignLevelPlan {
  if (!['B-B', 'B-T', 'B-LT', 'B-LTA'].includes(level)) throw new PadesError('BAD_OPTIONS', `The level must be B-B, B-T, B-LT or B-LTA, not "${String(level)}".`);
  if (level === 'B-B') return { level, signOptions: {}, finish: async (signed) => signed };
  if (!tsaUrl) throw new PadesError('BAD_OPTIONS', `Level ${level} needs a time-stamping authority: give its URL (--tsa URL).`);
  const timeStamper = httpTimeStamper({ url: tsaUrl, ...(http ? { http } : {}) });
  const net = http ? { http } : { online: true };
  return {
    level,
    signOptions: { timeStamper },
    async finish(signed, options = {}) {
      if (level === 'B-T') return signed;
      if (level === 'B-LT') return addValidationData(signed, { ...options, ...net });
      return extendPdf(signed, { ...options, ...net, level: 'B-LTA', timeStamper });
    },
  };
}
