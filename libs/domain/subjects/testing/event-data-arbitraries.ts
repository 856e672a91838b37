import fc from 'fast-check';
import {
  ACCOUNT_ROLES,
  CLOSE_REASONS,
  CONTACT_CHANNELS,
  CONTACT_DIRECTIONS,
  DIRECTIVES,
  RECIPIENT_TYPES,
  RIGHTS,
} from '../../events/event-catalogue';
import { DEFERRAL_REASONS } from '../../events/ledger-written-events';
import type { SubjectStreamDataByType } from '../subject-stream-event';

/** Small pools, so that histories hit the same contract, purpose or record again. */
export const idArb = fc.constantFrom('1', '2', '3');
export const purposeArb = fc.constantFrom('marketing', 'matchmaking', 'statistics', 'reviews');
export const POLICY_VERSION = '2023-01-24';

/** ISO-8601 instants from 2020 to 2030, often one of a few shared ones (ties by event id). */
export const instantArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('2024-02-29T12:00:00.000Z', '2025-01-31T00:00:00.000Z'),
  fc
    .integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 11, 31, 23, 59, 59, 999) })
    .map((ms) => new Date(ms).toISOString()),
);

const recordRefArb = fc.constantFrom(
  { recordKey: 'account', category: 'identification' },
  { recordKey: 'invoice:1', category: 'billing' },
  { recordKey: 'visits:2024-02', category: 'navigation' },
  { recordKey: 'conversations', category: 'conversations' },
);
const decisionArb = fc.record({
  policyVersion: fc.constant(POLICY_VERSION),
  purposes: fc.subarray(['platform-access', 'member-file', 'statistics']),
  dueAt: instantArb,
  because: fc.array(fc.uuid(), { maxLength: 3 }),
});
const hexArb = fc.string({
  unit: fc.constantFrom(...'0123456789abcdef'),
  minLength: 16,
  maxLength: 64,
});
const amountArb = fc.integer({ min: -10_000, max: 10_000 });
const currencyArb = fc.constantFrom('EUR', 'USD');
const requestArb = fc.record({ requestId: idArb });

/** `data` of every type a subject's stream holds, in its stored shape. */
export const dataArbs: {
  [T in keyof SubjectStreamDataByType]: fc.Arbitrary<SubjectStreamDataByType[T]>;
} = {
  AccountCreated: fc.record(
    { role: fc.constantFrom(...ACCOUNT_ROLES), schoolId: idArb, viaSchoolLink: fc.boolean() },
    { requiredKeys: ['role'] },
  ),
  LastActivity: fc.constant({}),
  ContactMade: fc.record(
    {
      channel: fc.constantFrom(...CONTACT_CHANNELS),
      direction: fc.constantFrom(...CONTACT_DIRECTIONS),
      counterpart: fc.constantFrom('ps-0002', 'ps-0003'),
    },
    { requiredKeys: ['channel', 'direction'] },
  ),
  ReviewPosted: fc.record({ reviewId: idArb }),
  InvoiceIssued: fc.record({ invoiceId: idArb, amount: amountArb, currency: currencyArb }),
  AccountClosed: fc.record({ reason: fc.constantFrom(...CLOSE_REASONS) }),
  ContractSigned: fc.record({ contractId: idArb }),
  ContractEnded: fc.record({ contractId: idArb }),
  TransactionRecorded: fc.record({
    transactionId: idArb,
    amount: amountArb,
    currency: currencyArb,
  }),
  ProspectRegistered: fc.record({ origin: fc.constantFrom('fair', 'website') }),
  ConsentGiven: fc.record({ purpose: purposeArb }),
  ConsentWithdrawn: fc.record({ purpose: purposeArb }),
  VisitRecorded: fc.constant({}),
  BugReported: fc.record({ reportId: idArb }),
  InformationRequested: requestArb,
  InformationRequestAnswered: requestArb,
  ReportShared: fc.record({
    reportId: idArb,
    recipientType: fc.constantFrom(...RECIPIENT_TYPES),
    recipientId: idArb,
  }),
  DisputeOpened: fc.record({ disputeId: idArb, invoiceId: idArb }, { requiredKeys: ['disputeId'] }),
  DisputeClosed: fc.record({ disputeId: idArb, invoiceId: idArb }, { requiredKeys: ['disputeId'] }),
  RightsRequestReceived: fc.record(
    {
      requestId: idArb,
      right: fc.constantFrom(...RIGHTS, 'objection', 'objection'),
      purposes: fc.subarray(['marketing', 'matchmaking', 'statistics']),
    },
    { requiredKeys: ['requestId', 'right'] },
  ),
  IdentityProofReceived: requestArb,
  IdentityVerified: requestArb,
  RenewalAnswered: fc.record({ purpose: purposeArb, accepted: fc.boolean() }),
  PostMortemDirectiveRecorded: fc.record(
    { directive: fc.constantFrom(...DIRECTIVES), beneficiary: fc.constant('ps-0002') },
    { requiredKeys: ['directive'] },
  ),
  RecordArchived: fc.tuple(recordRefArb, decisionArb).map(([ref, d]) => ({ ...ref, ...d })),
  RecordErased: fc
    .tuple(recordRefArb, decisionArb, hexArb)
    .map(([ref, d, keyFingerprint]) => ({ ...ref, ...d, keyFingerprint })),
  RenewalRequested: fc.record({
    recordKey: fc.constant('account'),
    category: fc.constant('identification'),
    purpose: purposeArb,
    policyVersion: fc.constant(POLICY_VERSION),
    dueAt: instantArb,
    answerBy: instantArb,
  }),
  LegalHoldPlaced: fc.record({
    holdId: fc.constantFrom('H-1', 'H-2'),
    reason: fc.constant('case 12'),
  }),
  LegalHoldReleased: fc.record({
    holdId: fc.constantFrom('H-1', 'H-2'),
    reason: fc.constant('case 12 closed'),
  }),
  ErasureDeferred: fc
    .tuple(recordRefArb, fc.constantFrom(...DEFERRAL_REASONS), instantArb)
    .map(([ref, reason, dueAt]) => ({ ...ref, reason, policyVersion: POLICY_VERSION, dueAt })),
  RightsRequestAnswered: fc
    .tuple(fc.constantFrom('rr-1', 'rr-2'), fc.constantFrom(...RIGHTS), instantArb, recordRefArb)
    .map(([requestId, right, at, ref]) => ({
      requestId,
      right,
      receivedAt: at,
      answerDueBy: at,
      answeredAt: at,
      policyVersion: POLICY_VERSION,
      done: [{ action: 'erased' as const, ...ref }],
      kept: [],
    })),
};
