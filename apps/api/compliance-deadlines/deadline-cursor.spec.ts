import { decodeCursor, encodeCursor } from './deadline-cursor';

describe('the deadlines cursor', () => {
  it('reads back the key it was made from', () => {
    const key = {
      dueAt: '2026-03-01T10:00:00.000Z',
      pseudonym: 'p-1',
      recordId: 'invoice:7|billing',
    };
    const cursor = encodeCursor(key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(key);
  });

  it.each([
    ['not base64 JSON', 'nope'],
    ['another shape', Buffer.from('{"a":1}').toString('base64url')],
    ['a wrong arity', Buffer.from('["a","b"]').toString('base64url')],
    ['a non-string part', Buffer.from('["a","b",3]').toString('base64url')],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(
      expect.objectContaining({ problems: ['cursor: must be a nextCursor this route returned'] }),
    );
  });
});
