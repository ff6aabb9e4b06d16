import { describe, expect, it } from 'vitest';
import { nodeBuiltin } from '@kyso/core';
import { withoutNodeBuiltins } from './helpers/platform.js';

describe('nodeBuiltin', () => {
  it('finds a Node built-in at run time, and nothing where the runtime offers no getBuiltinModule (a browser)', async () => {
    expect(typeof nodeBuiltin<{ createHash: unknown }>('node:crypto')?.createHash).toBe('function');
    expect(await withoutNodeBuiltins(async () => nodeBuiltin('node:crypto'))).toBeUndefined();
    expect(typeof nodeBuiltin<{ createHash: unknown }>('node:crypto')?.createHash).toBe('function'); // given back
  });
});
