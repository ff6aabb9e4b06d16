// CAdES-sign a 1 GB file with the kyso CLI (streamed hashing) next to `openssl dgst -sha256`
// and `openssl cms -sign` on the same file, in the same run. Run with `pnpm bench cades` after `pnpm build`.
import { closeSync, openSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const pki = (f) => `${root}test-fixtures/pki/${f}`;

/** @param {{ work: string, measure: Function, repeat: number }} ctx */
export async function run(ctx) {
  const file = `${ctx.work}/big.bin`;
  const chunk = new Uint8Array(8 << 20).map((_, i) => (i * 2654435761) >>> 24);
  const fd = openSync(file, 'w');
  for (let i = 0; i < 128; i++) writeSync(fd, chunk); // 1 GiB
  closeSync(fd);
  const kyso = [`${root}packages/cli/bin/kyso.cjs`, 'cades', 'sign', file, '-o', `${ctx.work}/big.p7s`, '--key', pki('leader.key.pem'), '--cert', pki('leader.pem'), '--chain', pki('leader.chain.pem')];
  const rows = [
    { what: 'kyso cades sign (CLI process, RSA-2048, SHA-256)', ...ctx.measure(process.execPath, kyso, { n: ctx.repeat }) },
    { what: 'openssl dgst -sha256 (hash only, the floor)', ...ctx.measure('openssl', ['dgst', '-sha256', file], { n: ctx.repeat }) },
    {
      what: 'openssl cms -sign -binary -cades (detached)',
      ...ctx.measure('openssl', ['cms', '-sign', '-binary', '-cades', '-md', 'sha256', '-outform', 'DER', '-in', file, '-out', `${ctx.work}/big.ossl.p7s`, '-signer', pki('leader.pem'), '-inkey', pki('leader.key.pem')], { n: ctx.repeat }),
    },
  ];
  return { title: 'CAdES B-B signature of a 1 GiB file', goal: 'close to the cost of hashing, in a few MB of memory beyond Node itself', rows };
}
