import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppearanceFonts } from '../../../src/appearance/index.js';

const assets = (p: string) => new Uint8Array(readFileSync(fileURLToPath(new URL(`../../../assets/${p}`, import.meta.url))));

/** The shipped Tinos fonts. */
export const FONTS: AppearanceFonts = Object.freeze({
  regular: assets('fonts/Tinos-Regular.ttf'),
  bold: assets('fonts/Tinos-Bold.ttf'),
  italic: assets('fonts/Tinos-Italic.ttf'),
});

/** The generated sample signature (blue) and seal (red, 36 mm) PNGs. */
export const SIGNATURE_PNG = assets('samples/signature.png');
export const SEAL_PNG = assets('samples/seal.png');
