import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineChunks } from './line-chunks';

describe('lineChunks', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'line-chunks-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function chunksOf(text: Buffer, lines: number) {
    const file = join(dir, 'lines');
    writeFileSync(file, text);
    const chunks: { text: string; firstLine: number; ownBuffer: boolean }[] = [];
    const buffers = new Set<ArrayBufferLike>();
    for await (const { bytes, firstLine } of lineChunks(file, lines)) {
      // Its own ArrayBuffer, from its start: transferring it takes no other chunk's bytes.
      const ownBuffer = bytes.byteOffset === 0 && !buffers.has(bytes.buffer);
      buffers.add(bytes.buffer);
      chunks.push({ text: bytes.toString('latin1'), firstLine, ownBuffer });
    }
    return chunks;
  }

  it('cuts after every `lines` newlines, the rest in the last chunk, nothing lost', async () => {
    await fc.assert(
      fc.asyncProperty(
        // Lines of up to 150 kB, longer than the first block read (64 kB).
        fc.array(fc.oneof(fc.nat(100), fc.nat(150_000)), { maxLength: 40 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 8 }),
        async (lengths, lastNewline, lines) => {
          const all = lengths.map((length, i) => String(i % 10).repeat(length));
          const text = all.join('\n') + (lastNewline && all.length > 0 ? '\n' : '');
          const chunks = await chunksOf(Buffer.from(text, 'latin1'), lines);
          expect(chunks.map((c) => c.text).join('')).toBe(text);
          chunks.forEach((chunk, i) => {
            expect(chunk.firstLine).toBe(i * lines);
            expect(chunk.ownBuffer).toBe(true);
            if (i < chunks.length - 1) {
              expect(chunk.text.split('\n')).toHaveLength(lines + 1);
              expect(chunk.text.endsWith('\n')).toBe(true);
            }
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('gives nothing for an empty file, and an empty line its own place', async () => {
    expect(await chunksOf(Buffer.alloc(0), 4)).toEqual([]);
    const chunks = await chunksOf(Buffer.from('a\n\nb\n'), 1);
    expect(chunks.map((c) => c.text)).toEqual(['a\n', '\n', 'b\n']);
  });
});
