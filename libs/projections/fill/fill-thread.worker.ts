import { parentPort, workerData } from 'node:worker_threads';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store';
import { openDatabase } from '../../sqlite/open-database';
import type { EncodedSubjectWrite } from '../read-store.port';
import { RetentionScheduleProjection } from '../retention-schedule/retention-schedule.projection';
import { encodeSubjectWrite } from '../sqlite/sqlite-read-store';
import type { FillThreadJob, FillThreadMessage } from './fill-threads';
import { subjectStates } from './subject-streams';

/**
 * A fill thread: the subject streams of one range folded, each subject's schedule computed,
 * sent back in chunks to the thread that writes them. At most `WINDOW` chunks are out
 * unacknowledged, so a writer slower than the folding does not pile them up in memory.
 */
const WINDOW = 2;
/** The most of the log mapped (address space; its pages are the OS file cache), SQLite caps it at about 2 GB. */
const FILL_MMAP_MB = 2_048;

const job = workerData as FillThreadJob;
let credits = WINDOW;
let wake: (() => void) | undefined;
parentPort!.on('message', () => {
  credits += 1;
  wake?.();
});

async function send(message: FillThreadMessage): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits -= 1;
  parentPort!.postMessage(message);
}

async function fillRange(): Promise<void> {
  // Its own connection, reading only: no writer thread is started without an append. Mapped:
  // a range's events are read by stream, all over the file, and through the map SQLite reads
  // them without a copy per page (1M events: 4.3 s against 5.6, measured). The map goes
  // with the thread at the end of the fill.
  const store = new SqliteEventStore(openDatabase(job.file, { mmapMb: FILL_MMAP_MB }));
  const projection = new RetentionScheduleProjection(job.policy);
  let writes: EncodedSubjectWrite[] = [];
  for await (const state of subjectStates(store, projection, job)) {
    // Encoded here: texts cross to the writing thread for a copy, where objects had to be
    // rebuilt there (that thread spent more time taking them in than writing them, measured).
    writes.push(encodeSubjectWrite(state, projection.readModel(state)));
    if (writes.length < job.chunkSize) continue;
    await send({ writes });
    writes = [];
  }
  if (writes.length > 0) await send({ writes });
  await store.close();
  parentPort!.postMessage({ done: true } satisfies FillThreadMessage);
}

void fillRange();
