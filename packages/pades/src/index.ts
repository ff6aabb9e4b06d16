export { PadesError } from './errors.js';
export type { PadesErrorCode } from './errors.js';
export {
  BYTE_RANGE_PLACEHOLDER,
  formatByteRange,
  estimateContentsSize,
  checkByteRange,
  coverageOf,
} from './byterange/index.js';
export type { ByteRange, ByteRangeCheck, ByteRangeContext, ContentsSizeInput, Coverage } from './byterange/index.js';
export { signPdf } from './sign/sign-pdf.js';
export { preparePdfSignature, finishPdfSignature } from './sign/staged.js';
export type { PreparedPdfSignature, PreparedPdfSignatureState, FinishPdfSignatureOptions } from './sign/staged.js';
export type {
  SignPdfOptions,
  PreparePdfSignatureOptions,
  PdfSignatureOptions,
  SignatureFieldSpec,
  PlainAppearance,
  PreparedAppearance,
  PdfRect,
  SigningSubFilter,
} from './sign/options.js';
export { DOCMDP_PERMISSION_NAMES } from './mdp/permissions.js';
export type { DocMdpPermission, FieldLock } from './mdp/permissions.js';
export { verifyPdf } from './verify/verify-pdf.js';
export type { VerifyPdfOptions } from './verify/verify-pdf.js';
export type {
  PdfVerificationReport,
  SignatureReport,
  SignerIdentity,
  SignatureKind,
  Indication,
  SubIndication,
  ModificationsAfter,
  Change,
  ChangeClassification,
} from './verify/report.js';
export { COMMENT_ANNOTATIONS } from './verify/diff/index.js';

// Visible signatures (Decree 30/2020/ND-CP layouts): see src/appearance/README.md.
export * from './appearance/index.js';
export { fillTextFields } from './fields/fill-text-fields.js';
export type { FillTextFieldsOptions } from './fields/fill-text-fields.js';
export { addValidationData, addValidationDataWithReport, addDocumentTimestamp, extendPdf, extendPdfWithReport, signLevelOptions, readDss, vriKey } from './ltv/index.js';
export type { AddValidationDataOptions, ValidationDataReport, AddDocumentTimestampOptions, ExtendPdfOptions, ExtendPdfReport, LongTermLevel, PadesLevel, SignLevelPlan, DssContents, VriEntry } from './ltv/index.js';
