/**
 * Runs `fn` as a browser would, without `process.getBuiltinModule`: the isomorphic packages then
 * take their portable path (WebCrypto, JavaScript) instead of Node's native one (`nodeBuiltin`).
 * Shared by the tests that check both paths reach the same verdict.
 */
export async function withoutNodeBuiltins<T>(fn: () => Promise<T>): Promise<T> {
  const saved = process.getBuiltinModule;
  Object.assign(process, { getBuiltinModule: undefined });
  try {
    return await fn();
  } finally {
    Object.assign(process, { getBuiltinModule: saved });
  }
}
