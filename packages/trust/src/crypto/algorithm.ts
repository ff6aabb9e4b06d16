import { bytesEqual } from '@kyso/core';
import { type DerNode, Tag, parseDer, readBitString, readOid, readSmallInt } from '../asn1/der.js';
import { Oid } from '../asn1/oids.js';
import { TrustError } from '../errors.js';
import { type HashName, hashFromOid } from './digest.js';
import type { NodeCrypto } from './node-crypto.js';

/** An AlgorithmIdentifier (RFC 5280 §4.1.1.2): the OID and the DER of its parameters, if any. */
export interface AlgorithmIdentifier {
  /** Dotted OID, e.g. `1.2.840.113549.1.1.11` for sha256WithRSAEncryption. */
  readonly oid: string;
  /** DER of the parameters field; absent when omitted (a NULL is kept as `05 00`). */
  readonly parameters?: Uint8Array;
  /** DER of the whole AlgorithmIdentifier. */
  readonly der: Uint8Array;
}

/** Reads an AlgorithmIdentifier SEQUENCE. @internal */
export function readAlgorithmIdentifier(node: DerNode): AlgorithmIdentifier {
  node.expect(Tag.sequence, 'AlgorithmIdentifier');
  const oid = readOid(node.child(0));
  const params = node.children()[1];
  return params ? { oid, parameters: params.der, der: node.der } : { oid, der: node.der };
}

/** True when two AlgorithmIdentifiers are the same (absent and NULL parameters are equal, RFC 5754 §3). @internal */
export function sameAlgorithm(a: AlgorithmIdentifier, b: AlgorithmIdentifier): boolean {
  if (a.oid !== b.oid) return false;
  const pa = a.parameters && !isNull(a.parameters) ? a.parameters : undefined;
  const pb = b.parameters && !isNull(b.parameters) ? b.parameters : undefined;
  if (!pa || !pb) return pa === pb;
  return bytesEqual(pa, pb);
}

function isNull(p: Uint8Array): boolean {
  return p.length === 2 && p[0] === 0x05 && p[1] === 0x00;
}

/** What a signature AlgorithmIdentifier asks the verifier to do. @internal */
export type SignatureScheme =
  | { readonly kind: 'rsa-pkcs1'; readonly hash: HashName }
  | { readonly kind: 'rsa-pss'; readonly hash: HashName; readonly mgfHash: HashName; readonly saltLength: number; readonly trailerField: number }
  | { readonly kind: 'ecdsa'; readonly hash: HashName }
  | { readonly kind: 'dsa'; readonly hash: HashName }
  | { readonly kind: 'ed25519' };

const SIMPLE: Record<string, SignatureScheme> = {
  [Oid.sha1WithRsa]: { kind: 'rsa-pkcs1', hash: 'SHA-1' },
  [Oid.sha224WithRsa]: { kind: 'rsa-pkcs1', hash: 'SHA-224' },
  [Oid.sha256WithRsa]: { kind: 'rsa-pkcs1', hash: 'SHA-256' },
  [Oid.sha384WithRsa]: { kind: 'rsa-pkcs1', hash: 'SHA-384' },
  [Oid.sha512WithRsa]: { kind: 'rsa-pkcs1', hash: 'SHA-512' },
  [Oid.ecdsaWithSha1]: { kind: 'ecdsa', hash: 'SHA-1' },
  [Oid.ecdsaWithSha224]: { kind: 'ecdsa', hash: 'SHA-224' },
  [Oid.ecdsaWithSha256]: { kind: 'ecdsa', hash: 'SHA-256' },
  [Oid.ecdsaWithSha384]: { kind: 'ecdsa', hash: 'SHA-384' },
  [Oid.ecdsaWithSha512]: { kind: 'ecdsa', hash: 'SHA-512' },
  [Oid.dsaWithSha1]: { kind: 'dsa', hash: 'SHA-1' },
  [Oid.dsaWithSha224]: { kind: 'dsa', hash: 'SHA-224' },
  [Oid.dsaWithSha256]: { kind: 'dsa', hash: 'SHA-256' },
  [Oid.ed25519]: { kind: 'ed25519' },
};

/**
 * The scheme of a signature AlgorithmIdentifier, or a text saying why it is not supported.
 * RSASSA-PSS parameters are read per RFC 4055 §3.1 (defaults SHA-1, MGF1-SHA-1, salt 20, trailer 1).
 * @internal
 */
