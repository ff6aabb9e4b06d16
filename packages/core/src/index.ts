export { KysoError, isKysoError } from './errors.js';
export {
  toHex,
  fromHex,
  toBase64,
  fromBase64,
  concatBytes,
  bytesEqual,
  utf8,
  latin1,
  fromLatin1,
  toArrayBuffer,
  trimDer,
} from './bytes.js';
export { decodePem, pemToDer, encodePem, looksLikePem } from './pem.js';
export type { PemBlock } from './pem.js';
export { systemClock, fixedClock, formatVietnamTime } from './clock.js';
export type { Clock } from './clock.js';
export { fetchHttpClient } from './http.js';
export type { HttpClient, HttpRequest, HttpResponse } from './http.js';
export { nodeBuiltin, NODE_HASH_NAMES } from './runtime.js';
