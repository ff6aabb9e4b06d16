import { latin1 } from '@kyso/core';
import { PadesError } from '../errors.js';

/**
 * Digits reserved for each number of /ByteRange: ten digits cover files up to 9 999 999 999 bytes.
 * The placeholder is fixed-width so patching it never moves a byte (ISO 32000-2 §12.8.1: the
 * /ByteRange is written before the digest is computed and is itself covered by it).
 */
export const BYTE_RANGE_DIGITS = 10;

/** The fixed-width /ByteRange array written before the offsets are known: `[0 0000000000 0000000000 0000000000]`. */
export const BYTE_RANGE_PLACEHOLDER = `[0 ${'0'.repeat(BYTE_RANGE_DIGITS)} ${'0'.repeat(BYTE_RANGE_DIGITS)} ${'0'.repeat(BYTE_RANGE_DIGITS)}]`;

/** The four numbers of a /ByteRange with exactly two ranges: `[start1 length1 start2 length2]`. */
export type ByteRange = readonly [number, number, number, number];

/**
 * The fixed-width text of `range`, as wide as {@link BYTE_RANGE_PLACEHOLDER}: the numbers, then
 * spaces before the closing bracket.
 */
export function formatByteRange(range: ByteRange): string {
  const body = `[${range.join(' ')}`;
  const width = BYTE_RANGE_PLACEHOLDER.length;
  if (body.length + 1 > width || range.some((n) => !Number.isSafeInteger(n) || n < 0 || String(n).length > BYTE_RANGE_DIGITS)) {
    throw new PadesError('BAD_OPTIONS', `The byte range ${body}] does not fit the ${BYTE_RANGE_DIGITS}-digit /ByteRange placeholder; files above 9.9 GB are not supported.`);
  }
  return body + ' '.repeat(width - body.length - 1) + ']';
}

/**
 * The /Contents hex-string placeholder for `size` bytes of CMS: `<` + 2×size zeros + `>`.
 * Trailing zero bytes after the DER are what every reader expects (ISO 32000-2 §12.8.1).
 */
export function contentsPlaceholder(size: number): string {
  if (!Number.isSafeInteger(size) || size < 1) throw new PadesError('BAD_OPTIONS', `contentsSize must be a positive integer, not ${size}.`);
  return `<${'0'.repeat(size * 2)}>`;
}

/** Where the placeholders sit in a prepared file (absolute byte offsets). */
export interface PlaceholderOffsets {
  /** Offset of the `[` of the /ByteRange array. */
  readonly byteRangeAt: number;
  /** Offset of the `<` that opens the /Contents hex string. */
  readonly contentsStart: number;
  /** Offset just past the `>` that closes the /Contents hex string. */
  readonly contentsEnd: number;
}

/** The /ByteRange of a file of `fileLength` bytes whose only gap is the /Contents string. */
export function byteRangeFor(p: PlaceholderOffsets, fileLength: number): ByteRange {
  return [0, p.contentsStart, p.contentsEnd, fileLength - p.contentsEnd];
}

/**
 * Writes the final /ByteRange into `bytes` in place (same width as the placeholder) and returns it.
 * Throws `BAD_OPTIONS` when the offsets do not point at a placeholder.
 */
export function patchByteRange(bytes: Uint8Array, p: PlaceholderOffsets): ByteRange {
  checkPlaceholders(bytes, p);
  const range = byteRangeFor(p, bytes.length);
  bytes.set(latin1(formatByteRange(range)), p.byteRangeAt);
  return range;
}

/**
 * Writes `cms` as hex into the /Contents placeholder in place; the rest stays `0`.
 * A CMS larger than the placeholder throws `SIGNATURE_TOO_LARGE`: a signature is never truncated.
 */
export function embedContents(bytes: Uint8Array, p: PlaceholderOffsets, cms: Uint8Array): void {
  const capacity = (p.contentsEnd - p.contentsStart - 2) >> 1;
  if (cms.length > capacity) {
    throw new PadesError(
      'SIGNATURE_TOO_LARGE',
      `The signature is ${cms.length} bytes but the /Contents placeholder holds ${capacity}; sign again with a larger contentsSize (at least ${cms.length}).`,
    );
  }
  const HEX = '0123456789ABCDEF';
  let o = p.contentsStart + 1;
  for (const b of cms) {
    bytes[o++] = HEX.charCodeAt(b >> 4);
    bytes[o++] = HEX.charCodeAt(b & 15);
  }
}

function checkPlaceholders(bytes: Uint8Array, p: PlaceholderOffsets): void {
  const br = latin1(BYTE_RANGE_PLACEHOLDER);
  const at = bytes.subarray(p.byteRangeAt, p.byteRangeAt + br.length);
  const brOk = at.length === br.length && at[0] === 0x5b && at[at.length - 1] === 0x5d;
  const cOk = bytes[p.contentsStart] === 0x3c && bytes[p.contentsEnd - 1] === 0x3e && (p.contentsEnd - p.contentsStart) % 2 === 0;
  if (!brOk || !cOk) {
    throw new PadesError('BAD_STATE', 'The placeholder offsets do not point at a /ByteRange array and a /Contents hex string; the prepared PDF was changed or does not belong to this state.');
  }
}

/** What goes into the CMS, to size the /Contents placeholder from (ETSI EN 319 142-1 §5.1: B-B and later levels). */
export interface ContentsSizeInput {
  /** DER of every certificate embedded in the SignedData (signer first). */
  readonly certificates: readonly Uint8Array[];
  /** Size of the raw signature value in bytes (RSA: modulus bytes; ECDSA: DER of r,s). */
  readonly signatureSize: number;
  /** Digest length in bytes of the message-digest attribute. */
  readonly digestSize: number;
  /** Bytes reserved for an RFC 3161 signature-time-stamp token (B-T); 0 when none. */
  readonly timestampSize?: number;
  /** Bytes reserved for revocation data carried inside the CMS (adbe-revocationInfoArchival); 0 when none. */
  readonly revocationSize?: number;
  /** DER size of the signer's IssuerAndSerialNumber when known; otherwise bounded from the signer certificate. */
  readonly issuerSerialSize?: number;
}

/**
 * Bytes of /Contents to reserve for a CMS holding `input`: the certificates, twice the signer's
 * issuer and serial (sid and signing-certificate-v2), the signed attributes, the signature, and
 * the estimated timestamp and revocation data, plus a fixed margin for ASN.1 headers. Rounded up
 * to 512 bytes so that small variations (ECDSA signature length) never overflow it.
 */
export function estimateContentsSize(input: ContentsSizeInput): number {
  const certs = input.certificates.reduce((n, c) => n + c.length + 8, 0);
  const signerCert = input.certificates[0]?.length ?? 2048;
  // sid + ESSCertIDv2.issuerSerial each repeat the issuer Name and serial (RFC 5035 §4).
  const issuerSerial = input.issuerSerialSize ?? Math.min(Math.ceil(signerCert / 2), 600);
  const signedAttrs = 64 + (input.digestSize + 24) + (input.digestSize + 32 + issuerSerial) + 64;
  const signerInfo = 64 + issuerSerial + signedAttrs + input.signatureSize + 16;
  const total = 96 + certs + signerInfo + (input.timestampSize ?? 0) + (input.revocationSize ?? 0);
  return Math.ceil((total + 256) / 512) * 512;
}
