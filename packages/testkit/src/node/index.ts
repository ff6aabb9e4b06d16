export { writeTestPki, fileBaseName } from './write.js';
export type { WriteTestPkiOptions, WrittenIdentity, TestPkiManifest } from './write.js';
export { startTsaServer } from './tsa-server.js';
export type { TsaServerOptions, TsaServer } from './tsa-server.js';
export type { LoopbackServer } from './http.js';
