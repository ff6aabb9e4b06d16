export {
  BYTE_RANGE_DIGITS,
  BYTE_RANGE_PLACEHOLDER,
  formatByteRange,
  contentsPlaceholder,
  byteRangeFor,
  patchByteRange,
  embedContents,
  estimateContentsSize,
} from './placeholder.js';
export type { ByteRange, PlaceholderOffsets, ContentsSizeInput } from './placeholder.js';
export { checkByteRange, coverageOf, readBytes } from './check.js';
export type { ByteAccess, ByteRangeCheck, ByteRangeContext, Coverage } from './check.js';
