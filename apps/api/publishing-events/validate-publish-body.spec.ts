import { randomUUID } from 'node:crypto';
import {
  ACCOUNT_ROLES,
  PLATFORM_EVENT_TYPES,
  type EventDataByType,
  type PlatformEventType,
} from '../../../libs/domain/events';
import { EventEnvelopeDto } from './event-envelope.request.dto';
import { validatePublishBody, type PublishBodyContext } from './validate-publish-body';

const context: PublishBodyContext = {
  now: new Date('2024-03-01T12:00:00.000Z'),
  knownCategories: new Set(['identification', 'professional', 'connection']),
  maxBatchSize: 1000,
  maxClockSkewMs: 5 * 60_000,
};

/** One valid `data` per type: a type missing here is a compile error. */
const VALID_DATA: { [T in PlatformEventType]: EventDataByType[T] } = {
  AccountCreated: { role: 'member', schoolId: 'school-3', companyId: 'co-1', viaSchoolLink: true },
  LastActivity: {},
  ContactMade: { channel: 'platform', direction: 'inbound', counterpartId: 'user-7' },
  ReviewPosted: { reviewId: 'review-9' },
  InvoiceIssued: { invoiceId: 'INV-42', amount: 120.5, currency: 'EUR' },
  AccountClosed: { reason: 'deceased' },
  ContractSigned: { contractId: 'contract-5' },
  ContractEnded: { contractId: 'contract-5' },
  TransactionRecorded: { transactionId: 'tx-77', amount: -35, currency: 'USD' },
  ProspectRegistered: { origin: 'trade-fair-2024' },
  ConsentGiven: { purpose: 'marketing' },
  ConsentWithdrawn: { purpose: 'marketing' },
  VisitRecorded: {},
  BugReported: { reportId: 'bug-311' },
  InformationRequested: { requestId: 'info-4' },
  InformationRequestAnswered: { requestId: 'info-4' },
  ReportShared: { reportId: 'report-12', recipientType: 'company', recipientId: 'co-1' },
  DisputeOpened: { disputeId: 'dispute-8', invoiceId: 'INV-42' },
  DisputeClosed: { disputeId: 'dispute-8' },
  RightsRequestReceived: { requestId: 'rr-19', right: 'objection', purposes: ['marketing'] },
  IdentityProofReceived: { requestId: 'rr-19' },
  IdentityVerified: { requestId: 'rr-19' },
  RenewalAnswered: { purpose: 'marketing', accepted: false },
  PostMortemDirectiveRecorded: { directive: 'communicate', beneficiaryId: 'user-8' },
};

function envelope(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    eventId: randomUUID(),
    type: 'AccountCreated',
    subjectId: 'user-42',
    occurredAt: '2024-03-01T10:00:00Z',
    source: 'marketplace-api',
    data: { role: 'member' },
    ...overrides,
  };
}

function problemsOf(body: unknown, ctx: PublishBodyContext = context): string[] {
  const result = validatePublishBody(body, ctx);
  if (result.ok) throw new Error('expected the body to be refused');
  return result.problems;
}

function eventsOf(body: unknown, ctx: PublishBodyContext = context) {
  const result = validatePublishBody(body, ctx);
  if (!result.ok)
    throw new Error(`expected the body to be accepted: ${result.problems.join('; ')}`);
  return result;
}

