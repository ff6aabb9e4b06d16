import { createReadStream } from 'node:fs';
import { KysoError } from '@kyso/core';

/**
 * The chunks of the file at `path`, read lazily (1 MiB at a time by default) so that signing or
 * verifying a file of any size holds only one chunk in memory. Each iteration reads the file
 * anew, so the same value can be hashed more than once (a long-term verification hashes the
 * content for the signature and again for each archive time-stamp). A file that cannot be read
 * throws `KysoError('FILE_UNREADABLE')` when iteration starts.
 */
export function fileContent(path: string, options: { highWaterMark?: number } = {}): AsyncIterable<Uint8Array> {
  return { [Symbol.asyncIterator]: () => readChunks(path, options.highWaterMark ?? 1 << 20) };
}

async function* readChunks(path: string, highWaterMark: number): AsyncGenerator<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark });
  try {
    for await (const chunk of stream) {
      const b = chunk as Buffer;
      yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    const why = code === 'ENOENT' ? 'it does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : 'it cannot be read';
    throw new KysoError('FILE_UNREADABLE', `Cannot read ${path}: ${why}; check the path.`, { cause });
  }
}
