import { v5 } from 'uuid';
import { ledgerEventId } from './policy-version-published';

describe('ledgerEventId', () => {
  // Ids already in logs were made by the `uuid` package: a redone step must propose the same.
  it.each([
    ['policy-version/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'],
    [
      'lifecycle\nRecordErased\n5b0c\naccount\nidentification\n2026-06-01T00:00:00.000Z\n2023-01-24',
    ],
    ['downstream-command\ncrm\n8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10'],
    ['invoice:INV-7 Zoë, 東京, 🙂'],
    [''],
  ])('is the UUID v5 the uuid package gives for %j', (name) => {
    expect(ledgerEventId(name)).toBe(v5(name, '2f1d4c8e-7b0a-4f5e-9c3d-6a8b1e2f4d70'));
  });
});
