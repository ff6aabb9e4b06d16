/**
 * Incremental hashing. WebCrypto's `digest` is one-shot (it needs the whole input in memory), so
 * content that streams in chunks (a 1 GB file, a PDF's byte ranges) is hashed by an incremental
 * implementation. In browsers that is `@noble/hashes` (audited, pure JS, already a dependency of
 * pkijs). It is slow next to native code (measured on the 2-core CI machine: SHA-256 119 MB/s
 * against 1.7 GB/s for Node's OpenSSL, SHA-512 64 against 786 MB/s), so in Node the default
 * engine uses `node:crypto` through `process.getBuiltinModule` (Node >= 20.16), a runtime lookup
 * that keeps this module free of Node imports for browser bundles.
 */
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { nodeBuiltin, NODE_HASH_NAMES, toArrayBuffer } from '@kyso/core';
import type { DigestAlgorithm } from '../algorithms.js';
import { CmsError } from '../errors.js';

/** A running hash: feed it chunks, then read the digest once. */
export interface IncrementalDigest {
  update(chunk: Uint8Array): void;
  digest(): Uint8Array | Promise<Uint8Array>;
  /**
   * Optional: an independent hash in the same state, to continue two ways from a common prefix
   * (the digests of several signatures' byte ranges in one pass over a PDF).
   */
  copy?(): IncrementalDigest;
}

/** Makes running hashes; inject one to hash with a native implementation. */
export interface DigestEngine {
  create(algorithm: DigestAlgorithm): IncrementalDigest;
}

const NOBLE = { 'SHA-1': sha1, 'SHA-256': sha256, 'SHA-384': sha384, 'SHA-512': sha512 } as const;

/** The portable engine over `@noble/hashes` (pure JS; any runtime). */
export const nobleDigestEngine: DigestEngine = {
  create(algorithm) {
    const fn = NOBLE[algorithm];
    if (!fn) throw new CmsError('CMS_UNSUPPORTED_ALGORITHM', `Unknown digest algorithm "${String(algorithm)}"; use SHA-256, SHA-384 or SHA-512.`);
    return nobleIncremental(fn.create());
  },
};

type NobleHash = { update(b: Uint8Array): unknown; digest(): Uint8Array; clone(): NobleHash };
function nobleIncremental(h: NobleHash): IncrementalDigest {
  return { update: (chunk) => void h.update(chunk), digest: () => h.digest(), copy: () => nobleIncremental(h.clone()) };
}

/**
 * What can be signed or verified: the bytes themselves, a stream of chunks (hashed as they
 * arrive, never held whole), or a digest computed elsewhere (e.g. over a PDF's ByteRange).
 */
export type Content = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array> | { readonly digest: Uint8Array };

interface NodeHash {
  update(b: Uint8Array): unknown;
  digest(): Uint8Array;
  copy(): NodeHash;
}

/** An {@link IncrementalDigest} over a Node `crypto.Hash`. @internal */
export function nodeIncremental(h: NodeHash): IncrementalDigest {
  return { update: (chunk) => void h.update(chunk), digest: () => new Uint8Array(h.digest()), copy: () => nodeIncremental(h.copy()) };
}

/** node:crypto's name of a digest algorithm (`sha256`). @internal */
export function nodeHashName(algorithm: DigestAlgorithm): string {
  const name = Object.hasOwn(NODE_HASH_NAMES, algorithm) ? NODE_HASH_NAMES[algorithm] : undefined;
  if (!name) throw new CmsError('CMS_UNSUPPORTED_ALGORITHM', `Unknown digest algorithm "${String(algorithm)}"; use SHA-256, SHA-384 or SHA-512.`);
  return name;
}

let detected: DigestEngine | undefined;

/**
 * The engine used when none is injected: Node's native hashes when the runtime offers
 * `process.getBuiltinModule` (Node >= 20.16), otherwise {@link nobleDigestEngine}.
 */
export function defaultDigestEngine(): DigestEngine {
  if (detected) return detected;
  const nodeCrypto = nodeBuiltin<{ createHash(alg: string): NodeHash }>('node:crypto');
  detected = nodeCrypto
    ? {
        create: (algorithm) => nodeIncremental(nodeCrypto.createHash(nodeHashName(algorithm))),
      }
    : nobleDigestEngine;
  return detected;
}

/** True when `c` is a pre-computed digest. */
export function isDigestContent(c: Content): c is { readonly digest: Uint8Array } {
  return !(c instanceof Uint8Array) && typeof c === 'object' && c !== null && 'digest' in c && (c as { digest: unknown }).digest instanceof Uint8Array;
}

/**
 * The digest of `bytes`: with Node's native hash where there is one (at once, without the copy
 * and the thread-pool round trip of WebCrypto in Node), else with WebCrypto (native speed in
 * browsers, unlike the pure-JS engine).
 */
export async function digestBytes(algorithm: DigestAlgorithm, bytes: Uint8Array): Promise<Uint8Array> {
  const engine = defaultDigestEngine();
  if (engine === nobleDigestEngine) return new Uint8Array(await globalThis.crypto.subtle.digest(algorithm, toArrayBuffer(bytes)));
  const h = engine.create(algorithm);
  h.update(bytes);
  return await h.digest();
}

/**
 * Hashes `content` with `algorithm`. Whole byte arrays with {@link digestBytes}; streams chunk
 * by chunk through `engine` (default {@link defaultDigestEngine}). A pre-computed digest is
 * returned as is.
 */
export async function digestContent(content: Content, algorithm: DigestAlgorithm, engine: DigestEngine = defaultDigestEngine()): Promise<Uint8Array> {
  if (content instanceof Uint8Array) return await digestBytes(algorithm, content);
  if (isDigestContent(content)) return content.digest;
  const h = engine.create(algorithm);
  if (Symbol.asyncIterator in content) {
    for await (const chunk of content as AsyncIterable<Uint8Array>) h.update(chunk);
  } else if (Symbol.iterator in content) {
    for (const chunk of content as Iterable<Uint8Array>) h.update(chunk);
  } else {
    throw new CmsError('CMS_BAD_OPTIONS', 'content must be a Uint8Array, an (async) iterable of Uint8Array chunks, or { digest }.');
  }
  return await h.digest();
}
