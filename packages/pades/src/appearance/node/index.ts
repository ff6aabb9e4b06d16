// fs.promises, read where used: verifying (which loads this module with @kyso/pades/node) does not load it.
import { promises as fs } from 'node:fs';
import type { AppearanceFonts } from '../build.js';

/** The font files shipped in `@kyso/pades/assets/fonts/` (Tinos 1.33, SIL OFL 1.1, see LICENSE there). */
export const DEFAULT_FONT_FILES: Readonly<Record<'regular' | 'bold' | 'italic', string>> = Object.freeze({
  regular: 'Tinos-Regular.ttf',
  bold: 'Tinos-Bold.ttf',
  italic: 'Tinos-Italic.ttf',
});

/** The folder of the shipped fonts, as a file URL (works from `src/` and from `dist/`). */
export function defaultFontsUrl(): URL {
  return new URL('../../../assets/fonts/', import.meta.url);
}

let cache: Promise<AppearanceFonts> | undefined;

/**
 * Node only: reads the shipped Tinos Regular, Bold and Italic (Times-compatible metrics, full
 * Vietnamese) as the `fonts` of `buildAppearance`. Browsers fetch the same files and pass bytes.
 */
export function loadDefaultFonts(): Promise<AppearanceFonts> {
  cache ??= (async () => {
    const base = defaultFontsUrl();
    const entries = await Promise.all(
      Object.entries(DEFAULT_FONT_FILES).map(async ([k, file]) => [k, new Uint8Array(await fs.readFile(new URL(file, base)))] as const),
    );
    return Object.freeze(Object.fromEntries(entries));
  })();
  return cache;
}
