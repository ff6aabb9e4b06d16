export { Pkcs11Error } from './errors.js';
export { openPkcs11Signer } from './signer.js';
export type { Pkcs11Signer, Pkcs11SignerOptions, Pkcs11KeyRef } from './signer.js';
export { listPkcs11Tokens } from './token.js';
export type { Pkcs11TokenInfo } from './token.js';
export { listPkcs11Keys } from './keys.js';
export type { Pkcs11KeyInfo, Pkcs11CertificateSummary } from './keys.js';
export type { TokenSelection } from './session.js';
