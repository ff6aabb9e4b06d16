import { createReadStream } from 'node:fs';
import { KysoError } from '@kyso/core';

/**
 * The chunks of the file at `path`, read lazily (64 KiB at a time by default) so that signing or
 * verifying a file of any size holds only one chunk in memory. A file that cannot be read throws
 * `KysoError('FILE_UNREADABLE')` when iteration starts.
 */
export async function* fileContent(path: string, options: { highWaterMark?: number } = {}): AsyncIterable<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: options.highWaterMark ?? 1 << 16 });
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
