import { layerTarStream } from './layer-stream.js';

/**
 * How many bytes the layers decompress to (their tar streams, added up), reading no further once
 * the total passes `limit`: an image far over the limit costs no more than one just over it.
 */
export async function uncompressedLayerBytes(files: readonly string[], limit: number): Promise<number> {
  let total = 0;
  for (const file of files) {
    const stream = await layerTarStream(file);
    try {
      for await (const chunk of stream) {
        total += (chunk as Buffer).length;
        if (total > limit) return total;
      }
    } finally {
      // Stops the host's zstd, if it decompresses this layer, at its next write.
      stream.destroy();
    }
  }
  return total;
}
