/**
 * Slots and tokens (PKCS#11 v2.40 §5.5): enumerating what is plugged in and picking one token by
 * label or slot ID.
 */
import { acquireModule, translate, type Binding, type Handle, type Library } from './binding.js';
import { Pkcs11Error } from './errors.js';

/** A token present in a slot, as {@link listPkcs11Tokens} reports it. */
export interface Pkcs11TokenInfo {
  /** The slot ID (CK_SLOT_ID) to pass as `slot` when two tokens share a label. */
  readonly slotId: number;
  /** The slot's description (usually the card reader's name), trimmed. */
  readonly slotDescription: string;
  /** The token label (CK_TOKEN_INFO.label), trimmed: what `tokenLabel` / `--token` matches. */
  readonly label: string;
  /** CK_TOKEN_INFO.manufacturerID, trimmed. */
  readonly manufacturer: string;
  /** CK_TOKEN_INFO.model, trimmed. */
  readonly model: string;
  /** CK_TOKEN_INFO.serialNumber, trimmed: tells apart two tokens of the same make. */
  readonly serialNumber: string;
  /** CKF_TOKEN_INITIALIZED: false for a blank token (such as SoftHSM2's free slot); it cannot be used to sign. */
  readonly initialized: boolean;
  /** CKF_LOGIN_REQUIRED: a PIN is needed before the private keys show. */
  readonly loginRequired: boolean;
  /** CKF_PROTECTED_AUTHENTICATION_PATH: the PIN is typed on the reader's own keypad, not given to kyso. */
  readonly protectedAuthenticationPath: boolean;
  /** CKF_USER_PIN_LOCKED: too many wrong PINs; the token cannot sign until the PIN is unlocked. */
  readonly userPinLocked: boolean;
  /** CKF_USER_PIN_COUNT_LOW / CKF_USER_PIN_FINAL_TRY: wrong PINs were entered recently. */
  readonly userPinCountLow: boolean;
  /** CKF_USER_PIN_FINAL_TRY: one more wrong PIN locks the token. */
  readonly userPinFinalTry: boolean;
}

/** A token chosen for use: its slot handle and description. */
export interface SelectedToken {
  readonly slot: Handle;
  readonly info: Pkcs11TokenInfo;
}

/** The numeric value of a CK_SLOT_ID handle (native-endian CK_ULONG). */
export function handleToNumber(h: Handle): number {
  if (h.length >= 8) {
    const v = h.readBigUInt64LE(0);
    return Number(v);
  }
  return h.readUInt32LE(0);
}

/** Reads every slot that holds a token. */
export function readTokens(binding: Binding, lib: Library): SelectedToken[] {
  let slots: Handle[];
  try {
    slots = lib.C_GetSlotList(true);
  } catch (e) {
    throw translate(binding, e, 'C_GetSlotList');
  }
  const out: SelectedToken[] = [];
  for (const slot of slots) {
    let t: ReturnType<Library['C_GetTokenInfo']>;
    let slotDescription = '';
    try {
      t = lib.C_GetTokenInfo(slot);
    } catch {
      // A token pulled out between the two calls: it is simply not there.
      continue;
    }
    try {
      slotDescription = lib.C_GetSlotInfo(slot).slotDescription.trim();
    } catch {
      // The description is informative only.
    }
    const f = t.flags;
    out.push({
      slot,
      info: Object.freeze({
        slotId: handleToNumber(slot),
        slotDescription,
        label: t.label.trim(),
        manufacturer: t.manufacturerID.trim(),
        model: t.model.trim(),
        serialNumber: t.serialNumber.trim(),
        initialized: (f & binding.CKF_TOKEN_INITIALIZED) !== 0,
        loginRequired: (f & binding.CKF_LOGIN_REQUIRED) !== 0,
        protectedAuthenticationPath: (f & binding.CKF_PROTECTED_AUTHENTICATION_PATH) !== 0,
        userPinLocked: (f & binding.CKF_USER_PIN_LOCKED) !== 0,
        userPinCountLow: (f & binding.CKF_USER_PIN_COUNT_LOW) !== 0,
        userPinFinalTry: (f & binding.CKF_USER_PIN_FINAL_TRY) !== 0,
      }),
    });
  }
  return out;
}

const describe = (t: Pkcs11TokenInfo): string => `"${t.label}" (slot ${t.slotId}${t.manufacturer ? `, ${t.manufacturer}` : ''})`;

/**
 * Picks the token named by `tokenLabel` and/or `slot`; with neither, the only initialised token.
 *
 * @throws Pkcs11Error `PKCS11_TOKEN_NOT_FOUND`, `PKCS11_TOKEN_AMBIGUOUS`
 */
export function selectToken(binding: Binding, lib: Library, modulePath: string, tokenLabel: string | undefined, slot: number | undefined): SelectedToken {
  const all = readTokens(binding, lib);
  const usable = all.filter((t) => t.info.initialized);
  const present = usable.length ? `Tokens present: ${usable.map((t) => describe(t.info)).join(', ')}.` : `No initialised token is present in any slot of ${modulePath}: plug in the USB token (and check that its driver sees it).`;
  const matches = usable.filter((t) => (tokenLabel === undefined || t.info.label === tokenLabel.trim()) && (slot === undefined || t.info.slotId === slot));
  if (matches.length === 1) return matches[0]!;
  if (matches.length === 0) {
    const wanted = [tokenLabel !== undefined ? `label "${tokenLabel}"` : '', slot !== undefined ? `slot ${slot}` : ''].filter(Boolean).join(' in ');
    throw new Pkcs11Error('PKCS11_TOKEN_NOT_FOUND', wanted ? `No token with ${wanted} was found through ${modulePath}. ${present}` : present);
  }
  throw new Pkcs11Error('PKCS11_TOKEN_AMBIGUOUS', `${matches.length} tokens match; name one with its slot ID (slot / --slot). ${present}`);
}

/**
 * Lists the tokens a PKCS#11 module sees, blank ones included (`initialized: false`), for a
 * "which token?" prompt or `kyso` listing. Needs no PIN.
 *
 * @example
 * ```ts
 * for (const t of await listPkcs11Tokens('/usr/lib/softhsm/libsofthsm2.so')) console.log(t.label, t.slotId);
 * ```
 * @throws Pkcs11Error `PKCS11_MODULE_NOT_FOUND`, `PKCS11_MODULE_UNLOADABLE`, `PKCS11_BINDING_UNAVAILABLE`
 */
export async function listPkcs11Tokens(module: string): Promise<Pkcs11TokenInfo[]> {
  const lease = await acquireModule(module);
  try {
    return readTokens(lease.binding, lease.lib).map((t) => t.info);
  } finally {
    lease.release();
  }
}
