import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { protectEvents } from '../apps/api/publishing-events/protect-events';
import { availableParallelism } from 'node:os';
import { ContentOpeners } from '../libs/compliance/subject-export/content-openers';
import { CHUNK_ITEMS } from '../libs/compliance/subject-content/content-chunks';
import { SqliteSubjectContent } from '../libs/compliance/subject-content/sqlite-subject-content';
import { SubjectContentRunner } from '../libs/compliance/subject-content/subject-content-runner';
import { comparePositions, type LogPosition } from '../libs/event-store';
import {
  exportSubject,
  type SubjectExportDependencies,
} from '../libs/compliance/subject-export/export-subject';
import { parseMasterKey } from '../libs/crypto/master-key';
import { openSqliteKeyVault } from '../libs/crypto/sqlite-key-vault';
import { FixedClock } from '../libs/domain/clock';
import { encodeLedgerEvent, subjectStreamName } from '../libs/domain/events/ledger-event';
import type { PublishedEvent } from '../libs/domain/events/published-event';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import { PolicyBook } from '../libs/lifecycle/policy-book';
import { ensurePolicyVersionPublished } from '../libs/lifecycle/policy-versions';
import { loadPolicyFile } from '../libs/policy/load-policy';
import {
  ProjectionRunner,
  RetentionScheduleProjection,
  SqliteReadStore,
} from '../libs/projections';
import { figure, type Benchmark, type BenchmarkContext } from './benchmark';

const EVENTS = 10_000;
const RUNS = 200;
const WARM_UP = 5;
const SUBJECT = 'export-bench-subject';
const MASTER_KEY = Buffer.alloc(32, 5).toString('base64');
/** A year of history before it: every visit month is still active (statistics keeps 14 months). */
const FIRST = Date.parse('2024-06-01T00:00:00Z');
const NOW = '2025-06-01T00:00:00.000Z';
const STEP_MS = Math.floor((Date.parse(NOW) - FIRST) / EVENTS);

export const exportBench: Benchmark = {
  name: 'export',
  title: 'Export of one subject with 10,000 events (art. 15 / 20)',
  method:
    `Not timed: one member's history of ${EVENTS.toLocaleString('en')} events over a year ` +
    '(AccountCreated, then visits, activity and platform conversations in turn, each with ' +
    'personal data) published through protectEvents (real pseudonym and data keys in the SQLite ' +
    'vault, every value sealed with AES-256-GCM) into a SQLite log; then the two read models the ' +
    "ledger's worker keeps, built from it: the retention-schedule projection and the " +
    "subject-content one (each record's values sealed 32 to a chunk under its key, its last " +
    'ones, fewer than a chunk, kept as references to their events; its build time ' +
    'is reported). Timed: exportSubject as the ' +
    "route's handler calls it (pseudonym lookup, the subject's state and its content chunks from " +
    'the read models, the stream read and decoded (for the shared reports, and to check that the ' +
    'read models cover it), schedule under the policy read from the log, one vault lookup per ' +
    'live data key of an active record, the chunks of the active records opened and their ' +
    "tails' values opened from the stream read), " +
    `${RUNS} runs after ${WARM_UP} warm-up runs; p50, p99 and CPU per run. ` +
    'Target: p99 < 100 ms.',
  async run({ workDir, log }: BenchmarkContext) {
    const store = SqliteEventStore.open(join(workDir, 'events.db'));
    const vault = openSqliteKeyVault(join(workDir, 'vault.db'), parseMasterKey(MASTER_KEY));
    const readStore = SqliteReadStore.open(join(workDir, 'read-models.db'));
    const content = SqliteSubjectContent.open(join(workDir, 'subject-content.db'));
    const policy = loadPolicyFile();
    const clock = new FixedClock(new Date(NOW));
    const openers = new ContentOpeners(availableParallelism());
    try {
      await ensurePolicyVersionPublished(store, policy, readFileSync(policy.file, 'utf8'), clock);
      let t = Date.now();
      await publishHistory(store, vault);
      log(`published ${EVENTS} events in ${((Date.now() - t) / 1000).toFixed(1)} s`);

      // The projection the ledger runs beside the API: the export takes its state when current.
      const runner = new ProjectionRunner(
        store,
        readStore,
        new RetentionScheduleProjection(policy),
      );
      await runner.start();
      while (!runner.status().caughtUp) await new Promise((resolve) => setTimeout(resolve, 50));
      await runner.stop();

      // And the subject-content read model, as the ledger's worker keeps it: its cost per
      // event is what the export no longer pays.
      t = performance.now();
      const contentRunner = new SubjectContentRunner(store, vault, content);
      contentRunner.start();
      const head = (await store.readAll({ after: undefined, maxCount: EVENTS * 2 })).at(-1)!;
      while (!covers(content.checkpoint(), head.position)) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await contentRunner.stop();
      const contentMs = performance.now() - t;
      log(`subject-content read model built in ${contentMs.toFixed(0)} ms`);

      const book = new PolicyBook(store, clock);
      const deps: SubjectExportDependencies = {
        store,
        vault,
        clock,
        readStore,
        openers,
        content,
        policy: async () => (await book.inForce()) ?? policy,
      };
      const sample = await exportSubject(deps, SUBJECT);
      const values = sample?.records.reduce((n, r) => n + (r.personalData?.length ?? 0), 0) ?? 0;
      const valid = sample !== undefined && values === EVENTS + 1;
      log(`one export: ${sample?.records.length} records, ${values} values opened`);

      for (let i = 0; i < WARM_UP; i++) await exportSubject(deps, SUBJECT);
      const times: number[] = [];
      const cpu = process.cpuUsage();
      for (let i = 0; i < RUNS; i++) {
        t = performance.now();
        await exportSubject(deps, SUBJECT);
        times.push(performance.now() - t);
      }
      const used = process.cpuUsage(cpu);
      const cpuMs = (used.user + used.system) / 1000 / RUNS;
      times.sort((a, b) => a - b);
      const at = (q: number) =>
        Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 100) / 100;
      return {
        figures: [
          figure('export/subject-10k-p99', at(0.99), 'ms', { op: '<', value: 100, valid }),
          figure('export/subject-10k-p50', at(0.5), 'ms'),
        ],
        notes: [
          `${sample?.records.length} records, ${values.toLocaleString('en')} sealed values opened per export ` +
            `(${EVENTS.toLocaleString('en')} events + the account's second category).`,
          `The subject-content read model (values sealed ${CHUNK_ITEMS} to a chunk under their record's key, ` +
            'the rest as references) ' +
            `took ${contentMs.toFixed(0)} ms to build from the ${(EVENTS + 1).toLocaleString('en')} events ` +
            `(${Math.round((contentMs * 1000) / (EVENTS + 1))} us an event, on the worker in the ledger).`,
          `p50 ${at(0.5)} ms, p99 ${at(0.99)} ms, max ${at(1)} ms; ${cpuMs.toFixed(1)} ms of CPU per export ` +
            '(this process, its opening threads included; the SQLite reads run on its main thread).',
        ],
      };
    } finally {
      await openers.close();
      content.close();
      await readStore.close();
      await vault.close();
      await store.close();
    }
  },
};

