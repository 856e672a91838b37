import type {
  ClockValue,
  ContractState,
  DisputeMark,
  DisputeState,
  LegalHoldState,
  PurposeConsent,
  RecordPhaseState,
  RecordState,
  RenewalState,
  RestrictionState,
  RoleValue,
} from './subject-state';

/**
 * Builders of the state's nested objects: each lays its fields out in one fixed order and
 * leaves out the absent ones, so that equal values serialize to the same bytes whatever
 * order they were filled in.
 */

export function clockOf(event: { readonly occurredAt: string; readonly eventId: string }) {
  return clock({ at: event.occurredAt, eventId: event.eventId });
}

export function clock(value: ClockValue): ClockValue {
  return { at: value.at, eventId: value.eventId };
}

export function roleValue(value: RoleValue): RoleValue {
  return { at: value.at, eventId: value.eventId, role: value.role };
}

export function contractState(value: ContractState): ContractState {
  return compact({ signed: maybe(clock, value.signed), ended: maybe(clock, value.ended) });
}

export function disputeMark(value: DisputeMark): DisputeMark {
  return compact({ at: value.at, eventId: value.eventId, invoiceId: value.invoiceId });
}

export function disputeState(value: DisputeState): DisputeState {
  const { opened, closed } = value;
  return compact({
    opened: maybe(disputeMark, opened),
    closed: maybe(disputeMark, closed),
    invoiceId: opened?.invoiceId ?? closed?.invoiceId,
  });
}

export function purposeConsent(value: PurposeConsent): PurposeConsent {
  return compact({
    consentGiven: maybe(clock, value.consentGiven),
    consentWithdrawn: maybe(clock, value.consentWithdrawn),
    objection: maybe(clock, value.objection),
  });
}

export function recordState(value: RecordState): RecordState {
  return {
    recordKey: value.recordKey,
    category: value.category,
    collectedAt: clock(value.collectedAt),
    lastCollectedAt: clock(value.lastCollectedAt),
    sources: [...value.sources],
  };
}

export function phaseState(value: RecordPhaseState): RecordPhaseState {
  return compact({ archived: maybe(clock, value.archived), erased: maybe(clock, value.erased) });
}

export function restrictionState(value: RestrictionState): RestrictionState {
  return compact({ requested: maybe(clock, value.requested), lifted: maybe(clock, value.lifted) });
}

export function legalHoldState(value: LegalHoldState): LegalHoldState {
  return compact({ placed: maybe(clock, value.placed), released: maybe(clock, value.released) });
}

export function renewalState(value: RenewalState): RenewalState {
  const answered = value.answered;
  return compact({
    requested: maybe(clock, value.requested),
    answered: answered && {
      at: answered.at,
      eventId: answered.eventId,
      accepted: answered.accepted,
    },
  });
}

function maybe<T>(build: (value: T) => T, value: T | undefined): T | undefined {
  return value === undefined ? undefined : build(value);
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
