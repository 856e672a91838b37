import type { LedgerEventV1, SealedPersonalData } from '../events/ledger-event';
import { recordIdOf, type SubjectState } from '../subjects/subject-state';

/** What an archive read may open: the sealed boxes of one archived record, oldest first. */
export type ArchiveReadDecision =
  | { readonly kind: 'unknown-record' }
  /** Still active: its data is read through the export, not as evidence. */
  | { readonly kind: 'not-archived' }
  /** Its key is destroyed: nothing can be read, ever. */
  | { readonly kind: 'erased'; readonly erasedAt: string }
  | {
      readonly kind: 'read';
      readonly archivedAt: string;
      readonly boxes: readonly {
        readonly event: LedgerEventV1;
        readonly box: SealedPersonalData;
      }[];
    };

/** The phase rule of the retention schedule: erased, else archived, else active. */
export function decideArchiveRead(
  state: SubjectState,
  events: readonly LedgerEventV1[],
  recordKey: string,
  category: string,
): ArchiveReadDecision {
  const recordId = recordIdOf(recordKey, category);
  if (!Object.hasOwn(state.records, recordId)) return { kind: 'unknown-record' };
  const phases = Object.hasOwn(state.phases, recordId) ? state.phases[recordId] : undefined;
  if (phases?.erased) return { kind: 'erased', erasedAt: phases.erased.at };
  if (!phases?.archived) return { kind: 'not-archived' };
  const boxes = events.flatMap((event) =>
    (event.personalData ?? [])
      .filter((box) => box.recordKey === recordKey && box.category === category)
      .map((box) => ({ event, box })),
  );
  return { kind: 'read', archivedAt: phases.archived.at, boxes };
}
