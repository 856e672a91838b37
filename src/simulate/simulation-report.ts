import type { LedgerEventV1 } from '../../libs/domain/events/ledger-event';

/** What the saga wrote, as one line of the simulation's diary. */
export interface SagaFact {
  readonly day: string;
  readonly action: 'archived' | 'erased' | 'erasure deferred' | 'renewal requested';
  readonly subjectId: string;
  readonly record: string;
  readonly purposes: readonly string[];
  readonly detail?: string;
}

const ACTION_OF: Readonly<Record<string, SagaFact['action']>> = {
  RecordArchived: 'archived',
  RecordErased: 'erased',
  ErasureDeferred: 'erasure deferred',
  RenewalRequested: 'renewal requested',
};

/**
 * A fact the saga wrote, told in one line; undefined for what it did not decide (a policy
 * version, a legal hold). `purposesOf` gives a deferred record's purposes (the event names
 * only the reason).
 */
export function sagaFact(
  event: LedgerEventV1,
  subjectId: string,
  purposesOf: (recordKey: string, category: string) => readonly string[],
): SagaFact | undefined {
  const action = ACTION_OF[event.type];
  if (action === undefined) return undefined;
  const data = event.data as Record<string, unknown>;
  const recordKey = String(data.recordKey);
  const category = String(data.category);
  const base = {
    day: event.recordedAt.slice(0, 10),
    action,
    subjectId,
    record: `${recordKey}/${category}`,
  };
  switch (event.type) {
    case 'ErasureDeferred':
      return {
        ...base,
        purposes: purposesOf(recordKey, category),
        detail: `reason: ${String(data.reason)}`,
      };
    case 'RenewalRequested':
      return {
        ...base,
        purposes: [String(data.purpose)],
        detail: `answer by ${String(data.answerBy).slice(0, 10)}`,
      };
    default:
      return {
        ...base,
        purposes: (data.purposes as string[]) ?? [],
        detail: `due ${String(data.dueAt).slice(0, 10)}`,
      };
  }
}

export function formatFact(fact: SagaFact): string {
  const purposes = fact.purposes.length > 0 ? fact.purposes.join(',') : '-';
  return [
    fact.day,
    fact.action.padEnd(17),
    fact.subjectId,
    fact.record,
    purposes,
    ...(fact.detail ? [`(${fact.detail})`] : []),
  ].join('  ');
}

const COLUMNS = ['archived', 'erased', 'renewals', 'deferred'] as const;
type Column = (typeof COLUMNS)[number];
const COLUMN_OF: Readonly<Record<SagaFact['action'], Column>> = {
  archived: 'archived',
  erased: 'erased',
  'renewal requested': 'renewals',
  'erasure deferred': 'deferred',
};

/**
 * Counts per purpose: a record kept by two purposes counts once under each, so the total
 * row (one per fact) is not the sum of the rows above it.
 */
export function summaryTable(facts: readonly SagaFact[]): string[] {
  const rows = new Map<string, Record<Column, number>>();
  const total = emptyRow();
  for (const fact of facts) {
    const column = COLUMN_OF[fact.action];
    total[column]++;
    for (const purpose of fact.purposes.length > 0 ? fact.purposes : ['(none)']) {
      const row = rows.get(purpose) ?? emptyRow();
      row[column]++;
      rows.set(purpose, row);
    }
  }
  const names = [...rows.keys()].sort();
  const width = Math.max('purpose'.length, 'total (facts)'.length, ...names.map((n) => n.length));
  const line = (name: string, cells: readonly (string | number)[]) =>
    [name.padEnd(width), ...cells.map((c) => String(c).padStart(9))].join('  ');
  return [
    line('purpose', COLUMNS),
    '-'.repeat(width + COLUMNS.length * 11),
    ...names.map((name) =>
      line(
        name,
        COLUMNS.map((c) => rows.get(name)![c]),
      ),
    ),
    '-'.repeat(width + COLUMNS.length * 11),
    line(
      'total (facts)',
      COLUMNS.map((c) => total[c]),
    ),
  ];
}

function emptyRow(): Record<Column, number> {
  return { archived: 0, erased: 0, renewals: 0, deferred: 0 };
}
