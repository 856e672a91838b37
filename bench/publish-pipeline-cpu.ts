import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { protectEvents } from '../apps/api/publishing-events/protect-events';
import { requestDigest } from '../apps/api/publishing-events/request-digest';
import { validatePublishBody } from '../apps/api/publishing-events/validate-publish-body';
import { parseMasterKey } from '../libs/crypto/master-key';
import { openSqliteKeyVault } from '../libs/crypto/sqlite-key-vault';
import type { PublishedEvent } from '../libs/domain/events';
import { encodeLedgerEvent, subjectStreamName } from '../libs/domain/events/ledger-event';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import { migrateEventLog } from '../libs/event-store/sqlite/sqlite-schema';
import { openDatabase } from '../libs/sqlite/open-database';
import { loadPolicyFile } from '../libs/policy';
import { primeVault } from './support/prime-vault';
import { publishBody } from './support/sample-events';

/**
 * The main thread's CPU per published event on `POST /v1/events`, stage by stage, without
 * HTTP, the framework or the writer thread: what the request pipeline itself costs. The
 * machine is shared, so it reports process CPU time (`process.cpuUsage`: this thread and the
 * GC helpers), not wall time. Not one of `npm run bench`'s figures: a tool to compare a
 * change with what came before it, run back to back.
 *
 *   npm run build && node dist/bench/publish-pipeline-cpu.js [batches] [rounds]
 */
const SUBJECTS = 10_000;
const BATCH = 100;
const ROWS_ALREADY_LOGGED = 100_000;
const STAGES = ['parse', 'validate', 'digest', 'dedup', 'protect', 'encode'] as const;
type Stage = (typeof STAGES)[number];

async function main() {
  const batches = Number(process.argv[2] ?? 400);
  const rounds = Number(process.argv[3] ?? 5);
  const dir = mkdtempSync(join(tmpdir(), 'pipeline-cpu-'));
  try {
    const masterKey = randomBytes(32).toString('base64');
    await primeVault(dir, masterKey, SUBJECTS);
    const vault = openSqliteKeyVault(join(dir, 'vault.db'), parseMasterKey(masterKey));
    const store = SqliteEventStore.open(fillEventLog(join(dir, 'events.db')));
    const digestKey = randomBytes(32);
    const context = {
      now: new Date(),
      knownCategories: new Set(Object.keys(loadPolicyFile().categories)),
      maxBatchSize: 1000,
      maxClockSkewMs: 5 * 60_000,
    };

    const runBatch = async (body: string, spent: Record<Stage, number>) => {
      let mark = cpuNow();
      const lap = (stage: Stage) => {
        const now = cpuNow();
        spent[stage] += now - mark;
        mark = now;
      };
      const parsed: unknown = JSON.parse(body);
      lap('parse');
      const validation = validatePublishBody(parsed, context);
      if (!validation.ok) throw new Error(validation.problems.join('\n'));
      lap('validate');
      const events: readonly PublishedEvent[] = validation.events;
      const digests = events.map((event) => requestDigest(digestKey, event));
      lap('digest');
      const stored = await store.findByEventIds(events.map((event) => event.eventId));
      if (stored.size !== 0) throw new Error('fresh event ids were found in the log');
      lap('dedup');
      const sealed = await protectEvents(vault, events, {
        recordedAt: new Date().toISOString(),
        digests,
      });
      lap('protect');
      const encoded = sealed.map((event) => ({
        streamName: subjectStreamName(event.subject!),
        data: encodeLedgerEvent(event),
      }));
      if (encoded.length !== events.length) throw new Error('an event was lost');
      lap('encode');
    };

    // Warm-up: every key read and unwrapped into the vault's caches, the JIT settled.
    for (let i = 0; i < SUBJECTS / 10; i++) await runBatch(publishBody(BATCH, SUBJECTS), zero());

    const perRound: Array<Record<Stage, number>> = [];
    for (let round = 0; round < rounds; round++) {
      const bodies = Array.from({ length: batches }, () => publishBody(BATCH, SUBJECTS));
      const spent = zero();
      for (const body of bodies) await runBatch(body, spent);
      perRound.push(spent);
    }
    report(perRound, batches * BATCH);
    await vault.close();
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

function zero(): Record<Stage, number> {
  return Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
}

/** An event log that already holds rows, so the dedup lookup walks a real index. */
function fillEventLog(file: string): string {
  const db = openDatabase(file);
  migrateEventLog(db);
  const insert = db.prepare(
    'INSERT INTO events (stream_name, revision, event_id, type, data) VALUES (?, ?, ?, ?, ?)',
  );
  const data = Buffer.alloc(900, 120);
  db.transaction(() => {
    for (let i = 0; i < ROWS_ALREADY_LOGGED; i++) {
      insert.run(`subject-${randomUUID()}`, 0, randomUUID(), 'ContactMade', data);
    }
  })();
  db.close();
  return file;
}

/** Median over rounds, per stage, in µs per event. */
function report(rounds: ReadonlyArray<Record<Stage, number>>, eventsPerRound: number) {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1];
  const lines = STAGES.map((stage) => {
    const perEvent = rounds.map((r) => r[stage] / eventsPerRound);
    return `${stage.padEnd(9)} ${median(perEvent).toFixed(1).padStart(7)} µs/event  (rounds: ${perEvent.map((v) => v.toFixed(1)).join(' ')})`;
  });
  const totals = rounds.map((r) => STAGES.reduce((sum, s) => sum + r[s], 0) / eventsPerRound);
  lines.push(
    `${'total'.padEnd(9)} ${median(totals).toFixed(1).padStart(7)} µs/event  (rounds: ${totals.map((v) => v.toFixed(1)).join(' ')})`,
  );
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
