/**
 * `--pkcs11 MODULE.so --token LABEL [--pin-env VAR] [--key-label L | --key-id HEX] [--slot ID]`:
 * the key options that sign with a USB token or HSM through @kyso/pkcs11 (DESIGN.md, "The CLI
 * contract"). The package — and its native binding — is loaded only when --pkcs11 is given.
 */
import type { Signer } from '@kyso/cms';
import { decodePem, fromHex } from '@kyso/core';
import { UsageError } from './errors.js';
import { readInput } from './io.js';

/** The options this helper reads, to merge into the command's option table. */
export const PKCS11_KEY_OPTIONS = {
  pkcs11: { type: 'string' },
  token: { type: 'string' },
  slot: { type: 'string' },
  'pin-env': { type: 'string' },
  'key-label': { type: 'string' },
  'key-id': { type: 'string' },
} as const;

/** Help lines for the options above. */
export const PKCS11_KEY_HELP = `  --pkcs11 MODULE.so --token LABEL   a USB token or HSM through its PKCS#11 driver
      [--pin-env VAR]                 the user PIN from environment variable VAR (else asked on a terminal)
      [--key-label L | --key-id HEX]  which key, when the token holds several
      [--slot ID]                     which token, when two share a label
      [--cert CERT.pem]               the certificate, when the token does not hold it`;

/** A signer that holds a token session: close it when the command is done. */
export type ClosableSigner = Signer & { close(): Promise<void> };

/** Extra ways to get the PIN: the caller's hidden terminal prompt. */
export interface Pkcs11OptionHooks {
  /** Asks for the PIN (without echo); resolves to undefined when there is no terminal. */
  readonly askPin?: (prompt: string) => Promise<string | undefined>;
}

async function certificatesIn(path: string, what: string): Promise<Uint8Array[]> {
  const bytes = await readInput(path, what);
  const text = new TextDecoder().decode(bytes);
  if (!text.includes('-----BEGIN')) return [bytes]; // DER
  const certs = decodePem(text).filter((b) => b.label === 'CERTIFICATE').map((b) => b.der);
  if (certs.length === 0) throw new UsageError(`${path} holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`);
  return certs;
}

/**
 * Builds the token `Signer` that `--pkcs11` and its companions name. The PIN comes from
 * `--pin-env VAR`, else from `hooks.askPin`; with neither, the token's own PIN pad is used if
 * it has one (otherwise @kyso/pkcs11 reports PKCS11_PIN_REQUIRED).
 *
 * @throws UsageError for bad or missing options; Pkcs11Error (a KysoError) for token trouble
 */
export async function signerFromPkcs11Options(values: Record<string, unknown>, hooks: Pkcs11OptionHooks = {}): Promise<ClosableSigner> {
  const modulePath = values['pkcs11'];
  if (typeof modulePath !== 'string' || modulePath === '') throw new UsageError('--pkcs11 needs the path of the token driver library, e.g. --pkcs11 /usr/lib/softhsm/libsofthsm2.so.');
  const tokenLabel = values['token'];
  if (tokenLabel !== undefined && typeof tokenLabel !== 'string') throw new UsageError('--token takes the token label.');
  let slot: number | undefined;
  if (values['slot'] !== undefined) {
    const s = String(values['slot']);
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(s)) throw new UsageError(`--slot takes a slot ID (a number, as "kyso" token listings show), not "${s}".`);
    slot = Number(s);
  }
  const keyLabel = values['key-label'];
  const keyIdHex = values['key-id'];
  if (keyLabel !== undefined && typeof keyLabel !== 'string') throw new UsageError('--key-label takes the key label.');
  let keyId: Uint8Array | undefined;
  if (keyIdHex !== undefined) {
    const h = String(keyIdHex).replace(/[:\s]/g, '');
    if (!/^([0-9a-f]{2})+$/i.test(h)) throw new UsageError(`--key-id takes the key's CKA_ID in hex (such as 01 or 4a:5b), not "${String(keyIdHex)}".`);
    keyId = fromHex(h.toLowerCase());
  }

  let pin: string | undefined;
  const pinEnv = values['pin-env'];
  if (pinEnv !== undefined) {
    if (typeof pinEnv !== 'string' || pinEnv === '') throw new UsageError('--pin-env takes the name of an environment variable that holds the PIN.');
    pin = process.env[pinEnv];
    if (pin === undefined) throw new UsageError(`The environment variable ${pinEnv} (from --pin-env) is not set.`);
  } else if (hooks.askPin) {
    pin = await hooks.askPin(`PIN of token ${typeof tokenLabel === 'string' ? `"${tokenLabel}"` : ''}`.trimEnd());
  }

  const certificate = typeof values['cert'] === 'string' ? (await certificatesIn(values['cert'], 'certificate file'))[0] : undefined;
  const chain: Uint8Array[] = [];
  for (const f of (values['chain'] as string[] | undefined) ?? []) chain.push(...(await certificatesIn(f, 'chain file')));

  // Loaded only now: the native binding is not needed until a command names --pkcs11.
  const mod = await import('@kyso/pkcs11');
  return mod.openPkcs11Signer({
    module: modulePath,
    ...(typeof tokenLabel === 'string' ? { tokenLabel } : {}),
    ...(slot !== undefined ? { slot } : {}),
    ...(pin !== undefined ? { pin } : {}),
    ...(typeof keyLabel === 'string' ? { keyLabel } : {}),
    ...(keyId ? { keyId } : {}),
    ...(certificate ? { certificate } : {}),
    ...(chain.length ? { chain } : {}),
  });
}
