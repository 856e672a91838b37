import { randomBytes } from 'node:crypto';
import { DecryptionError } from '../../crypto/crypto.errors';
import { openChunk, sealChunk, type ChunkPlace } from './content-chunks';

const place: ChunkPlace = {
  pseudonym: 'p-1',
  recordId: 'member|navigation',
  chunkNo: 3,
  keyId: 'k-1',
};
const items = '{"eventId":"e-1","values":{"page":"/a, \\"b\\""}},{"eventId":"e-2","values":{}}';

describe('content chunks', () => {
  const key = randomBytes(32);

  it('open to the items they were sealed with', () => {
    expect(openChunk(key, place, sealChunk(key, place, items))).toBe(items);
    expect(JSON.parse(`[${items}]`)).toHaveLength(2);
  });

  it('open nowhere but in their place, and only with their key', () => {
    const sealed = sealChunk(key, place, items);
    for (const moved of [
      { ...place, pseudonym: 'p-2' },
      { ...place, recordId: 'member|connection' },
      { ...place, chunkNo: 4 },
      { ...place, keyId: 'k-2' },
    ]) {
      expect(() => openChunk(key, moved, sealed)).toThrow(DecryptionError);
    }
    expect(() => openChunk(randomBytes(32), place, sealed)).toThrow(DecryptionError);
  });
});
