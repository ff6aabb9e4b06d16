import type { Signer } from '@kyso/cms';
import { decodePem } from '@kyso/core';
import { UsageError } from './errors.js';
import { readInput } from './io.js';
import { PKCS11_KEY_HELP, PKCS11_KEY_OPTIONS, signerFromPkcs11Options } from './keys-pkcs11.js';

/** The options every signing command takes to name its key (DESIGN.md, "The CLI contract"). */
export const KEY_OPTIONS = {
  p12: { type: 'string' },
  'password-env': { type: 'string' },
  key: { type: 'string' },
  cert: { type: 'string' },
  chain: { type: 'string', multiple: true },
  ...PKCS11_KEY_OPTIONS,
} as const;

export const KEY_HELP = `Key (one of):
  --p12 FILE [--password-env VAR]     PKCS#12 (.p12/.pfx), legacy 3DES/RC2 included
  --key KEY.pem --cert CERT.pem       PEM private key and certificate
${PKCS11_KEY_HELP}
  --chain CA.pem                      intermediate certificates to embed (repeatable)
The password or PIN is read from the environment variable VAR, or asked for on a terminal.`;

/** Reads a secret from `--<flag> VAR` or, on a terminal, from a prompt that does not echo. */
async function secret(values: Record<string, unknown>, flag: string, what: string): Promise<string | undefined> {
  const envName = values[flag] as string | undefined;
  if (envName !== undefined) {
    const v = process.env[envName];
    if (v === undefined) throw new UsageError(`The environment variable ${envName} (from --${flag}) is not set.`);
    return v;
  }
  if (!process.stdin.isTTY) return undefined;
  return promptHidden(`${what}: `);
}

function promptHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off('data', onData);
          process.stderr.write('\n');
          return resolve(value);
        }
        if (ch === '\u0003') process.exit(130);
        value = ch === '\u007f' ? value.slice(0, -1) : value + ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function chainFrom(values: Record<string, unknown>): Promise<Uint8Array[]> {
  const files = (values['chain'] as string[] | undefined) ?? [];
  const out: Uint8Array[] = [];
  for (const f of files) {
    const text = new TextDecoder().decode(await readInput(f, 'chain file'));
    const certs = decodePem(text).filter((b) => b.label === 'CERTIFICATE');
    if (certs.length === 0) throw new UsageError(`${f} holds no PEM certificate ("-----BEGIN CERTIFICATE-----").`);
    out.push(...certs.map((b) => b.der));
  }
  return out;
}

/** Builds the `Signer` that the key options name. */
export async function signerFromOptions(values: Record<string, unknown>, cmd: string): Promise<Signer> {
  const cms = await import('@kyso/cms');
  const extra = await chainFrom(values);
  if (typeof values['p12'] === 'string') {
    const p12 = await readInput(values['p12'], 'PKCS#12 file');
    const password = (await secret(values, 'password-env', 'PKCS#12 password')) ?? '';
    const signer = await cms.signerFromPkcs12(p12, password);
    return extra.length ? { ...signer, chain: [...signer.chain, ...extra], sign: signer.sign.bind(signer) } : signer;
  }
  if (typeof values['key'] === 'string') {
    if (typeof values['cert'] !== 'string') {
      throw new UsageError(`--key and --cert go together. See "kyso ${cmd} --help".`);
    }
    const dec = new TextDecoder();
    const keyPem = dec.decode(await readInput(values['key'], 'key file'));
    const certPem = dec.decode(await readInput(values['cert'], 'certificate file'));
    const password = keyPem.includes('ENCRYPTED') ? await secret(values, 'password-env', 'Key password') : undefined;
    return cms.signerFromPem(keyPem, certPem, extra, password === undefined ? {} : { password });
  }
  if (typeof values['pkcs11'] === 'string') {
    return signerFromPkcs11Options(values, { askPin: async (q) => (process.stdin.isTTY ? promptHidden(q) : undefined) });
  }
  throw new UsageError(`Name a key: --p12 FILE or --key KEY.pem --cert CERT.pem. See "kyso ${cmd} --help".`);
}
