import type { KeyVault } from '../../crypto/key-vault.port';
import { openPersonalData } from '../../crypto/personal-data/seal-personal-data';
import type { Clock } from '../../domain/clock';
import type { LedgerEventV1 } from '../../domain/events/ledger-event';
import { recordIdOf } from '../../domain/subjects/subject-state';
import type { EventStore } from '../../event-store';
import { readSubjectStream } from '../../lifecycle/subject-stream';
import { retentionSchedule } from '../../policy/evaluate/retention-schedule';
import type { Policy } from '../../policy/policy';
import { buildSubjectExport } from './build-subject-export';
import type { SubjectExport } from './subject-export.types';

export interface SubjectExportDependencies {
  readonly store: EventStore;
  readonly vault: KeyVault;
  readonly clock: Clock;
  /** The policy in force (the log's), else the configured one. */
  readonly policy: () => Promise<Policy>;
}

/**
 * The export of one subject, from its stream as it stands: the deadlines are the
 * evaluator's over the same fold, so they never disagree with the content shown (the read
 * model may lag the log). Undefined for a subject the ledger does not know (never seen, or
 * forgotten once its last record was erased).
 */
export async function exportSubject(
  deps: SubjectExportDependencies,
  subjectId: string,
): Promise<SubjectExport | undefined> {
  const pseudonym = await deps.vault.pseudonymOf(subjectId, { create: false });
  if (pseudonym === undefined) return undefined;
  const [{ events, state }, policy] = await Promise.all([
    readSubjectStream(deps.store, pseudonym),
    deps.policy(),
  ]);
  if (events.length === 0) return undefined;
  const schedule = retentionSchedule(state, policy);
  const activeIds = new Set(
    schedule.records
      .filter((r) => r.phase === 'active')
      .map((r) => recordIdOf(r.recordKey, r.category)),
  );
  const keys = await dataKeysOf(deps.vault, events, activeIds);
  return buildSubjectExport({
    subjectId,
    now: deps.clock.now(),
    policy,
    events,
    state,
    schedule,
    open: (event, box) => {
      const key = keys.get(box.keyId);
      // A key destroyed under an active record: its erasure is under way, nothing to show.
      return key === undefined ? undefined : openPersonalData(event.eventId, box, key);
    },
  });
}

/** One vault lookup (one unwrap) per data key of an active record, whatever its event count. */
async function dataKeysOf(
  vault: KeyVault,
  events: readonly LedgerEventV1[],
  activeIds: ReadonlySet<string>,
): Promise<Map<string, Buffer>> {
  const keyIds = new Set<string>();
  for (const event of events) {
    for (const box of event.personalData ?? []) {
      if (activeIds.has(recordIdOf(box.recordKey, box.category))) keyIds.add(box.keyId);
    }
  }
  const ids = [...keyIds];
  const keys = await Promise.all(ids.map((id) => vault.dataKey(id)));
  const found = new Map<string, Buffer>();
  ids.forEach((id, i) => {
    const key = keys[i];
    if (key !== undefined) found.set(id, key);
  });
  return found;
}
