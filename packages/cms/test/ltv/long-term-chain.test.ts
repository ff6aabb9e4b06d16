import { fetchHttpClient, type HttpClient } from '@kyso/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LongTermChainValidator, type ChainRequest } from '@kyso/cms';
import { Certificate } from '@kyso/trust';
import { createTestPki } from '@kyso/testkit';
import { startPkiServer, type PkiServer } from '@kyso/testkit/node';

// Counts the path validations the long-term validator starts (nested ones, for a CRL or OCSP
// signer, run inside @kyso/trust and are not counted).
const counted = vi.hoisted(() => ({ validatePath: 0 }));
vi.mock('@kyso/trust', async (importOriginal) => {
  const trust = await importOriginal<typeof import('@kyso/trust')>();
  return {
    ...trust,
    validatePath: (...args: Parameters<typeof trust.validatePath>) => {
      counted.validatePath++;
      return trust.validatePath(...args);
    },
  };
});

describe('LongTermChainValidator: the B-LT test (does the data at hand settle the path?)', () => {
  let server: PkiServer;
  beforeAll(async () => {
    server = await startPkiServer({ pki: (baseUrl) => createTestPki({ baseUrl, seed: 'kyso-long-term-chain' }) });
  });
  afterAll(async () => {
    await server?.close();
  });

  const requests: string[] = [];
  const http: HttpClient = {
    request: (req) => {
      requests.push(req.url);
      return fetchHttpClient().request(req);
    },
  };
  const validate = async (data: LongTermChainValidatorOptionsData) => {
    const pki = server.pki;
    const v = await LongTermChainValidator.create({ anchors: [Certificate.fromDer(pki.root.certificate)], time: pki.now, online: true, http, data });
    const leader = pki.cadres.leader;
    const req: ChainRequest = { leaf: Certificate.fromDer(leader.certificate), candidates: leader.chain, purpose: 'document-signing', poe: null, embedded: { crls: [], ocspResponses: [] } };
    counted.validatePath = 0;
    requests.length = 0;
    return await v.validateChain(req);
  };

  it('online with the answers fetched: validated again with the data at hand alone, which does not settle it', async () => {
    const out = await validate({});
    expect(out.indication).toBe('TOTAL-PASSED');
    expect(requests.length).toBeGreaterThan(0);
    expect(out.revocation.some((r) => r.source === 'fetched')).toBe(true);
    expect(out.embeddedComplete).toBe(false);
    expect(counted.validatePath).toBe(2);
  });

  it('online with every answer at hand: nothing fetched, and the one validation is the B-LT answer', async () => {
    const first = await validate({});
    const evidence = first.path.revocation.flatMap((s) => s?.evidence ?? []);
    expect(evidence.length).toBeGreaterThan(0);
    const out = await validate({
      crls: evidence.filter((e) => e.type === 'crl').map((e) => e.der),
      ocspResponses: evidence.filter((e) => e.type === 'ocsp').map((e) => e.der),
    });
    expect(out.indication).toBe('TOTAL-PASSED');
    expect(requests).toEqual([]);
    expect(out.revocation.every((r) => r.source === 'embedded')).toBe(true);
    expect(out.embeddedComplete).toBe(true);
    expect(out.embeddedEvidence.length).toBeGreaterThan(0);
    expect(counted.validatePath).toBe(1);
  });
});

type LongTermChainValidatorOptionsData = NonNullable<Parameters<typeof LongTermChainValidator.create>[0]['data']>;
