import { randomBytes } from 'node:crypto';
import { stringify } from 'safe-stable-stringify';
import { canonicalJson, requestDigest } from './request-digest';
import type { PublishedEvent } from '../../../libs/domain/events';

/** A small deterministic generator: the same cases on every run. */
function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  return { next, pick };
}

// Keys and texts that sort or escape in every way: case, digits, integer-like keys, quotes,
// control characters, non-ASCII, astral characters, lone surrogates, prototype names.
const TEXTS = [
  '',
  'a',
  'B',
  'b',
  '10',
  '2',
  '01',
  'é',
  'Ω',
  '😀',
  '\ud800',
  '\udfff',
  'a"b',
  'back\\slash',
  'tab\t',
  'nul\u0000',
  'line\nbreak',
  '__proto__',
  'constructor',
  'toString',
  'x'.repeat(5001),
  `${'y'.repeat(5001)}"`,
];

function randomJson(g: ReturnType<typeof generator>, depth: number): unknown {
  const kind = depth > 3 ? g.pick([0, 1, 2, 3]) : g.pick([0, 1, 2, 3, 4, 5, 5]);
  switch (kind) {
    case 0:
      return g.pick(TEXTS);
    case 1:
      return g.pick([0, -0, 1.5, -42, 1e21, 1e-7, Number.MAX_SAFE_INTEGER]);
    case 2:
      return g.pick([true, false, null]);
    case 3:
      return g.pick(['ok', 'member', '2024-03-01T10:00:00.000Z']);
    case 4:
      return Array.from({ length: Math.floor(g.next() * 4) }, () => randomJson(g, depth + 1));
    default: {
      // Built as JSON.parse builds it: `__proto__` becomes an own key.
      const entries = Array.from({ length: Math.floor(g.next() * 6) }, () => [
        g.pick(TEXTS),
        randomJson(g, depth + 1),
      ]);
      return Object.fromEntries(entries) as unknown;
    }
  }
}

describe('canonicalJson', () => {
  it('writes what safe-stable-stringify writes, byte for byte, for JSON values', () => {
    const g = generator(7);
    for (let i = 0; i < 3000; i++) {
      const value = JSON.parse(JSON.stringify(randomJson(g, 0)) ?? 'null') as unknown;
      expect(canonicalJson(value)).toBe(stringify(value));
    }
  });

  it('keeps __proto__ keys, as own keys of the body', () => {
    const value = JSON.parse('{"b": 1, "__proto__": {"x": 2}, "a": [3]}') as unknown;

    expect(canonicalJson(value)).toBe('{"__proto__":{"x":2},"a":[3],"b":1}');
    expect(canonicalJson(value)).toBe(stringify(value));
  });

  it('writes what safe-stable-stringify writes for values no JSON body holds', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const values = [
      { when: new Date(0), n: 10n, missing: undefined, list: [undefined, () => 1] },
      { bytes: new Uint8Array([1, 2]), set: new Set([1]), nan: NaN },
      Object.assign(Object.create(null) as object, { b: 1, a: 2 }),
      { toJSON: () => ({ z: 1, y: 2 }) },
      cyclic,
    ];
    for (const value of values) expect(canonicalJson(value)).toBe(stringify(value));
  });
});

describe('requestDigest', () => {
  const key = randomBytes(32);
  const event = {
    eventId: '8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10',
    type: 'AccountCreated',
    subjectId: 'user-42',
    occurredAt: '2024-03-01T10:00:00.000Z',
    source: 'marketplace-api',
    data: { role: 'member', schoolId: 'school-3' },
    personalData: { identification: { email: 'a@b.fr', firstName: 'Ana' } },
  } as PublishedEvent;

  it('is the same whatever the order of the keys', () => {
    const reordered = JSON.parse(
      '{"personalData": {"identification": {"firstName": "Ana", "email": "a@b.fr"}},' +
        '"data": {"schoolId": "school-3", "role": "member"}, "source": "marketplace-api",' +
        '"occurredAt": "2024-03-01T10:00:00.000Z", "subjectId": "user-42",' +
        '"type": "AccountCreated", "eventId": "8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10"}',
    ) as PublishedEvent;

    expect(requestDigest(key, reordered)).toBe(requestDigest(key, event));
  });

  it('differs for another value, and under another key', () => {
    const other = { ...event, personalData: { identification: { email: 'b@b.fr' } } };

    expect(requestDigest(key, other)).not.toBe(requestDigest(key, event));
    expect(requestDigest(randomBytes(32), event)).not.toBe(requestDigest(key, event));
  });
});
