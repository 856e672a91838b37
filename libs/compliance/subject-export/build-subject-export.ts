import type { LedgerEventV1, SealedPersonalData } from '../../domain/events/ledger-event';
import { recordIdOf, type SubjectState } from '../../domain/subjects/subject-state';
import type { RecordSchedule, SubjectSchedule } from '../../policy/evaluate/schedule.types';
import type { Policy } from '../../policy/policy';
import {
  SUBJECT_EXPORT_SCHEMA_VERSION,
  type ExportedPurpose,
  type ExportedRecord,
  type ExportedValue,
  type SharedReport,
  type SubjectExport,
} from './subject-export.types';

export interface SubjectExportInput {
  readonly subjectId: string;
  readonly now: Date;
  readonly policy: Policy;
  readonly events: readonly LedgerEventV1[];
  readonly state: SubjectState;
  readonly schedule: SubjectSchedule;
  /** The box's values; undefined when its key is gone (an erasure under way). */
  readonly open: (event: LedgerEventV1, box: SealedPersonalData) => unknown;
}

/**
 * The export, from the subject's events, their fold and its schedule. Only active records
 * carry content: an archived one is evidence (read through an archive read), an erased one
 * has none left. Pure but for `open`.
 */
export function buildSubjectExport(input: SubjectExportInput): SubjectExport {
  const { policy, events, schedule } = input;
  const values = activeValues(events, schedule.records, input.open);
  const shared = sharedReports(events);
  return {
    schemaVersion: SUBJECT_EXPORT_SCHEMA_VERSION,
    subjectId: input.subjectId,
    generatedAt: input.now.toISOString(),
    ...(policy.controller ? { controller: policy.controller } : {}),
    policy: { version: policy.version, effectiveFrom: policy.effectiveFrom, sha256: policy.sha256 },
    storage: (policy.storage ?? []).map(({ where, transfers }) => ({
      where,
      ...(transfers ? { transfers } : {}),
    })),
    records: schedule.records.map((record) => exportedRecord(input, record, values, shared)),
    sharedWith: shared,
  };
}

function exportedRecord(
  { state, policy }: SubjectExportInput,
  schedule: RecordSchedule,
  values: ReadonlyMap<string, ExportedValue[]>,
  shared: readonly SharedReport[],
): ExportedRecord {
  const id = recordIdOf(schedule.recordKey, schedule.category);
  const record = state.records[id];
  const phases = state.phases[id];
  const description = policy.categories[schedule.category];
  const reports = shared.filter((r) => schedule.recordKey === `report:${r.reportId}`);
  return {
    recordKey: schedule.recordKey,
    category: schedule.category,
    ...(description ? { categoryDescription: description } : {}),
    phase: schedule.phase,
    collectedAt: record.collectedAt.at,
    lastCollectedAt: record.lastCollectedAt.at,
    sources: record.sources,
    activeUntil: schedule.activeUntil,
    ...(schedule.archiveUntil ? { archiveUntil: schedule.archiveUntil } : {}),
    nextAction: schedule.nextAction,
    purposes: schedule.purposes.map((p): ExportedPurpose => {
      const purpose = policy.purposes.find((q) => q.id === p.purpose);
      return {
        purpose: p.purpose,
        description: purpose?.text ?? '',
        legalBases: p.legalBases,
        activeUntil: p.activeUntil,
        ...(p.archiveUntil ? { archiveUntil: p.archiveUntil } : {}),
        then: p.then,
        ...(p.stoppedBy ? { stoppedBy: p.stoppedBy } : {}),
        recipients: purpose?.recipients ?? [],
      };
    }),
    ...(reports.length > 0 ? { sharedWith: reports } : {}),
    ...(schedule.phase === 'archived' && phases?.archived
      ? {
          archived: {
            at: phases.archived.at,
            ...(schedule.archiveUntil ? { until: schedule.archiveUntil } : {}),
          },
        }
      : {}),
    ...(schedule.phase === 'erased' && phases?.erased ? { erased: { at: phases.erased.at } } : {}),
    ...(schedule.phase === 'active' ? { personalData: values.get(id) ?? [] } : {}),
  };
}

/** The opened values of the active records, by record id, in log order. */
function activeValues(
  events: readonly LedgerEventV1[],
  records: readonly RecordSchedule[],
  open: SubjectExportInput['open'],
): Map<string, ExportedValue[]> {
  const values = new Map<string, ExportedValue[]>();
  for (const r of records) {
    if (r.phase === 'active') values.set(recordIdOf(r.recordKey, r.category), []);
  }
  for (const event of events) {
    if (event.personalData === undefined) continue;
    for (const box of event.personalData) {
      const list = values.get(recordIdOf(box.recordKey, box.category));
      if (list === undefined) continue;
      const opened = open(event, box);
      if (opened === undefined) continue;
      list.push({
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt,
        source: event.source,
        values: opened,
      });
    }
  }
  return values;
}

function sharedReports(events: readonly LedgerEventV1[]): SharedReport[] {
  return events
    .filter((e) => e.type === 'ReportShared')
    .map((e) => ({
      reportId: String(e.data.reportId),
      recipientType: String(e.data.recipientType),
      recipientId: String(e.data.recipientId),
      sharedAt: e.occurredAt,
      eventId: e.eventId,
      source: e.source,
    }));
}
