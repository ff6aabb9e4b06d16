/**
 * The modification (difference) analysis of later revisions, cf. pyHanko's diff_analysis.
 * The implementation lives in `./diff/`; this module keeps the entry point verify-pdf uses.
 */
export { analyseModifications } from './diff/index.js';
export type { ModificationAnalysis, ModificationPolicy } from './diff/index.js';
