// Difference analysis of what follows a signature (internal to @kyso/pades' verification).
export { analyseModifications } from './analyse.js';
export type { ModificationAnalysis, ModificationPolicy } from './analyse.js';
export { COMMENT_ANNOTATIONS } from './revision-diff.js';
export type { Permission } from './change-log.js';
