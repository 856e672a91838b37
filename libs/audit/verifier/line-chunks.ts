import { open } from 'node:fs/promises';

/** `lines` whole lines of a file (fewer in the last chunk), in an ArrayBuffer of their own. */
export interface LineChunk {
  readonly bytes: Buffer;
  /** The number of lines before this chunk. */
  readonly firstLine: number;
}

const NEWLINE = 0x0a;
const SMALLEST_BLOCK = 64 * 1024;

/**
 * Cuts a file into chunks of `lines` lines, in order. Each chunk has an ArrayBuffer of its
 * own, so that it can be transferred to a worker thread, not copied; only the lines read
 * past a chunk's end are copied, to the start of the next one, which is read a quarter
 * bigger than the last chunk: a fifth of the bytes are copied once. A line is what ends
 * with a newline, or the bytes after the last newline.
 */
export async function* lineChunks(file: string, lines: number): AsyncGenerator<LineChunk> {
  const handle = await open(file, 'r');
  try {
    let block = Buffer.allocUnsafeSlow(SMALLEST_BLOCK);
    let filled = 0;
    let firstLine = 0;
    let ended = false;
    for (;;) {
      while (!ended && filled < block.length) {
        const { bytesRead } = await handle.read(block, filled, block.length - filled, null);
        if (bytesRead === 0) ended = true;
        filled += bytesRead;
      }
      const cut = afterLines(block, filled, lines);
      if (cut < 0 && !ended) {
        // Lines longer than a block's share: a bigger block, and read on.
        const bigger = Buffer.allocUnsafeSlow(block.length * 2);
        block.copy(bigger, 0, 0, filled);
        block = bigger;
        continue;
      }
      if (cut < 0) {
        if (filled > 0) yield { bytes: block.subarray(0, filled), firstLine };
        return;
      }
      const next = Buffer.allocUnsafeSlow(
        Math.max(SMALLEST_BLOCK, 2 * (filled - cut), Math.ceil(cut * 1.25)),
      );
      block.copy(next, 0, cut, filled);
      yield { bytes: block.subarray(0, cut), firstLine };
      firstLine += lines;
      block = next;
      filled -= cut;
    }
  } finally {
    await handle.close();
  }
}

/** Where the `lines`-th line of bytes[0, filled) ends (after its newline), or -1. */
function afterLines(block: Buffer, filled: number, lines: number): number {
  const bytes = block.subarray(0, filled);
  let at = 0;
  for (let n = 0; n < lines; n++) {
    const newline = bytes.indexOf(NEWLINE, at);
    if (newline < 0) return -1;
    at = newline + 1;
  }
  return at;
}
