import { decodeErasureCursor, encodeErasureCursor } from './erasure-cursor';

describe('the erasures cursor', () => {
  it('reads back the key it was made from', () => {
    const key = { recordedAt: '2026-03-01T10:00:00.000Z', leafIndex: 2n ** 60n };
    const cursor = encodeErasureCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeErasureCursor(cursor)).toEqual(key);
  });

  it.each([
    ['not base64 JSON', 'nope'],
    ['another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a wrong arity', Buffer.from('["a"]').toString('base64url')],
    ['a leaf index that is no number', Buffer.from('["a","x"]').toString('base64url')],
    ['a leaf index as a JSON number', Buffer.from('["a",3]').toString('base64url')],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeErasureCursor(cursor)).toThrow(
      expect.objectContaining({ problems: ['cursor: must be a nextCursor this route returned'] }),
    );
  });
});
