import { foldSubject } from '../subjects/testing/given';
import { storedEvent } from '../subjects/testing/stored-event';
import { decideReleaseLegalHold } from './decide-legal-holds';

const HOLD = '7d3c1f0e-2a4b-4c5d-8e9f-0a1b2c3d4e5f';
const placed = storedEvent('LegalHoldPlaced', '2026-01-10T09:00:00.000Z', {
  holdId: HOLD,
  reason: 'litigation RG 24/01234',
});
const released = storedEvent('LegalHoldReleased', '2026-04-01T08:00:00.000Z', {
  holdId: HOLD,
  reason: 'case closed',
});

describe('decideReleaseLegalHold', () => {
  const decide = (events: ReturnType<typeof storedEvent>[], holdId = HOLD) =>
    decideReleaseLegalHold(foldSubject(events), events, holdId, 'a reason');

  it('knows no hold that was never placed on this subject', () => {
    expect(decide([])).toEqual({ kind: 'unknown-hold' });
    expect(decide([placed], '00000000-0000-4000-8000-000000000000')).toEqual({
      kind: 'unknown-hold',
    });
  });

  it('releases a hold in force, with the reason given', () => {
    expect(decide([placed])).toEqual({
      kind: 'release',
      data: { holdId: HOLD, reason: 'a reason' },
    });
  });

  it('answers a second release as the first one, writing nothing', () => {
    expect(decide([placed, released])).toEqual({
      kind: 'already-released',
      hold: {
        holdId: HOLD,
        placedAt: '2026-01-10T09:00:00.000Z',
        reason: 'litigation RG 24/01234',
        released: { at: '2026-04-01T08:00:00.000Z', reason: 'case closed' },
      },
    });
  });
});
