import { KysoError } from '@kyso/core';

/**
 * A PKCS#11 token or HSM could not be reached, unlocked or used to sign. Each code comes with a
 * message that tells the user what to do next (plug in the token, check the PIN, name the key).
 *
 * Codes:
 * - `PKCS11_BINDING_UNAVAILABLE` — the native `pkcs11js` addon is not built;
 * - `PKCS11_MODULE_NOT_FOUND` — no file at the module path;
 * - `PKCS11_MODULE_UNLOADABLE` — the file is not a PKCS#11 library for this machine;
 * - `PKCS11_TOKEN_NOT_FOUND`, `PKCS11_TOKEN_AMBIGUOUS`, `PKCS11_TOKEN_REMOVED`;
 * - `PKCS11_PIN_REQUIRED`, `PKCS11_PIN_INCORRECT` (CKR_PIN_INCORRECT, CKR_PIN_LEN_RANGE, CKR_PIN_INVALID),
 *   `PKCS11_PIN_LOCKED` (CKR_PIN_LOCKED), `PKCS11_PIN_EXPIRED`, `PKCS11_PIN_NOT_INITIALIZED`;
 * - `PKCS11_KEY_NOT_FOUND`, `PKCS11_KEY_AMBIGUOUS`, `PKCS11_KEY_UNSUPPORTED`;
 * - `PKCS11_CERT_NOT_FOUND`, `PKCS11_KEY_CERT_MISMATCH`;
 * - `PKCS11_MECHANISM_UNSUPPORTED` — the token cannot sign with the chosen algorithm;
 * - `PKCS11_BAD_OPTIONS`, `PKCS11_CLOSED` (the signer was closed);
 * - `PKCS11_FAILED` — any other Cryptoki error; the message names the CKR_ value and the function.
 */
export class Pkcs11Error extends KysoError {}
