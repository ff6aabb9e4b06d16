export { nodeDigestEngine } from './node-digest-engine.js';
export { fileContent } from './file-content.js';
