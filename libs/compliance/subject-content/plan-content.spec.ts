import { CHUNK_ITEMS } from './content-chunks';
import { planContent, type StoredRecordContent, type TailEntry } from './plan-content';

function entries(count: number, keyId: string, from = 0, recordId = 'visits:2025-01|connection') {
  return Array.from({ length: count }, (_, i): TailEntry => ({
    pseudonym: 'ps-1',
    recordId,
    revision: from + i,
    boxNo: 0,
    eventId: `ev-${from + i}`,
    keyId,
  }));
}

const nothingStored = (): StoredRecordContent => ({ lastChunkNo: undefined, tail: [] });
const live = new Set(['k1', 'k2']);

describe('planContent', () => {
  it('keeps values in the tail until a chunk fills', () => {
    const plan = planContent(entries(CHUNK_ITEMS - 1, 'k1'), nothingStored, live);
    expect(plan.seal).toEqual([]);
    expect(plan.tailAdded).toHaveLength(CHUNK_ITEMS - 1);
    expect(plan.tailRemoved).toEqual([]);
  });

  it('seals the stored tail with the new values once they fill a chunk, in log order', () => {
    const stored = entries(CHUNK_ITEMS - 2, 'k1');
    const added = entries(5, 'k1', CHUNK_ITEMS - 2);
    const plan = planContent(added, () => ({ lastChunkNo: 3, tail: stored }), live);
    expect(plan.seal).toHaveLength(1);
    expect(plan.seal[0].place).toMatchObject({ chunkNo: 4, keyId: 'k1' });
    expect(plan.seal[0].entries).toEqual([...stored, ...added.slice(0, 2)]);
    expect(plan.tailRemoved).toEqual(stored);
    expect(plan.tailAdded).toEqual(added.slice(2));
  });

  it('closes a run at a key change: a short chunk, then the new key starts its own', () => {
    const plan = planContent([...entries(3, 'k1'), ...entries(2, 'k2', 3)], nothingStored, live);
    expect(plan.seal.map((s) => [s.place.chunkNo, s.place.keyId, s.entries.length])).toEqual([
      [0, 'k1', 3],
    ]);
    expect(plan.tailAdded.map((e) => e.keyId)).toEqual(['k2', 'k2']);
  });

  it('drops a run whose key is gone instead of sealing it', () => {
    const stored = entries(4, 'dead');
    const plan = planContent(entries(1, 'k2', 4), () => ({ lastChunkNo: 0, tail: stored }), live);
    expect(plan.seal).toEqual([]);
    expect(plan.tailRemoved).toEqual(stored);
    expect(plan.tailAdded).toHaveLength(1);
  });

  it('plans each record on its own', () => {
    const a = entries(CHUNK_ITEMS, 'k1', 0, 'a|x');
    const b = entries(2, 'k2', 100, 'b|y');
    const plan = planContent([...a.slice(0, 10), ...b, ...a.slice(10)], nothingStored, live);
    expect(plan.seal.map((s) => s.place.recordId)).toEqual(['a|x']);
    expect(plan.seal[0].entries).toEqual(a);
    expect(plan.tailAdded).toEqual(b);
  });
});
