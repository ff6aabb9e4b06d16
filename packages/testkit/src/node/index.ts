export { writeTestPki, fileBaseName } from './write.js';
export type { WriteTestPkiOptions, WrittenIdentity, TestPkiManifest } from './write.js';
export { startTsaServer } from './tsa-server.js';
export type { TsaServerOptions, TsaServer } from './tsa-server.js';
export type { LoopbackServer } from './http.js';
export { startOcspServer } from './ocsp-server.js';
export type { OcspServerOptions, OcspServer } from './ocsp-server.js';
export { startCrlServer, startPkiServer } from './pki-server.js';
export type { CrlServerOptions, CrlServer, PkiServerOptions, PkiServer, ServedRequest } from './pki-server.js';
