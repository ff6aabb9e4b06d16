import { addSignatureTimestamp, finishCades, prepareCades } from '@kyso/cms';
import type { SignPdfOptions } from './options.js';

/**
 * The CMS for a PAdES signature over `digest` (the /ByteRange digest): CAdES signed attributes
 * with signing-certificate-v2 and — for ETSI.CAdES.detached — without signing-time, since
 * ETSI EN 319 142-1 §5.2.3 puts the time in /M; signed by `opts.signer`; time-stamped (B-T)
 * when `opts.timeStamper` is set.
 */
export async function cmsForDigest(opts: SignPdfOptions, digest: Uint8Array, digestAlgorithm: 'SHA-256' | 'SHA-384' | 'SHA-512', subFilter: string): Promise<Uint8Array> {
  const cades = await prepareCades({
    signer: opts.signer,
    content: { digest },
    digestAlgorithm,
    signingTime: subFilter === 'ETSI.CAdES.detached' ? false : (opts.signingTime ?? opts.clock?.now() ?? new Date()),
  });
  const value = await opts.signer.sign(cades.toBeSigned);
  const cms = await finishCades(cades.state, value);
  // B-T: the signature-time-stamp unsigned attribute (ETSI EN 319 142-1 §6.3, EN 319 122-1 §5.3).
  return opts.timeStamper ? addSignatureTimestamp(cms, opts.timeStamper, { hashAlgorithm: digestAlgorithm }) : cms;
}
