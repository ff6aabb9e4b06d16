import { expect } from 'vitest';
import type { PdfVerificationReport } from '../../src/index.js';

/** Asserts that every signature of the report is TOTAL-PASSED, printing the errors when not. */
export function expectAllPassed(report: PdfVerificationReport, count: number): void {
  expect(report.signatures.map((s) => ({ field: s.field, indication: s.indication, sub: s.subIndication, errors: s.errors }))).toEqual(
    report.signatures.map((s) => ({ field: s.field, indication: 'TOTAL-PASSED', sub: null, errors: [] })),
  );
  expect(report.signatures).toHaveLength(count);
}
