import { toArrayBuffer } from '@kyso/core';
import { Oid } from '../asn1/oids.js';
import { NODE_HASH, nodeCrypto } from './node-crypto.js';
import { sha224 } from './sha2.js';

/** Hash functions kyso can compute: WebCrypto's four plus SHA-224. */
export type HashName = 'SHA-1' | 'SHA-224' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/** Digest of `data`: with node:crypto in Node, else WebCrypto (SHA-224 in JavaScript, as WebCrypto lacks it). */
export async function digest(hash: HashName, data: Uint8Array): Promise<Uint8Array> {
  const node = nodeCrypto();
  if (node) return new Uint8Array(node.createHash(NODE_HASH[hash]).update(data).digest());
  if (hash === 'SHA-224') return sha224(data);
  return new Uint8Array(await globalThis.crypto.subtle.digest(hash, toArrayBuffer(data)));
}

/** Output length in bytes. @internal */
export const hashLength: Record<HashName, number> = {
  'SHA-1': 20,
  'SHA-224': 28,
  'SHA-256': 32,
  'SHA-384': 48,
  'SHA-512': 64,
};

/** Digest algorithm OIDs (RFC 5754, RFC 3279). @internal */
export const hashOid: Record<HashName, string> = {
  'SHA-1': Oid.sha1,
  'SHA-224': Oid.sha224,
  'SHA-256': Oid.sha256,
  'SHA-384': Oid.sha384,
  'SHA-512': Oid.sha512,
};

/** The hash named by a digest AlgorithmIdentifier OID, or undefined. @internal */
export function hashFromOid(oid: string): HashName | undefined {
  for (const [name, o] of Object.entries(hashOid)) if (o === oid) return name as HashName;
  return undefined;
}
