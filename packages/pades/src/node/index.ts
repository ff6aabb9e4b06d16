// @kyso/pades/node: signing and verifying PDF files in bounded memory (Node only).
export { signPdfFile } from './sign-pdf-file.js';
export type { SignPdfFileResult } from './sign-pdf-file.js';
export { verifyPdfFile } from './verify-pdf-file.js';
export { loadDefaultFonts, DEFAULT_FONT_FILES, defaultFontsUrl } from '../appearance/node/index.js';