describe('validatePublishBody', () => {
  describe('a valid single envelope', () => {
    it.each(PLATFORM_EVENT_TYPES.map((type) => [type]))('%s is accepted as published', (type) => {
      const body = envelope({ type, data: VALID_DATA[type] });

      const { events, batch } = eventsOf(body);

      expect(batch).toBe(false);
      expect(events).toEqual([
        {
          eventId: body.eventId,
          type,
          subjectId: 'user-42',
          occurredAt: '2024-03-01T10:00:00.000Z',
          source: 'marketplace-api',
          data: VALID_DATA[type],
        },
      ]);
    });

    it.each([['LastActivity'], ['VisitRecorded']])('%s may omit data: it becomes {}', (type) => {
      const body = envelope({ type });
      delete body.data;

      expect(eventsOf(body).events[0].data).toEqual({});
    });

    it('keeps personal data, in categories the policy knows', () => {
      const personalData = { identification: { email: 'a@b.fr', firstName: 'Ana' } };

      expect(eventsOf(envelope({ personalData })).events[0].personalData).toEqual(personalData);
    });

    it('returns plain copies, not class instances nor the caller objects', () => {
      const body = envelope({ personalData: { identification: { email: 'a@b.fr' } } });

      const [event] = eventsOf(body).events;

      expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
      expect(Object.getPrototypeOf(event.data)).toBe(Object.prototype);
      expect(event.data).not.toBe(body.data);
      expect(event.personalData).not.toBe(body.personalData);
      expect(event).not.toBeInstanceOf(EventEnvelopeDto);
    });

    it('omits personalData when none was sent', () => {
      expect(eventsOf(envelope()).events[0]).not.toHaveProperty('personalData');
    });

    it.each([
      ['2024-03-01T10:00:00Z', '2024-03-01T10:00:00.000Z'],
      ['2024-03-01T10:00:00.123Z', '2024-03-01T10:00:00.123Z'],
      ['2024-03-01T10:00:00.5Z', '2024-03-01T10:00:00.500Z'],
      ['2024-02-29T23:59:59Z', '2024-02-29T23:59:59.000Z'],
    ])('normalizes occurredAt %s to %s', (occurredAt, normalized) => {
      expect(eventsOf(envelope({ occurredAt })).events[0].occurredAt).toBe(normalized);
    });

    it.each([
      ['200 characters', 'u'.repeat(200)],
      ['letters beyond ASCII', 'utilisateur-été-42'],
      ['an email (the platform chooses its ids)', 'a@b.fr'],
    ])('accepts a subjectId of %s', (_case, subjectId) => {
      expect(eventsOf(envelope({ subjectId })).events[0].subjectId).toBe(subjectId);
    });
  });

  describe('a valid batch', () => {
    it('is accepted in order, and said to be a batch', () => {
      const events = [
        envelope(),
        envelope({ type: 'LastActivity', data: {} }),
        envelope({ type: 'ConsentGiven', data: { purpose: 'marketing' } }),
      ];

      const result = eventsOf({ events });

      expect(result.batch).toBe(true);
      expect(result.events.map((event) => event.eventId)).toEqual(events.map((e) => e.eventId));
    });

    it('may hold exactly maxBatchSize events', () => {
      const events = [envelope(), envelope()];

      expect(eventsOf({ events }, { ...context, maxBatchSize: 2 }).events).toHaveLength(2);
    });
  });

  describe('the envelope', () => {
    it.each([
      ['eventId', 'not-a-uuid', 'eventId: must be a UUID'],
      ['eventId', 42, 'eventId: must be a UUID'],
      ['subjectId', '', 'subjectId: must be a string of 1 to 200 printable characters'],
      [
        'subjectId',
        'u'.repeat(201),
        'subjectId: must be a string of 1 to 200 printable characters',
      ],
      ['subjectId', 'user\n42', 'subjectId: must be a string of 1 to 200 printable characters'],
      ['subjectId', 'user\u202e42', 'subjectId: must be a string of 1 to 200 printable characters'],
      ['subjectId', 42, 'subjectId: must be a string of 1 to 200 printable characters'],
      ['source', '', 'source: must be a string of 1 to 200 characters'],
      ['source', null, 'source: must be a string of 1 to 200 characters'],
      ['data', ['role'], 'data: must be an object'],
      ['data', 'member', 'data: must be an object'],
      ['personalData', [], 'personalData: must be an object'],
      ['personalData', null, 'personalData: must be an object'],
    ])('%s = %j is refused', (field, value, problem) => {
      expect(problemsOf(envelope({ [field]: value }))).toEqual([problem]);
    });

    it.each(['eventId', 'type', 'subjectId', 'occurredAt', 'source', 'data'])(
      'a missing %s is refused',
      (field) => {
        const body = envelope();
        delete body[field];

        expect(problemsOf(body)).toEqual([expect.stringMatching(new RegExp(`^${field}: must `))]);
      },
    );

    it('refuses a field the envelope does not have', () => {
      expect(problemsOf(envelope({ email: 'a@b.fr' }))).toEqual(['email: is not an allowed field']);
    });

    it.each(['__proto__', 'constructor', 'toString', 'isPrototypeOf'])(
      'refuses a %s key',
      (key) => {
        const body = JSON.parse(`{"${key}": {"x": 1}}`) as Record<string, unknown>;

        expect(problemsOf({ ...envelope(), ...body })).toEqual([`${key}: is not an allowed field`]);
      },
    );

    it('refuses an unknown type, listing the catalogue, and does not check its data', () => {
      const problems = problemsOf(envelope({ type: 'AccountDeleted', data: { anything: 1 } }));

      expect(problems).toEqual([`type: must be one of: ${PLATFORM_EVENT_TYPES.join(', ')}`]);
    });
  });

  describe('occurredAt', () => {
    const invalid =
      'occurredAt: must be a real UTC date and time in ISO 8601 form, like 2024-03-01T10:00:00Z';

    it.each([
      ['a day that does not exist', '2024-02-30T10:00:00Z'],
      ['February 29th of a common year', '2023-02-29T10:00:00Z'],
      ['hour 24', '2024-03-01T24:00:00Z'],
      ['a leap second', '2024-03-01T23:59:60Z'],
      ['an offset other than Z', '2024-03-01T10:00:00+01:00'],
      ['a zero offset written +00:00', '2024-03-01T10:00:00+00:00'],
      ['no offset', '2024-03-01T10:00:00'],
      ['a lower-case z', '2024-03-01T10:00:00z'],
      ['a date alone', '2024-03-01'],
      ['no seconds', '2024-03-01T10:00Z'],
      ['a space for T', '2024-03-01 10:00:00Z'],
      ['another format', 'Fri, 01 Mar 2024 10:00:00 GMT'],
      ['a number', 1709287200000],
    ])('refuses %s', (_case, occurredAt) => {
      expect(problemsOf(envelope({ occurredAt }))).toEqual([invalid]);
    });

    const future = /^occurredAt: is in the future/;

    it('refuses a time more than the allowed skew ahead of now', () => {
      expect(problemsOf(envelope({ occurredAt: '2024-03-01T12:05:00.001Z' }))).toEqual([
        expect.stringMatching(future),
      ]);
    });

    it('accepts a time ahead of now within the skew, up to its limit', () => {
      expect(eventsOf(envelope({ occurredAt: '2024-03-01T12:04:59Z' })).ok).toBe(true);
      expect(eventsOf(envelope({ occurredAt: '2024-03-01T12:05:00Z' })).ok).toBe(true);
    });

    it('with no skew allowed, refuses a second ahead of now', () => {
      const noSkew = { ...context, maxClockSkewMs: 0 };

      expect(eventsOf(envelope({ occurredAt: '2024-03-01T12:00:00Z' }), noSkew).ok).toBe(true);
      expect(problemsOf(envelope({ occurredAt: '2024-03-01T12:00:01Z' }), noSkew)).toEqual([
        expect.stringMatching(future),
      ]);
    });

    it('accepts the distant past', () => {
      expect(eventsOf(envelope({ occurredAt: '1999-12-31T23:59:59Z' })).ok).toBe(true);
    });
  });

  describe('data, checked against its type', () => {
    it.each([
      [
        'AccountCreated',
        { role: 'admin' },
        [`data.role: must be one of: ${ACCOUNT_ROLES.join(', ')}`],
      ],
      ['AccountCreated', {}, [`data.role: must be one of: ${ACCOUNT_ROLES.join(', ')}`]],
      [
        'AccountCreated',
        { role: 'member', viaSchoolLink: 'yes' },
        ['data.viaSchoolLink: must be true or false'],
      ],
      [
        'AccountCreated',
        { role: 'member', schoolId: null },
        ['data.schoolId: must be a string of 1 to 200 characters'],
      ],
      [
        'ContactMade',
        { channel: 'fax', direction: 'sideways' },
        [
          'data.channel: must be one of: email, phone, platform, meeting, other',
          'data.direction: must be one of: inbound, outbound',
        ],
      ],
      [
        'InvoiceIssued',
        { invoiceId: 'INV-1', amount: '12.50', currency: 'eur' },
        [
          'data.amount: must be a finite number',
          'data.currency: must be an ISO 4217 currency code in upper case, like EUR',
        ],
      ],
      [
        'TransactionRecorded',
        { transactionId: 'tx', amount: 1, currency: 'XYZ' },
        ['data.currency: must be an ISO 4217 currency code in upper case, like EUR'],
      ],
      [
        'RenewalAnswered',
        { purpose: 'marketing', accepted: 'true' },
        ['data.accepted: must be true or false'],
      ],
      [
        'RightsRequestReceived',
        { requestId: 'rr', right: 'forget-me', purposes: ['ok', { constructor: 'x' }] },
        [
          'data.right: must be one of: access, rectification, erasure, restriction, restriction-lifted, portability, objection, consent-withdrawal',
          'data.purposes: must be an array of strings of 1 to 200 characters',
        ],
      ],
      [
        'ReportShared',
        { reportId: 'r', recipientType: 'parent', recipientId: '' },
        [
          'data.recipientType: must be one of: school, company',
          'data.recipientId: must be a string of 1 to 200 characters',
        ],
      ],
      [
        'PostMortemDirectiveRecorded',
        { directive: 'keep' },
        ['data.directive: must be one of: erase, communicate'],
      ],
      [
        'ReviewPosted',
        { reviewId: 'r'.repeat(201) },
        ['data.reviewId: must be a string of 1 to 200 characters'],
      ],
    ])('%s with %j is refused', (type, data, problems) => {
      expect(problemsOf(envelope({ type, data }))).toEqual(problems);
    });

    it('refuses a field the type does not have: no personal data may hide in data', () => {
      const data = { role: 'member', email: 'a@b.fr' };

      expect(problemsOf(envelope({ data }))).toEqual(['data.email: is not an allowed field']);
    });

    it.each([['LastActivity'], ['VisitRecorded']])('%s refuses any field in data', (type) => {
      expect(problemsOf(envelope({ type, data: { connection: 'wifi' } }))).toEqual([
        'data.connection: is not an allowed field',
      ]);
    });

    it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', '__defineGetter__'])(
      'refuses a %s key in data',
      (key) => {
        const data = JSON.parse(`{"role": "member", "${key}": {"role": "admin"}}`) as object;

        expect(problemsOf(envelope({ data }))).toEqual([`data.${key}: is not an allowed field`]);
      },
    );
  });

  describe('personalData', () => {
    it('refuses a category the policy does not know, naming it', () => {
      const personalData = { identification: { firstName: 'Ana' }, health: { allergy: 'nuts' } };

      expect(problemsOf(envelope({ personalData }))).toEqual([
        'personalData.health: is not a category of the policy',
      ]);
    });

    it.each([
      ['a string', 'Ana'],
      ['an array', ['Ana']],
      ['null', null],
    ])('refuses a category holding %s', (_case, value) => {
      expect(problemsOf(envelope({ personalData: { identification: value } }))).toEqual([
        'personalData.identification: must be an object of personal fields',
      ]);
    });

    it('keeps nested values as sent, whatever their keys', () => {
      const personalData = JSON.parse(
        '{"identification": {"constructor": {"x": 1}, "__proto__": {"y": 2}, "toString": "z"}}',
      ) as object;

      expect(eventsOf(envelope({ personalData })).events[0].personalData).toEqual(personalData);
    });

    it('accepts no category at all', () => {
      expect(eventsOf(envelope({ personalData: {} })).events[0].personalData).toEqual({});
    });
  });

  describe('a batch', () => {
    it('names each event by its index', () => {
      const events = [envelope(), envelope({ data: { role: 'boss' } }), envelope({ eventId: 'x' })];

      expect(problemsOf({ events })).toEqual([
        `events[1].data.role: must be one of: ${ACCOUNT_ROLES.join(', ')}`,
        'events[2].eventId: must be a UUID',
      ]);
    });

    it('refuses an event that is not an object', () => {
      expect(problemsOf({ events: [envelope(), 'AccountCreated', null] })).toEqual([
        'events[1]: must be an event envelope (a JSON object)',
        'events[2]: must be an event envelope (a JSON object)',
      ]);
    });

    it('refuses the same eventId twice', () => {
      const eventId = randomUUID();
      const events = [
        envelope({ eventId }),
        envelope(),
        envelope({ eventId }),
        envelope({ eventId }),
      ];

      expect(problemsOf({ events })).toEqual([
        'events[2].eventId: repeats that of events[0]',
        'events[3].eventId: repeats that of events[0]',
      ]);
    });

    it('refuses an empty batch', () => {
      expect(problemsOf({ events: [] })).toEqual(['events: must hold at least one event']);
    });

    it('refuses more events than maxBatchSize, without checking each', () => {
      const events = [envelope(), envelope(), { eventId: 'bad' }];

      expect(problemsOf({ events }, { ...context, maxBatchSize: 2 })).toEqual([
        'events: must hold at most 2 events',
      ]);
    });

    it.each([
      ['an object', { 0: envelope() }],
      ['null', null],
      ['an envelope', envelope()],
    ])('refuses events that is %s', (_case, events) => {
      expect(problemsOf({ events })).toEqual(['events: must be an array of envelopes']);
    });

    it('refuses other fields beside events', () => {
      expect(problemsOf({ events: [envelope()], atomic: true })).toEqual([
        'atomic: is not an allowed field (a batch holds only "events")',
      ]);
    });
  });

  describe('a body that is not an object', () => {
    it.each([
      ['an array', [envelope()]],
      ['a string', 'AccountCreated'],
      ['a number', 42],
      ['a boolean', true],
      ['null', null],
      ['nothing', undefined],
    ])('%s is refused', (_case, body) => {
      expect(problemsOf(body)).toEqual([
        'body: must be a JSON object: one event envelope, or { "events": [...] }',
      ]);
    });
  });

  it('lists every problem of every field of every event, one "<path>: <reason>" line each', () => {
    const first = envelope({
      eventId: 'nope',
      subjectId: '',
      occurredAt: '2024-02-30T10:00:00Z',
      data: { role: 'boss', viaSchoolLink: 1, extra: true },
      personalData: { health: {} },
      unexpected: 1,
    });
    const second = envelope({ type: 'Nothing', source: 7, occurredAt: '2030-01-01T00:00:00Z' });

    const problems = problemsOf({ events: [first, second] });

    expect([...problems].sort()).toEqual(
      [
        'events[0].eventId: must be a UUID',
        'events[0].subjectId: must be a string of 1 to 200 printable characters',
        'events[0].occurredAt: must be a real UTC date and time in ISO 8601 form, like 2024-03-01T10:00:00Z',
        'events[0].unexpected: is not an allowed field',
        `events[0].data.role: must be one of: ${ACCOUNT_ROLES.join(', ')}`,
        'events[0].data.viaSchoolLink: must be true or false',
        'events[0].data.extra: is not an allowed field',
        'events[0].personalData.health: is not a category of the policy',
        `events[1].type: must be one of: ${PLATFORM_EVENT_TYPES.join(', ')}`,
        'events[1].source: must be a string of 1 to 200 characters',
        "events[1].occurredAt: is in the future (more than 5 minutes ahead of the ledger's clock)",
      ].sort(),
    );
  });

  describe('problems never repeat a submitted value', () => {
    const email = 'ana.dupont@example.fr';
    const phone = '0612345678';
    const secrets = [email, phone, 'Dupont', 'secret-subject'];

    it('even when personal values are put in every wrong place', () => {
      const body = {
        events: [
          envelope({
            eventId: email,
            type: `Dupont ${email}`,
            subjectId: 'secret-subject\u0000Dupont',
            occurredAt: `${phone}`,
            source: { email },
            [email]: 'Dupont',
            personalData: { [email]: { phone }, [phone]: {}, identification: `Dupont ${phone}` },
          }),
          envelope({
            data: { role: email, schoolId: { phone }, [phone]: email },
          }),
          envelope({
            type: 'InvoiceIssued',
            data: { invoiceId: phone, amount: phone, currency: email },
          }),
          envelope({
            type: 'RightsRequestReceived',
            data: { requestId: 'r', right: email, purposes: [phone] },
          }),
        ],
      };

      const text = problemsOf(body).join('\n');

      for (const secret of secrets) expect(text).not.toContain(secret);
      expect(text).toContain('events[0].<name withheld>: is not an allowed field');
      expect(text).toContain(
        'events[0].personalData.<name withheld>: is not a category of the policy',
      );
      expect(text).toContain('events[1].data.<name withheld>: is not an allowed field');
    });

    it('shows field names that look like names, and only those', () => {
      const problems = problemsOf(
        envelope({ data: { role: 'member', 'first name': 'x', firstName: 'x' } }),
      );

      expect(problems).toEqual([
        'data.<name withheld>: is not an allowed field',
        'data.firstName: is not an allowed field',
      ]);
    });
  });
});
