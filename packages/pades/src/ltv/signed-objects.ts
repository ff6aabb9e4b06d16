/**
 * The signed objects of a PDF whose certificates need validation data for the long term: each
 * signature's CMS, its signature-time-stamp tokens (ETSI EN 319 142-1 §5.3), and each document
 * time-stamp token (§5.4.3).
 */
import { bytesEqual, trimDer } from '@kyso/core';
import { OID, parseSignedData, readEmbeddedValidationData, signerCertificateFor } from '@kyso/cms';
import { listSignatures, type PdfDocument, type PdfSignatureInfo } from '@kyso/pdf';
import { vriKey } from './dss.js';

/** A CMS SignedData in the document (a signature or a time-stamp token) and where it came from. */
export interface SignedObject {
  readonly kind: 'signature' | 'signature-timestamp' | 'document-timestamp';
  /** The field of the signature (or document timestamp) it belongs to. */
  readonly field: string;
  /** The revision index (0 = original) that wrote the signature dictionary. */
  readonly revision: number;
  /** The CMS DER (ContentInfo). */
  readonly der: Uint8Array;
  /** The signer's certificate (DER), when found. */
  readonly signerCertificate: Uint8Array | undefined;
  /** Every other certificate the CMS carries. */
  readonly certificates: readonly Uint8Array[];
  /** Revocation data the CMS carries (RFC 5940, adbe-revocationInfoArchival, CAdES revocation-values). */
  readonly crls: readonly Uint8Array[];
  readonly ocspResponses: readonly Uint8Array[];
}

/** One signature or document time-stamp with its signed objects. */
export interface PdfSignedEntry {
  readonly info: PdfSignatureInfo;
  readonly field: string;
  readonly revision: number;
  readonly isDocumentTimestamp: boolean;
  /** The VRI key of the whole /Contents (padding included) and of the bare DER. */
  readonly vriKeys: readonly string[];
  /** The signature (or document time-stamp token) itself, then its signature time-stamp tokens. */
  readonly objects: readonly SignedObject[];
}

function signedObject(kind: SignedObject['kind'], field: string, revision: number, der: Uint8Array): SignedObject | null {
  try {
    const sd = parseSignedData(der);
    const embedded = readEmbeddedValidationData(der);
    const signer = signerCertificateFor(sd);
    return {
      kind,
      field,
      revision,
      der,
      signerCertificate: signer,
      certificates: embedded.certificates.filter((c) => c !== signer && !(signer && bytesEqual(c, signer))),
      crls: embedded.crls,
      ocspResponses: embedded.ocspResponses,
    };
  } catch {
    return null;
  }
}

/** Every signature and document time-stamp of `doc` with the signed objects inside it. */
export async function signedEntries(doc: PdfDocument): Promise<PdfSignedEntry[]> {
  const out: PdfSignedEntry[] = [];
  for (const info of listSignatures(doc)) {
    if (!info.contents) continue;
    const isDocumentTimestamp = info.type === 'DocTimeStamp' || info.subFilter === 'ETSI.RFC3161';
    const revision = info.revision ?? doc.revisions.length - 1;
    const der = trimDer(info.contents);
    const field = info.field.name;
    const main = signedObject(isDocumentTimestamp ? 'document-timestamp' : 'signature', field, revision, der);
    const objects: SignedObject[] = main ? [main] : [];
    if (main && !isDocumentTimestamp) {
      try {
        const si = parseSignedData(der).signerInfos[0];
        for (const a of si?.unsignedAttrs ?? []) {
          if (a.type !== OID.signatureTimeStampToken) continue;
          for (const token of a.values) {
            const o = signedObject('signature-timestamp', field, revision, token);
            if (o) objects.push(o);
          }
        }
      } catch {
        /* already parsed once */
      }
    }
    const keys = [await vriKey(info.contents)];
    if (der.length !== info.contents.length) keys.push(await vriKey(der));
    out.push({ info, field, revision, isDocumentTimestamp, vriKeys: keys, objects });
  }
  return out;
}
