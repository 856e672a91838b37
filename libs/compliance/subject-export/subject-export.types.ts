import type { NextAction, RecordPhase } from '../../policy/evaluate/schedule.types';

/**
 * The art. 15 / art. 20 export of one subject, version 1. Its JSON Schema is
 * `docs/schemas/subject-export.v1.schema.json`: fields may be added within a version, never
 * renamed or removed; a changed shape is a new `schemaVersion`.
 */
export const SUBJECT_EXPORT_SCHEMA_VERSION = 1;

export interface SubjectExport {
  readonly schemaVersion: typeof SUBJECT_EXPORT_SCHEMA_VERSION;
  readonly subjectId: string;
  /** The ledger's clock when the export was made. */
  readonly generatedAt: string;
  readonly controller?: string;
  /** The policy whose rules gave the purposes and deadlines. */
  readonly policy: {
    readonly version: string;
    readonly effectiveFrom: string;
    readonly sha256: string;
  };
  /** Where the data is stored and transferred (section 5 of the policy). */
  readonly storage: readonly { readonly where: string; readonly transfers?: string }[];
  /** Every record, erased ones included (without content), by record key and category. */
  readonly records: readonly ExportedRecord[];
  /** Every report about the subject shared with a school or a company (`ReportShared`). */
  readonly sharedWith: readonly SharedReport[];
}

export interface ExportedRecord {
  readonly recordKey: string;
  readonly category: string;
  /** What the category holds, in the policy's words. */
  readonly categoryDescription?: string;
  readonly phase: RecordPhase;
  readonly collectedAt: string;
  readonly lastCollectedAt: string;
  /** The publishing services the record's data came from. */
  readonly sources: readonly string[];
  readonly activeUntil: string | null;
  readonly archiveUntil?: string;
  readonly nextAction: NextAction | null;
  readonly purposes: readonly ExportedPurpose[];
  /** A report record (`report:<id>`): to whom it was shared. */
  readonly sharedWith?: readonly SharedReport[];
  /** Archived: kept as evidence only; the content is not part of the export. */
  readonly archived?: { readonly at: string; readonly until?: string };
  /** Erased: its data key is destroyed; nothing of its content is left. */
  readonly erased?: { readonly at: string };
  /** Active records only: what each event said, opened from the vault, oldest first. */
  readonly personalData?: readonly ExportedValue[];
}

export interface ExportedPurpose {
  readonly purpose: string;
  readonly description: string;
  readonly legalBases: readonly string[];
  readonly activeUntil: string | null;
  readonly archiveUntil?: string;
  readonly then: 'erase' | 'request-renewal';
  readonly stoppedBy?: string;
  /** The recipients the policy names for this purpose (section 4). */
  readonly recipients: readonly string[];
}

export interface ExportedValue {
  readonly eventId: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly source: string;
  readonly values: unknown;
}

export interface SharedReport {
  readonly reportId: string;
  readonly recipientType: string;
  readonly recipientId: string;
  readonly sharedAt: string;
  readonly eventId: string;
  readonly source: string;
}
