// PAdES B-LT and B-LTA (ETSI EN 319 142-1 §5.4): the DSS, document time-stamps, extension.
export { addValidationData, addValidationDataWithReport } from './add-validation-data.js';
export type { AddValidationDataOptions, ValidationDataReport } from './add-validation-data.js';
export { addDocumentTimestamp } from './document-timestamp.js';
export type { AddDocumentTimestampOptions } from './document-timestamp.js';
export { extendPdf, extendPdfWithReport } from './extend.js';
export type { ExtendPdfOptions, ExtendPdfReport, LongTermLevel } from './extend.js';
export { signLevelOptions } from './sign-level.js';
export type { PadesLevel, SignLevelPlan } from './sign-level.js';
export { readDss, vriKey } from './dss.js';
export type { DssContents, VriEntry } from './dss.js';
