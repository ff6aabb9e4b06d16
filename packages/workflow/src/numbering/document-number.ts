import type { NumberingOptions } from '../route/route.js';

/** The number and symbol of an issued document (Decree 30/2020 Art. 15, Appendix I §II.4). */
export interface DocumentNumber {
  /** 1, 2, 3 … within agency, type and year. */
  readonly number: number;
  /** The calendar year (Vietnam time) the number belongs to. */
  readonly year: number;
  readonly agency: string;
  readonly documentType: string;
  /** Number and symbol as printed: `01/QĐ-UBND`, `15/QĐ-UBND`. */
  readonly symbol: string;
}

/** The counter a number is drawn from: one per agency, document type and calendar year. */
export interface NumberCounterKey {
  readonly agency: string;
  readonly documentType: string;
  readonly year: number;
}

/** The calendar year in Vietnam (UTC+07:00, no DST): numbers restart on 1 January there, not in UTC. */
export function vietnamYear(at: Date): number {
  return new Date(at.getTime() + 7 * 3600_000).getUTCFullYear();
}

/**
 * Formats a document number: numbers below 10 get a leading zero (Appendix I: "01", "02" … "09",
 * "10"), followed by `/` and the symbol, e.g. `formatDocumentNumber(1, n)` → `01/QĐ-UBND`.
 */
export function formatDocumentNumber(number: number, numbering: NumberingOptions): string {
  if (!Number.isInteger(number) || number < 1) throw new RangeError('A document number is a positive integer.');
  const symbol = numbering.symbol ?? `${numbering.documentType}-${numbering.agency}`;
  return `${String(number).padStart(2, '0')}/${symbol}`;
}

/** Builds the {@link DocumentNumber} record. */
export function documentNumber(number: number, year: number, numbering: NumberingOptions): DocumentNumber {
  return Object.freeze({
    number,
    year,
    agency: numbering.agency,
    documentType: numbering.documentType,
    symbol: formatDocumentNumber(number, numbering),
  });
}
