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