export function signatureScheme(alg: AlgorithmIdentifier): SignatureScheme | string {
  const simple = SIMPLE[alg.oid];
  if (simple) return simple;
  if (alg.oid !== Oid.rsassaPss) return `signature algorithm ${alg.oid} is not supported`;
  let hash: HashName = 'SHA-1';
  let mgfHash: HashName = 'SHA-1';
  let saltLength = 20;
  let trailerField = 1;
  try {
    if (alg.parameters) {
      const seq = parseDer(alg.parameters).expect(Tag.sequence, 'RSASSA-PSS-params');
      for (const f of seq.children()) {
        if (f.isContext(0)) {
          const h = hashFromOid(readOid(f.child(0).child(0)));
          if (!h) return 'the RSASSA-PSS hash algorithm is not supported';
          hash = h;
        } else if (f.isContext(1)) {
          const mgf = f.child(0);
          if (readOid(mgf.child(0)) !== Oid.mgf1) return 'the RSASSA-PSS mask generation function is not MGF1';
          const h = hashFromOid(readOid(mgf.child(1).child(0)));
          if (!h) return 'the RSASSA-PSS MGF1 hash algorithm is not supported';
          mgfHash = h;
        } else if (f.isContext(2)) saltLength = readSmallInt(f.child(0));
        else if (f.isContext(3)) trailerField = readSmallInt(f.child(0));
      }
    }
  } catch (e) {
    if (e instanceof TrustError) return 'the RSASSA-PSS parameters are malformed';
    throw e;
  }
  if (trailerField !== 1) return 'the RSASSA-PSS trailer field is not 1 (RFC 4055 §3.1)';
  return { kind: 'rsa-pss', hash, mgfHash, saltLength, trailerField };
}

/** A SubjectPublicKeyInfo (RFC 5280 §4.1.2.7). */
export class PublicKeyInfo {
  private readonly keyCache = new Map<string, Promise<CryptoKey | null>>();
  private nodeKeyObject: object | null | undefined;

  private constructor(
    /** DER of the SubjectPublicKeyInfo. */
    readonly der: Uint8Array,
    /** The key's algorithm (rsaEncryption, id-ecPublicKey, id-dsa, ...). */
    readonly algorithm: AlgorithmIdentifier,
    /** The subjectPublicKey BIT STRING's bytes. */
    readonly keyBytes: Uint8Array,
  ) {}

  /** Parses a SubjectPublicKeyInfo. */
  static fromDer(der: Uint8Array): PublicKeyInfo {
    return PublicKeyInfo.fromNode(parseDer(der));
  }

  /** @internal */
  static fromNode(node: DerNode): PublicKeyInfo {
    node.expect(Tag.sequence, 'SubjectPublicKeyInfo');
    const algorithm = readAlgorithmIdentifier(node.child(0));
    const bits = readBitString(node.child(1).expect(Tag.bitString, 'subjectPublicKey'));
    return new PublicKeyInfo(node.der.slice(), algorithm, bits.bytes.slice());
  }

  /** `rsa`, `ec`, `dsa`, `ed25519` or `unknown`. */
  get keyType(): 'rsa' | 'ec' | 'dsa' | 'ed25519' | 'unknown' {
    switch (this.algorithm.oid) {
      case Oid.rsaEncryption:
      case Oid.rsassaPss:
        return 'rsa';
      case Oid.ecPublicKey:
        return 'ec';
      case Oid.dsa:
        return 'dsa';
      case Oid.ed25519:
        return 'ed25519';
      default:
        return 'unknown';
    }
  }

  /** True when the key carries no algorithm parameters (absent or NULL), as in RFC 5280 §6.1.4(f). */
  get hasParameters(): boolean {
    const p = this.algorithm.parameters;
    return p !== undefined && !isNull(p);
  }

  /**
   * A copy of this key that uses `parameters` from its issuer: DSA parameter inheritance,
   * RFC 5280 §6.1.4(f) and RFC 3279 §2.3.2.
   */
  withInheritedParameters(parameters: Uint8Array): PublicKeyInfo {
    const algorithm: AlgorithmIdentifier = { oid: this.algorithm.oid, parameters, der: this.algorithm.der };
    return new PublicKeyInfo(this.der, algorithm, this.keyBytes);
  }

  /** The node:crypto key (a KeyObject), read once; null when OpenSSL refuses it. @internal */
  nodeKey(node: NodeCrypto): object | null {
    if (this.nodeKeyObject === undefined) {
      try {
        this.nodeKeyObject = node.createPublicKey({ key: this.der, format: 'der', type: 'spki' });
      } catch {
        this.nodeKeyObject = null;
      }
    }
    return this.nodeKeyObject;
  }

  /** The WebCrypto key for `algorithm`, imported once; null when WebCrypto refuses it. @internal */
  cryptoKey(name: string, algorithm: RsaHashedImportParams | EcKeyImportParams | Algorithm): Promise<CryptoKey | null> {
    let p = this.keyCache.get(name);
    if (!p) {
      const der = new Uint8Array(this.der); // exactly these bytes in their own buffer
      p = globalThis.crypto.subtle.importKey('spki', der.buffer, algorithm, false, ['verify']).then(
        (k) => k,
        () => null,
      );
      this.keyCache.set(name, p);
    }
    return p;
  }
}
