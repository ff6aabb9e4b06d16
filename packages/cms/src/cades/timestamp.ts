/**
 * CAdES B-T (ETSI EN 319 122-1 §6.3, §5.3): a signature-time-stamp unsigned attribute
 * (id-aa-signatureTimeStampToken, RFC 3161 Appendix A) whose message imprint is the hash of the
 * SignerInfo's signature value.
 */
import { children, ctx, oid, raw, seq, setOf, tlv } from '../asn1/der.js';
import { OID, type HashAlgorithm } from '../algorithms.js';
import { CmsError } from '../errors.js';
import { hashBytes } from '../tsp/request.js';
import type { TimeStamper } from '../tsp/time-stamper.js';
import { encodeAttribute } from './attributes.js';
import { parseSignedData } from './signed-data.js';

/** Options of {@link addSignatureTimestamp}. */
export interface AddSignatureTimestampOptions {
  /** Hash of the signature value sent to the TSA; default SHA-256. */
  readonly hashAlgorithm?: HashAlgorithm;
}

/**
 * Time-stamps the signature value of every SignerInfo in `der` with `timeStamper` and returns the
 * new ContentInfo DER with the tokens as signature-time-stamp unsigned attributes (appended after
 * any existing ones; the signed parts are copied byte for byte, so the signature still verifies).
 *
 * @example
 * ```ts
 * const p7sBT = await addSignatureTimestamp(p7s, httpTimeStamper({ url: tsaUrl }));
 * ```
 */
export async function addSignatureTimestamp(der: Uint8Array, timeStamper: TimeStamper, options: AddSignatureTimestampOptions = {}): Promise<Uint8Array> {
  const hashAlgorithm = options.hashAlgorithm ?? 'SHA-256';
  const sd = parseSignedData(der);
  if (sd.signerInfos.length === 0) throw new CmsError('CMS_NO_SIGNER', 'The SignedData has no SignerInfo to time-stamp.');
  const newSignerInfos: Uint8Array[] = [];
  for (const si of sd.signerInfos) {
    const imprint = await hashBytes(hashAlgorithm, si.signature);
    const token = await timeStamper.timestamp(imprint, hashAlgorithm);
    const fields = children(si.element);
    const unsignedT = fields.find((f) => f.tag === 0xa1);
    const existing = unsignedT ? children(unsignedT).map(raw) : [];
    const attr = encodeAttribute({ type: OID.signatureTimeStampToken, values: [token] });
    newSignerInfos.push(seq(...fields.filter((f) => f.tag !== 0xa1).map(raw), tlv(0xa1, ...existing, attr)));
  }
  const sdFields = children(sd.signedData);
  const rebuilt = seq(...sdFields.slice(0, -1).map(raw), setOf(newSignerInfos));
  return seq(oid(OID.signedData), ctx(0, rebuilt));
}
