/**
 * Loading the `pkcs11js` native binding and a PKCS#11 module (the token driver, a `.so`/`.dll`),
 * and turning Cryptoki return values (PKCS#11 v2.40 §5.1) into {@link Pkcs11Error}s.
 *
 * One module file is initialised once per process (C_Initialize, PKCS#11 v2.40 §5.4) and
 * finalised when the last user releases it: a second C_Initialize would fail with
 * CKR_CRYPTOKI_ALREADY_INITIALIZED and an early C_Finalize would pull the token from under
 * another signer.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type * as Pkcs11js from 'pkcs11js';
import { Pkcs11Error } from './errors.js';

/** The `pkcs11js` module namespace (constants, the `PKCS11` class). */
export type Binding = typeof Pkcs11js;
/** A loaded PKCS#11 module. */
export type Library = Pkcs11js.PKCS11;
/** A Cryptoki handle (slot, session or object), as `pkcs11js` passes it. */
export type Handle = Buffer;

let bindingPromise: Promise<Binding> | undefined;

/** Loads the native binding on first use, so importing `@kyso/pkcs11` costs nothing. */
export function loadBinding(): Promise<Binding> {
  bindingPromise ??= import('pkcs11js').then(
    (m) => ((m as { default?: Binding }).default ?? (m as unknown as Binding)),
    (cause: unknown) => {
      bindingPromise = undefined;
      throw new Pkcs11Error(
        'PKCS11_BINDING_UNAVAILABLE',
        'The native PKCS#11 binding (pkcs11js) could not be loaded. It is compiled from source when installed: install python3, make and a C++ compiler, then run "pnpm install" (pnpm must be allowed to build pkcs11js: list it under onlyBuiltDependencies).',
        { cause },
      );
    },
  );
  return bindingPromise;
}

interface LoadedModule {
  readonly binding: Binding;
  readonly lib: Library;
  refs: number;
  /** False when someone else in this process had initialised the library already. */
  readonly ownsInit: boolean;
}

const modules = new Map<string, Promise<LoadedModule>>();

/** A loaded, initialised module; call `release()` exactly once when done. */
export interface ModuleLease {
  readonly binding: Binding;
  readonly lib: Library;
  /** The module path as given. */
  readonly path: string;
  release(): void;
}

/**
 * Loads and initialises the PKCS#11 module at `path`, or shares the copy already loaded.
 *
 * @throws Pkcs11Error `PKCS11_MODULE_NOT_FOUND`, `PKCS11_MODULE_UNLOADABLE`, `PKCS11_BINDING_UNAVAILABLE`
 */
export async function acquireModule(path: string): Promise<ModuleLease> {
  if (typeof path !== 'string' || path === '') {
    throw new Pkcs11Error('PKCS11_BAD_OPTIONS', 'Name the PKCS#11 module: the path of the token driver library (for example /usr/lib/softhsm/libsofthsm2.so, or the .so/.dll that came with the USB token).');
  }
  // A bare file name ("libsofthsm2.so") is left to the dynamic loader's search path.
  const isPath = path.includes('/') || path.includes('\\');
  const key = isPath ? resolve(path) : path;
  if (isPath && !existsSync(key)) {
    throw new Pkcs11Error(
      'PKCS11_MODULE_NOT_FOUND',
      `No PKCS#11 module at ${path}. Install the token's driver (the USB token vendor's software, or "apt-get install softhsm2" for SoftHSM2) and pass the path of its library, such as /usr/lib/softhsm/libsofthsm2.so or /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so.`,
    );
  }
  let entry = modules.get(key);
  if (!entry) {
    entry = openModule(path, key);
    modules.set(key, entry);
    entry.catch(() => modules.delete(key));
  }
  const m = await entry;
  m.refs++;
  let released = false;
  return {
    binding: m.binding,
    lib: m.lib,
    path,
    release() {
      if (released) return;
      released = true;
      if (--m.refs > 0) return;
      modules.delete(key);
      try {
        if (m.ownsInit) m.lib.C_Finalize();
      } catch {
        // Finalising a module whose token vanished can fail; nothing is left to clean up.
      }
      try {
        m.lib.close();
      } catch {
        // Already closed.
      }
    },
  };
}

async function openModule(path: string, key: string): Promise<LoadedModule> {
  const binding = await loadBinding();
  const lib = new binding.PKCS11();
  try {
    lib.load(key);
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    if (/no such file|cannot open shared object/i.test(message) && !existsSync(key)) {
      throw new Pkcs11Error('PKCS11_MODULE_NOT_FOUND', `No PKCS#11 module named ${path} could be found. Pass the full path of the token driver library (for SoftHSM2: /usr/lib/softhsm/libsofthsm2.so).`, { cause });
    }
    throw new Pkcs11Error('PKCS11_MODULE_UNLOADABLE', `${path} could not be loaded as a PKCS#11 module (${message}). Check that it is the token's PKCS#11 library (not its management tool) and built for this machine's architecture.`, { cause });
  }
  let ownsInit = true;
  try {
    // OS locking: the binding signs on a worker thread (PKCS#11 v2.40 §5.4 CKF_OS_LOCKING_OK).
    lib.C_Initialize({ flags: binding.CKF_OS_LOCKING_OK });
  } catch (e) {
    const code = ckrCode(e);
    if (code === binding.CKR_CRYPTOKI_ALREADY_INITIALIZED) ownsInit = false;
    else if (code === binding.CKR_CANT_LOCK) {
      try {
        lib.C_Initialize();
      } catch (e2) {
        lib.close();
        throw translate(binding, e2, `C_Initialize of ${path}`);
      }
    } else {
      lib.close();
      throw translate(binding, e, `C_Initialize of ${path}`);
    }
  }
  return { binding, lib, refs: 0, ownsInit };
}

