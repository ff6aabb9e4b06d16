import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildTimeStampRequest, parseTimeStampResponse, type TimeStamper } from '@kyso/cms';
import { fixturePath } from '@kyso/test-fixtures';
import { requireTool } from './tools.js';

/**
 * A {@link TimeStamper} backed by `openssl ts -reply` with the fixture TSA (a real RFC 3161
 * peer, not our own code): each call writes the query, runs openssl, reads the token.
 */
export function opensslTimeStamper(): TimeStamper & { readonly tokens: Uint8Array[] } {
  requireTool('openssl');
  const dir = mkdtempSync(join(tmpdir(), 'kyso-tsa-'));
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[ tsa ]',
      'default_tsa = tsa1',
      '[ tsa1 ]',
      `serial = ${join(dir, 'serial')}`,
      'crypto_device = builtin',
      'signer_digest = sha256',
      'default_policy = 1.2.3.4.1',
      'digests = sha256, sha384, sha512',
      'accuracy = secs:1',
      'ordering = no',
      'tsa_name = no',
      'ess_cert_id_chain = no',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  const tokens: Uint8Array[] = [];
  let n = 0;
  return {
    tokens,
    async timestamp(imprint, hashAlgorithm) {
      const req = buildTimeStampRequest({ imprint, hashAlgorithm });
      const q = join(dir, `q${++n}.tsq`);
      writeFileSync(q, req.der);
      execFileSync('openssl', [
        'ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', q,
        '-inkey', fixturePath('pki', 'tsa.key.pem'), '-signer', fixturePath('pki', 'tsa.pem'),
        '-chain', fixturePath('pki', 'tsa.chain.pem'), '-out', `${q}.tsr`,
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
      const token = parseTimeStampResponse(new Uint8Array(readFileSync(`${q}.tsr`)));
      tokens.push(token);
      return token;
    },
  };
}
