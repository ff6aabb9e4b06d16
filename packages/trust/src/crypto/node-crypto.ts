import { nodeBuiltin, NODE_HASH_NAMES } from '@kyso/core';

/** What @kyso/trust uses of node:crypto. @internal */
export interface NodeCrypto {
  createHash(algorithm: string): { update(data: Uint8Array): { digest(): Uint8Array } };
  createPublicKey(options: { key: Uint8Array; format: 'der'; type: 'spki' }): object;
  verify(algorithm: string | null, data: Uint8Array, key: object, signature: Uint8Array): boolean;
  readonly constants: { readonly RSA_PKCS1_PSS_PADDING: number };
}

/**
 * node:crypto where the runtime offers it (`process.getBuiltinModule`, Node >= 20.16), else
 * undefined (browsers: WebCrypto and this package's JavaScript). In Node, hashing and checking a
 * signature with it is synchronous and native, where WebCrypto first loads its own modules and
 * queues every call on the thread pool (~2 ms of a cold `kyso verify`). @internal
 */
export function nodeCrypto(): NodeCrypto | undefined {
  return nodeBuiltin<NodeCrypto>('node:crypto');
}

/** node:crypto's names of the hashes (core's table, shared with @kyso/cms). @internal */
export const NODE_HASH = NODE_HASH_NAMES;