/** The CK_RV of an error thrown by the binding, or undefined for other errors. */
export function ckrCode(e: unknown): number | undefined {
  if (!(e instanceof Error)) return undefined;
  const code = (e as Error & { code?: unknown }).code;
  return typeof code === 'number' && /CKR_/.test(e.message) ? code : undefined;
}

/** The CKR_ name of a return value, e.g. `CKR_PIN_INCORRECT`. */
export function ckrName(binding: Binding, code: number): string {
  for (const [k, v] of Object.entries(binding)) if (k.startsWith('CKR_') && v === code) return k;
  return `CKR 0x${code.toString(16)}`;
}

/** Context for a translated error: which token, to name it in messages. */
export interface ErrorContext {
  readonly tokenLabel?: string;
  /** CK_TOKEN_INFO flags read after a failed login, for PIN-retry warnings. */
  readonly tokenFlags?: number;
  readonly minPinLen?: number;
  readonly maxPinLen?: number;
}

/**
 * Turns an error from the binding into a {@link Pkcs11Error} with a code from the list in
 * `errors.ts` and a message that says what to do. `what` names the operation ("C_Login").
 */
export function translate(binding: Binding, e: unknown, what: string, ctx: ErrorContext = {}): Pkcs11Error {
  if (e instanceof Pkcs11Error) return e;
  const code = ckrCode(e);
  const token = ctx.tokenLabel === undefined ? 'the token' : `token "${ctx.tokenLabel}"`;
  if (code === undefined) {
    return new Pkcs11Error('PKCS11_FAILED', `${what} failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  const b = binding;
  const flags = ctx.tokenFlags ?? 0;
  switch (code) {
    case b.CKR_PIN_INCORRECT: {
      const warn =
        flags & b.CKF_USER_PIN_FINAL_TRY
          ? ' Careful: one more wrong PIN locks the token.'
          : flags & b.CKF_USER_PIN_COUNT_LOW
            ? ' Careful: few tries are left before the token locks.'
            : ' After a few wrong tries the token locks itself.';
      return new Pkcs11Error('PKCS11_PIN_INCORRECT', `The PIN for ${token} is incorrect (CKR_PIN_INCORRECT). Check it and try again.${warn}`, { cause: e });
    }
    case b.CKR_PIN_LEN_RANGE:
    case b.CKR_PIN_INVALID: {
      const range = ctx.minPinLen !== undefined && ctx.maxPinLen !== undefined ? ` (the token takes ${ctx.minPinLen} to ${ctx.maxPinLen} characters)` : '';
      return new Pkcs11Error('PKCS11_PIN_INCORRECT', `${token[0]!.toUpperCase()}${token.slice(1)} rejected the PIN's length or characters${range} (${ckrName(b, code)}). Check the PIN and try again.`, { cause: e });
    }
    case b.CKR_PIN_LOCKED:
      return new Pkcs11Error('PKCS11_PIN_LOCKED', `The user PIN of ${token} is locked after too many wrong tries (CKR_PIN_LOCKED). Unlock it with the security officer PIN or PUK (the token vendor's tool, or "pkcs11-tool --init-pin --login --login-type so"), or ask the certificate authority that issued the token.`, { cause: e });
    case b.CKR_PIN_EXPIRED:
      return new Pkcs11Error('PKCS11_PIN_EXPIRED', `The PIN of ${token} has expired (CKR_PIN_EXPIRED). Change it with the token vendor's tool, then sign again.`, { cause: e });
    case b.CKR_USER_PIN_NOT_INITIALIZED:
      return new Pkcs11Error('PKCS11_PIN_NOT_INITIALIZED', `${token[0]!.toUpperCase()}${token.slice(1)} has no user PIN yet (CKR_USER_PIN_NOT_INITIALIZED). Set one with the token vendor's tool (or "softhsm2-util --init-token" for SoftHSM2).`, { cause: e });
    case b.CKR_TOKEN_NOT_PRESENT:
    case b.CKR_DEVICE_REMOVED:
    case b.CKR_SESSION_HANDLE_INVALID:
    case b.CKR_SESSION_CLOSED:
    case b.CKR_TOKEN_NOT_RECOGNIZED:
      return new Pkcs11Error('PKCS11_TOKEN_REMOVED', `${token[0]!.toUpperCase()}${token.slice(1)} is no longer available (${ckrName(b, code)} from ${what}). Plug the token in again and retry.`, { cause: e });
    case b.CKR_MECHANISM_INVALID:
    case b.CKR_MECHANISM_PARAM_INVALID:
    case b.CKR_KEY_TYPE_INCONSISTENT:
    case b.CKR_KEY_FUNCTION_NOT_PERMITTED:
      return new Pkcs11Error('PKCS11_MECHANISM_UNSUPPORTED', `${token[0]!.toUpperCase()}${token.slice(1)} refused to sign with this key and algorithm (${ckrName(b, code)} from ${what}). Choose the algorithm the certificate names (signatureAlgorithm), or another key.`, { cause: e });
    default:
      return new Pkcs11Error('PKCS11_FAILED', `${what} failed with ${ckrName(b, code)} on ${token}.`, { cause: e });
  }
}
