import { createHash } from 'node:crypto';
import { nodeHashName, nodeIncremental, type DigestEngine } from '../digest/digest-engine.js';

/**
 * A {@link DigestEngine} over Node's `crypto.createHash` (OpenSSL): use it in Node to hash large
 * streamed content at native speed.
 *
 * @example
 * ```ts
 * import { signCades } from '@kyso/cms';
 * import { nodeDigestEngine, fileContent } from '@kyso/cms/node';
 * const p7s = await signCades({ signer, content: fileContent('big.iso'), digestEngine: nodeDigestEngine });
 * ```
 */
export const nodeDigestEngine: DigestEngine = {
  create(algorithm) {
    return nodeIncremental(createHash(nodeHashName(algorithm)));
  },
};
