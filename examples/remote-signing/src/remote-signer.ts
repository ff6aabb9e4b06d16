// A stand-in for a remote signing service (a CA's cloud signing API, an HSM, a USB token
// plug-in): a separate process that holds the private key and only ever sees digests.
//   node dist/remote-signer.js info           → {"certificate", "chain", "signatureAlgorithm"} (base64 DER)
//   node dist/remote-signer.js sign < request → {"signature"} for {"digest": base64, "hash": "SHA-256"}
// The key and certificate come from the test PKI: KYSO_SIGNER=leader (default), leader-p256, …
import { constants, createPrivateKey, privateEncrypt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { digestInfo, readCertificates } from '@kyso/cms';
import { fromBase64, toBase64 } from '@kyso/core';

const name = process.env['KYSO_SIGNER'] ?? 'leader';
const pki = new URL('../../../test-fixtures/pki/', import.meta.url);
const key = createPrivateKey(readFileSync(new URL(`${name}.key.pem`, pki)));
const curveHash = { prime256v1: 'SHA-256', secp384r1: 'SHA-384', secp521r1: 'SHA-512' } as const;

function signatureAlgorithm() {
  if (key.asymmetricKeyType === 'rsa') return { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
  if (key.asymmetricKeyType === 'ec') return { name: 'ECDSA', hash: curveHash[key.asymmetricKeyDetails?.namedCurve as keyof typeof curveHash] ?? 'SHA-256' } as const;
  throw new Error(`this stand-in signs with RSA PKCS#1 v1.5 or ECDSA keys, not ${key.asymmetricKeyType}`);
}

/** What the service answers to one command. */
function answer(command: string | undefined): object {
  if (command === 'info') {
    const pem = (f: string) => readCertificates(readFileSync(new URL(f, pki), 'utf8'));
    const [certificate] = pem(`${name}.pem`);
    return { certificate: toBase64(certificate!), chain: pem(`${name}.chain.pem`).map(toBase64), signatureAlgorithm: signatureAlgorithm() };
  }
  if (command === 'sign') {
    const request = JSON.parse(readFileSync(0, 'utf8')) as { digest: string; hash: 'SHA-256' | 'SHA-384' | 'SHA-512' };
    // A raw RSA operation over the DigestInfo of the hash is PKCS#1 v1.5 signing of a digest, as a
    // token does it (Node's sign() would hash again). Node has no ECDSA over a given hash: for EC
    // keys use KYSO_REMOTE=openssl (openssl pkeyutl signs the hash itself).
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`this stand-in signs digests with RSA keys; for ${key.asymmetricKeyType} use KYSO_REMOTE=openssl`);
    const signature = privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, digestInfo(fromBase64(request.digest), request.hash));
    return { signature: toBase64(signature) };
  }
  throw new Error('usage: remote-signer.js info | sign < {"digest": base64, "hash": "SHA-256"}');
}

try {
  process.stdout.write(JSON.stringify(answer(process.argv[2])));
} catch (e) {
  process.stderr.write(`remote-signer: ${(e as Error).message}\n`);
  process.exitCode = 2;
}
