/**
 * A Node built-in module looked up at run time (`process.getBuiltinModule`, Node >= 20.16), or
 * undefined in a browser: isomorphic packages use Node's native code where there is one without
 * importing `node:*`, so browser bundles stay free of Node modules. `T` is what the caller uses of it.
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule(id) as T | undefined) : undefined;
}

/** node:crypto's names of the SHA hashes (`createHash`, `verify`). @internal */
export const NODE_HASH_NAMES = { 'SHA-1': 'sha1', 'SHA-224': 'sha224', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' } as const;