function covers(checkpoint: LogPosition | undefined, position: LogPosition): boolean {
  return checkpoint !== undefined && comparePositions(checkpoint, position) >= 0;
}

async function publishHistory(
  store: SqliteEventStore,
  vault: ReturnType<typeof openSqliteKeyVault>,
): Promise<void> {
  const history = Array.from({ length: EVENTS }, (_, i) => historyEvent(i));
  for (let start = 0; start < EVENTS; start += 1000) {
    const batch = history.slice(start, start + 1000);
    const events = await protectEvents(vault, batch, {
      recordedAt: NOW,
      digests: batch.map(() => ''),
    });
    await store.appendToStream({
      streamName: subjectStreamName(events[0].subject!),
      expectedRevision: 'any',
      events: events.map((e) => ({ eventId: e.eventId, type: e.type, data: encodeLedgerEvent(e) })),
    });
  }
}

function historyEvent(i: number): PublishedEvent {
  const common = {
    eventId: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
    subjectId: SUBJECT,
    occurredAt: new Date(FIRST + i * STEP_MS).toISOString(),
    source: 'bench',
  };
  if (i === 0) {
    return {
      ...common,
      type: 'AccountCreated',
      data: { role: 'member' },
      personalData: {
        identification: { firstName: 'Ana', lastName: 'Martin', email: 'ana.martin@example.fr' },
        professional: { school: 'Lycée Victor Hugo', track: 'terminale' },
      },
    } as PublishedEvent;
  }
  switch (i % 3) {
    case 0:
      return {
        ...common,
        type: 'VisitRecorded',
        data: {},
        personalData: { navigation: { page: `/experts/${i % 97}`, agent: 'Mozilla/5.0 (X11)' } },
      } as PublishedEvent;
    case 1:
      return {
        ...common,
        type: 'LastActivity',
        data: {},
        personalData: { connection: { ip: `10.0.${i % 250}.${i % 200}`, referrer: '/home' } },
      } as PublishedEvent;
    default:
      return {
        ...common,
        type: 'ContactMade',
        data: { channel: 'platform', direction: 'outbound' },
        personalData: {
          conversations: { message: `Bonjour, pourriez-vous me parler du métier ${i}?` },
        },
      } as PublishedEvent;
  }
}
