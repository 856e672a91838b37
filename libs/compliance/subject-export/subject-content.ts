import type { KeyVault } from '../../crypto/key-vault.port';
import { openPersonalData } from '../../crypto/personal-data/seal-personal-data';
import { parseLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import { recordIdOf } from '../../domain/subjects/subject-state';
import type { ExportedValue, SharedReport } from './subject-export.types';

/** What the export shows of the stream's events themselves. */
export interface SubjectContent {
  /** The opened values of each active record, by record id, in log order. */
  readonly values: ReadonlyMap<string, readonly ExportedValue[]>;
  /** Every `ReportShared`, in log order. */
  readonly shared: readonly SharedReport[];
}

/**
 * One pass over the stored events: each is parsed, read and dropped before the next, so
 * only what the export keeps outlives it. Holding the 10,000 parsed events of a stream until
 * the end made every young-generation GC copy them: GC went from 20% to 12% of an export's
 * profile without them (bench/export.bench.ts's subject).
 *
 * One vault lookup (one unwrap) per data key of an active record, whatever its event count,
 * at its first box. A key destroyed under an active record (its erasure under way) leaves
 * the record's values out.
 */
export async function readSubjectContent(
  vault: Pick<KeyVault, 'dataKey'>,
  payloads: readonly string[],
  activeRecordIds: readonly string[],
): Promise<SubjectContent> {
  const values = new Map<string, ExportedValue[]>(activeRecordIds.map((id) => [id, []]));
  const shared: SharedReport[] = [];
  const keys = new Map<string, Buffer | undefined>();
  for (const payload of payloads) {
    const event = parseLedgerEvent(payload);
    if (event.type === 'ReportShared') shared.push(sharedReportOf(event));
    if (event.personalData === undefined) continue;
    for (const box of event.personalData) {
      const list = values.get(recordIdOf(box.recordKey, box.category));
      if (list === undefined) continue;
      // Awaited at a key's first box only, not at each of the 10,000.
      if (!keys.has(box.keyId)) keys.set(box.keyId, await vault.dataKey(box.keyId));
      const key = keys.get(box.keyId);
      if (key === undefined) continue;
      list.push({
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt,
        source: event.source,
        values: openPersonalData(event.eventId, box, key),
      });
    }
  }
  return { values, shared };
}

function sharedReportOf(event: LedgerEventV1): SharedReport {
  return {
    reportId: String(event.data.reportId),
    recipientType: String(event.data.recipientType),
    recipientId: String(event.data.recipientId),
    sharedAt: event.occurredAt,
    eventId: event.eventId,
    source: event.source,
  };
}
