/**
 * Opening a session on a token and logging the user in (PKCS#11 v2.40 §5.6).
 */
import { translate, type Binding, type Handle, type ModuleLease } from './binding.js';
import { Pkcs11Error } from './errors.js';
import { selectToken, type Pkcs11TokenInfo } from './token.js';

/** Which token to open and how to unlock it. */
export interface TokenSelection {
  /** Path of the PKCS#11 module (the token driver library). */
  readonly module: string;
  /** The token label (trailing blanks ignored). */
  readonly tokenLabel?: string;
  /** The slot ID, as {@link listPkcs11Tokens} reports it. */
  readonly slot?: number;
  /**
   * The user PIN. Leave it out only for a reader with its own PIN pad (protected authentication
   * path), or to list public objects.
   */
  readonly pin?: string;
}

/** An open, logged-in session. */
export interface OpenSession {
  readonly lease: ModuleLease;
  readonly session: Handle;
  readonly slot: Handle;
  readonly token: Pkcs11TokenInfo;
  readonly loggedIn: boolean;
  close(): void;
}

/**
 * Opens a read-only session on the selected token and logs the user in. With `requireLogin`
 * false and no PIN, the session stays public (certificates only).
 */
export function openSession(lease: ModuleLease, sel: TokenSelection, requireLogin: boolean): OpenSession {
  const { binding: b, lib } = lease;
  const { slot, info } = selectToken(b, lib, sel.module, sel.tokenLabel, sel.slot);
  const ctx = { tokenLabel: info.label };
  if (sel.pin !== undefined && typeof sel.pin !== 'string') throw new Pkcs11Error('PKCS11_BAD_OPTIONS', 'The PIN must be a string.');
  let session: Handle;
  try {
    session = lib.C_OpenSession(slot, b.CKF_SERIAL_SESSION);
  } catch (e) {
    throw translate(b, e, 'C_OpenSession', ctx);
  }
  const close = () => {
    try {
      // No C_Logout: the login belongs to every session of this process on the token
      // (PKCS#11 v2.40 §5.6), and closing the last session ends it.
      lib.C_CloseSession(session);
    } catch {
      // The token may be gone already.
    }
  };
  let loggedIn = false;
  try {
    const mustLogin = info.loginRequired && (requireLogin || sel.pin !== undefined);
    if (mustLogin) {
      login(b, lease, session, slot, info, sel.pin);
      loggedIn = true;
    }
  } catch (e) {
    close();
    throw e;
  }
  return { lease, session, slot, token: info, loggedIn, close };
}

function login(b: Binding, lease: ModuleLease, session: Handle, slot: Handle, info: Pkcs11TokenInfo, pin: string | undefined): void {
  const { lib } = lease;
  if (info.userPinLocked) {
    throw translate(b, Object.assign(new Error('CKR_PIN_LOCKED'), { code: b.CKR_PIN_LOCKED }), 'C_Login', { tokenLabel: info.label });
  }
  if (pin === undefined && !info.protectedAuthenticationPath) {
    throw new Pkcs11Error('PKCS11_PIN_REQUIRED', `Token "${info.label}" needs the user PIN to sign; pass it as \`pin\` (CLI: --pin-env VAR names an environment variable holding it).`);
  }
  try {
    if (pin === undefined) lib.C_Login(session, b.CKU_USER);
    else lib.C_Login(session, b.CKU_USER, pin);
  } catch (e) {
    // Another session of this process is logged in already: the login is shared (§5.6).
    if ((e as { code?: number }).code === b.CKR_USER_ALREADY_LOGGED_IN && /CKR_/.test(String((e as Error).message))) return;
    let flags: number | undefined;
    let minPinLen: number | undefined;
    let maxPinLen: number | undefined;
    try {
      const t = lib.C_GetTokenInfo(slot);
      flags = t.flags;
      minPinLen = t.minPinLen;
      maxPinLen = t.maxPinLen;
    } catch {
      // Only for a friendlier message.
    }
    throw translate(b, e, 'C_Login', {
      tokenLabel: info.label,
      ...(flags === undefined ? {} : { tokenFlags: flags }),
      ...(minPinLen === undefined ? {} : { minPinLen }),
      ...(maxPinLen === undefined ? {} : { maxPinLen }),
    });
  }
}
