import { createReadStream } from 'node:fs';

/**
 * The chunks of the file at `path`, read lazily (64 KiB at a time by default) so that signing or
 * verifying a file of any size holds only one chunk in memory.
 */
export async function* fileContent(path: string, options: { highWaterMark?: number } = {}): AsyncIterable<Uint8Array> {
  const stream = createReadStream(path, { highWaterMark: options.highWaterMark ?? 1 << 16 });
  for await (const chunk of stream) {
    const b = chunk as Buffer;
    yield new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  }
}
