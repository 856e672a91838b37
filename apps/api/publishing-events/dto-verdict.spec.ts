import {
  IsDefined,
  IsString,
  ValidateNested,
  validateSync,
  type ValidatorOptions,
} from 'class-validator';
import type { EventDataByType, PlatformEventType } from '../../../libs/domain/events';
import { dtoVerdict } from './dto-verdict';
import { EVENT_DATA_DTOS } from './event-data.request.dtos';
import { EventEnvelopeDto } from './event-envelope.request.dto';

const ENVELOPE_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: false },
};
const DATA_OPTIONS: ValidatorOptions = { ...ENVELOPE_OPTIONS, forbidUnknownValues: false };

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

const VALID_ENVELOPE = {
  eventId: '8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10',
  type: 'AccountCreated',
  subjectId: 'user-42',
  occurredAt: '2024-03-01T10:00:00Z',
  source: 'marketplace-api',
  data: { role: 'member' },
  personalData: { identification: { email: 'a@b.fr' } },
};

// Values of every JSON kind, right for some fields and wrong for others.
const VALUES: readonly unknown[] = [
  undefined,
  null,
  true,
  0,
  -1.5,
  '',
  'x',
  'a'.repeat(201),
  'line\nbreak',
  'member',
  'EUR',
  'eur',
  'AccountCreated',
  'LastActivity',
  '8f0c2b0e-5d1e-4c52-9b53-0d2f4a2f5d10',
  '2024-03-01T10:00:00Z',
  '2024-02-30T10:00:00Z',
  [],
  ['x'],
  [1],
  {},
  { role: 'member' },
];

/** `validateSync`'s own verdict, on a DTO instance holding the fields as they are. */
function classValidatorAccepts(
  dto: new () => object,
  fields: Record<string, unknown>,
  options: ValidatorOptions,
): boolean {
  const instance = new dto();
  for (const [key, value] of Object.entries(fields)) {
    Object.defineProperty(instance, key, { value, enumerable: true, writable: true });
  }
  return validateSync(instance, options).length === 0;
}

function variantsOf(valid: Record<string, unknown>, properties: readonly string[]) {
  const variants: Array<Record<string, unknown>> = [valid, {}];
  for (const property of properties) {
    for (const value of VALUES) {
      const variant: Record<string, unknown> = { ...valid, [property]: value };
      if (value === undefined) delete variant[property];
      variants.push(variant);
      // A second field wrong too: conditions may read one field to decide on another.
      for (const other of properties) {
        if (other !== property) variants.push({ ...variant, [other]: VALUES[1] });
      }
    }
  }
  variants.push({ ...valid, extra: 'x' });
  return variants;
}

function expectSameVerdicts(
  dto: new () => object,
  valid: Record<string, unknown>,
  options: ValidatorOptions,
) {
  const verdict = dtoVerdict(dto, options);
  const properties = [...new Set([...Object.keys(new dto()), ...Object.keys(valid), 'data'])];
  let accepted = 0;
  for (const fields of variantsOf(valid, properties)) {
    const expected = classValidatorAccepts(dto, fields, options);
    if (expected) accepted++;
    expect({ fields, accepted: verdict(fields) }).toEqual({ fields, accepted: expected });
  }
  expect(accepted).toBeGreaterThan(0);
}

describe('dtoVerdict', () => {
  it('agrees with validateSync on envelopes, valid or not', () => {
    expectSameVerdicts(EventEnvelopeDto, VALID_ENVELOPE, ENVELOPE_OPTIONS);
  });

  it('agrees on an envelope without data, whose type needs none', () => {
    const { data: _none, ...envelope } = { ...VALID_ENVELOPE, type: 'LastActivity' };
    expectSameVerdicts(EventEnvelopeDto, envelope, ENVELOPE_OPTIONS);
  });

  it.each(Object.keys(VALID_DATA) as PlatformEventType[])(
    'agrees with validateSync on the data of %s',
    (type) => {
      expectSameVerdicts(EVENT_DATA_DTOS[type], { ...VALID_DATA[type] }, DATA_OPTIONS);
    },
  );

  it('refuses keys of Object.prototype, which the whitelist of validateSync lets through', () => {
    // validatePublishBody reports those keys itself; here they only must not pass.
    for (const key of ['__proto__', 'constructor', 'toString']) {
      const envelope = { ...VALID_ENVELOPE, ...JSON.parse(`{"${key}": {"x": 1}}`) };
      expect(dtoVerdict(EventEnvelopeDto, ENVELOPE_OPTIONS)(envelope)).toBe(false);
    }
  });

  it('uses the constraints of other decorators too (here @IsString)', () => {
    class NamedDto {
      @IsString()
      name!: string;
    }
    const verdict = dtoVerdict(NamedDto, ENVELOPE_OPTIONS);

    expect(verdict({ name: 'Ana' })).toBe(true);
    expect(verdict({ name: 42 })).toBe(false);
    expect(verdict({ name: 'Ana', age: 3 })).toBe(false);
  });

  it('leaves to validateSync what it does not reproduce: nested DTOs, @IsDefined', () => {
    class InnerDto {
      @IsString()
      name!: string;
    }
    class OuterDto {
      @ValidateNested()
      inner!: InnerDto;
    }
    class DefinedDto {
      @IsDefined()
      name!: string;
    }

    expect(dtoVerdict(OuterDto, ENVELOPE_OPTIONS)({ inner: { name: 'Ana' } })).toBe(false);
    expect(dtoVerdict(DefinedDto, ENVELOPE_OPTIONS)({ name: 'Ana' })).toBe(false);
  });

  it('leaves to validateSync what options it does not know, and a missing whitelist', () => {
    expect(
      dtoVerdict(EventEnvelopeDto, { ...ENVELOPE_OPTIONS, groups: ['x'] })(VALID_ENVELOPE),
    ).toBe(false);
    expect(dtoVerdict(EventEnvelopeDto, { whitelist: true })(VALID_ENVELOPE)).toBe(false);
  });
});
