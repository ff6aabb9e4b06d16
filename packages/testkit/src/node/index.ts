export { writeTestPki, fileBaseName } from './write.js';
export type { WriteTestPkiOptions, WrittenIdentity, TestPkiManifest } from './write.js';
