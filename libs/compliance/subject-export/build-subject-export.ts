import { recordIdOf, type SubjectState } from '../../domain/subjects/subject-state';
import type { RecordSchedule, SubjectSchedule } from '../../policy/evaluate/schedule.types';
import type { Policy } from '../../policy/policy';
import type { SubjectContent } from './subject-content';
import {
  SUBJECT_EXPORT_SCHEMA_VERSION,
  type ExportedPurpose,
  type ExportedRecord,
  type SubjectExport,
} from './subject-export.types';

export interface SubjectExportInput {
  readonly subjectId: string;
  readonly now: Date;
  readonly policy: Policy;
  readonly state: SubjectState;
  readonly schedule: SubjectSchedule;
  /** The active records' opened values and the shared reports, from the subject's events. */
  readonly content: SubjectContent;
}

/**
 * The export, from the subject's fold, its schedule and what its events hold. Only active
 * records carry content: an archived one is evidence (read through an archive read), an
 * erased one has none left.
 */
export function buildSubjectExport(input: SubjectExportInput): SubjectExport {
  const { policy, schedule, content } = input;
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
    records: schedule.records.map((record) => exportedRecord(input, record)),
    sharedWith: content.shared,
  };
}

function exportedRecord(
  { state, policy, content }: SubjectExportInput,
  schedule: RecordSchedule,
): ExportedRecord {
  const id = recordIdOf(schedule.recordKey, schedule.category);
  const record = state.records[id];
  const phases = state.phases[id];
  const description = policy.categories[schedule.category];
  const reports = content.shared.filter((r) => schedule.recordKey === `report:${r.reportId}`);
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
    ...(schedule.phase === 'active' ? { personalData: content.values.get(id) ?? [] } : {}),
  };
}
