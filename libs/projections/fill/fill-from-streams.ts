import { setImmediate as nextTurn } from 'node:timers/promises';
import type { SubjectState } from '../../domain/subjects/subject-state';
import type { EventStore, LogPosition } from '../../event-store';
import type { EncodedSubjectWrite, SubjectWrite } from '../read-store.port';
import type { RetentionScheduleProjection } from '../retention-schedule/retention-schedule.projection';
import type { FillThreads } from './fill-threads';
import { subjectStates } from './subject-streams';

/** One commit of a fill: subjects to encode and write, or already encoded. */
export interface FillChunk {
  readonly subjects: SubjectWrite[];
  readonly encoded?: EncodedSubjectWrite[];
}

export interface FillFromStreams {
  readonly store: EventStore;
  readonly projection: RetentionScheduleProjection;
  /** Folding on other threads; absent: on this one. */
  readonly threads?: FillThreads;
  readonly batchSize: number;
  /** Subjects per commit. */
  readonly chunkSize: number;
  readonly stopped: () => boolean;
  /** Writes a chunk in one transaction; the last one with the checkpoint. */
  readonly commit: (chunk: FillChunk, checkpoint?: LogPosition) => Promise<void>;
}

/**
 * Fills empty read models one subject at a time, from the log as it stands: each subject
 * stream read whole (up to the log's head when the fill began), folded, its schedule
 * computed and written once, in key order; the last commit carries the head as checkpoint,
 * and the runner's subscription goes on from there. Folding the global log instead holds
 * every subject's state until the end, or writes and reads states back many times under a
 * memory bound (1M events about 100,000 subjects, the ledger worker's bound: 9,500 events/s;
 * this way 36,000 on one thread, 58,000-62,000 with fill threads on 2 cores, measured). A
 * crash before the end leaves no checkpoint: the next start fills again (upserts: what was
 * written is written over).
 *
 * The head filled up to; undefined when the store cannot read stream by stream
 * (EventStoreDB), the log is empty, or the fill was stopped.
 */
export async function fillFromStreams(fill: FillFromStreams): Promise<LogPosition | undefined> {
  const { store, projection, threads, stopped } = fill;
  if (!store.readStreamsByName || !store.headPosition) return undefined;
  const head = await store.headPosition();
  if (head === undefined) return undefined;
  if (threads) {
    // Stopped, the next chunk is refused: the fill ends with it, and its threads with the fill.
    const write = (encoded: EncodedSubjectWrite[]) =>
      stopped()
        ? Promise.reject(new Error('the fill was stopped'))
        : fill.commit({ subjects: [], encoded });
    try {
      await threads.fill(projection, head, write, fill);
    } catch (error) {
      if (stopped()) return undefined;
      throw error;
    }
  } else {
    const byName = { readStreamsByName: store.readStreamsByName.bind(store) };
    let subjects: SubjectWrite[] = [];
    const read = { upTo: head, batchSize: fill.batchSize };
    for await (const state of subjectStates(byName, projection, read)) {
      if (stopped()) return undefined;
      subjects.push(subjectWrite(projection, state));
      if (subjects.length < fill.chunkSize) continue;
      await fill.commit({ subjects });
      subjects = [];
      // Let HTTP requests in between chunks: the API may share this process.
      await nextTurn();
    }
    if (subjects.length > 0) await fill.commit({ subjects });
  }
  if (stopped()) return undefined;
  await fill.commit({ subjects: [] }, head);
  return head;
}

function subjectWrite(projection: RetentionScheduleProjection, state: SubjectState): SubjectWrite {
  return { pseudonym: state.subject, state, readModel: projection.readModel(state) };
}
