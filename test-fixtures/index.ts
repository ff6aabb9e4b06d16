import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Absolute path of a file under `test-fixtures/`, e.g. `fixturePath('pdfs', 'pdf-lib-basic.pdf')`. */
export function fixturePath(...parts: string[]): string {
  return fileURLToPath(new URL(parts.join('/'), import.meta.url));
}

/** Bytes of a file under `test-fixtures/`. */
export function loadFixture(...parts: string[]): Uint8Array {
  return new Uint8Array(readFileSync(fixturePath(...parts)));
}
