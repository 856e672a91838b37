import type { KeyVault } from '../../crypto/key-vault.port';
import type { Clock } from '../../domain/clock';
import { comparePositions, type EventStore, type LogPosition } from '../../event-store';
import { parseLedgerEvent, subjectStreamName } from '../../domain/events/ledger-event';
import { evolveSubject } from '../../domain/subjects/evolve-subject';
import {
  initialSubjectState,
  recordIdOf,
  type SubjectState,
} from '../../domain/subjects/subject-state';
import type { ReadStore } from '../../projections/read-store.port';
import { retentionSchedule } from '../../policy/evaluate/retention-schedule';
import type { Policy } from '../../policy/policy';
import { buildSubjectExport } from './build-subject-export';
import type { ContentOpeners } from './content-openers';
import type { SqliteSubjectContent } from '../subject-content/sqlite-subject-content';
import { readStoredSubjectContent, readSubjectContent } from './subject-content';
import type { SubjectExport } from './subject-export.types';

export interface SubjectExportDependencies {
  readonly store: EventStore;
  readonly vault: KeyVault;
  readonly clock: Clock;
  /** The policy in force (the log's), else the configured one. */
  readonly policy: () => Promise<Policy>;
  /**
   * The retention-schedule projection's states: when its checkpoint covers the stream, its
   * stored state is the fold of the stream, and folding 10,000 events again was a quarter of
   * an export's CPU (bench/export.bench.ts). Absent: always fold.
   */
  readonly readStore?: ReadStore;
  /** Threads to open the sealed values on; absent: opened on the calling thread. */
  readonly openers?: ContentOpeners;
  /**
   * The subject-content read model: when its checkpoint covers the stream, the values come
   * from its chunks and tails (some 300 AES-GCM opens for 10,000 values, not 10,000). Absent
   * or behind: every sealed value of the stream is opened.
   */
  readonly content?: SqliteSubjectContent;
}

const PROJECTION = 'retention-schedule';

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
  const policy = await deps.policy();
  // The projection's checkpoint first, then its state, then the stream: a state read that
  // way holds no event the stream read misses (see stateOf).
  const checkpoint = deps.readStore && (await deps.readStore.checkpoint(PROJECTION));
  const stored = deps.readStore && (await deps.readStore.loadStates([pseudonym])).get(pseudonym);
  // Before the stream too, chunks and checkpoint together: if the checkpoint covers the
  // stream read after it, the chunks hold exactly the stream's values.
  const snapshot = deps.content?.snapshot(pseudonym);
  // As text: without a Buffer and a row object per event, 304 -> 265 ms of CPU per export
  // (10,000 events, bench/export.bench.ts).
  const stream = await deps.store.readStreamText(subjectStreamName(pseudonym));
  if (stream.lastPosition === undefined) return undefined;
  const state = stateOf(
    pseudonym,
    stream.payloads,
    stream.lastPosition,
    stored,
    checkpoint?.position,
  );
  const schedule = retentionSchedule(state, policy);
  const activeIds = schedule.records
    .filter((r) => r.phase === 'active')
    .map((r) => recordIdOf(r.recordKey, r.category));
  const chunksCoverStream =
    snapshot?.checkpoint !== undefined &&
    comparePositions(stream.lastPosition, snapshot.checkpoint) <= 0;
  const fromReadModel = chunksCoverStream
    ? await readStoredSubjectContent(deps.vault, pseudonym, snapshot, stream.payloads, activeIds)
    : undefined;
  const content =
    fromReadModel ??
    (await readSubjectContent(deps.vault, pseudonym, stream.payloads, activeIds, deps.openers));
  return buildSubjectExport({
    subjectId,
    now: deps.clock.now(),
    policy,
    state,
    schedule,
    content,
  });
}

/**
 * The stored state when the projection had taken every event of the stream when the state
 * was read; else the fold, each event parsed and dropped in turn (parsed again for the
 * content: the price of a lagging projection, not of every export). A state read after the
 * checkpoint may hold events past it, but those are in the stream (read last) past the
 * checkpoint too, and then we fold.
 */
function stateOf(
  pseudonym: string,
  payloads: readonly string[],
  last: LogPosition,
  stored: SubjectState | undefined,
  checkpoint: LogPosition | undefined,
): SubjectState {
  if (stored && checkpoint && comparePositions(last, checkpoint) <= 0) return stored;
  return payloads.reduce(
    (state, payload) => evolveSubject(state, parseLedgerEvent(payload)),
    initialSubjectState(pseudonym),
  );
}
