import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseMasterKey } from '../libs/crypto/master-key';
import { openPersonalData } from '../libs/crypto/personal-data/seal-personal-data';
import { openSqliteKeyVault } from '../libs/crypto/sqlite-key-vault';
import { decodeLedgerEvent, subjectStreamName } from '../libs/domain/events/ledger-event';
import type { RecordedEvent } from '../libs/event-store';
import { formatPosition } from '../libs/event-store/log-position';
import { SqliteEventStore } from '../libs/event-store/sqlite/sqlite-event-store';
import { KEYS, MASTER_KEY } from './support/ledger-harness';
import { startLedgerProcess, type LedgerProcess } from './support/ledger-process';
import { SqliteAuditTree } from '../libs/audit/tree-store/sqlite-audit-tree';
import { leafHash, rootAt } from '../libs/audit/merkle';
import { naiveRoot } from '../libs/audit/merkle/testing/naive-tree';
import {
  SHARED_SUBJECTS,
  answeredPositions,
  post,
  publishUntilStopped,
  type Envelope,
  type Sent,
} from './support/publishing-clients';
import { killAllChildren } from './support/typescript-process';
import { integrityOf } from './support/sqlite-integrity';

/*
 * Issue 2, reliability: the ledger is killed (SIGKILL, no shutdown hook runs) while eight
 * publishers keep it busy. What it acknowledged must survive, once; what it did not answer
 * may be published again; nothing in its files may be half-written.
 */

const CLIENTS = 8;
/** Kills under load; the ledger restarts on the same folder after each. */
const CRASHES = 2;
const MIN_LOAD_MS = 1_500;
/** Added at random to the load, so that the kill lands at a different moment each run. */
const LOAD_JITTER_MS = 500;
const MIN_ACKNOWLEDGED_EVENTS = 40;
const MAX_LOAD_MS = 20_000;

/** Every stream: the subjects' and the ledger's own facts (a signed checkpoint, ...). */
async function readWholeLog(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for (;;) {
    const batch = await store.readAll({ after: all.at(-1)?.position, maxCount: 1_000 });
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/** What the publishers sent: the subjects' streams. */
function subjectEventsOf(log: RecordedEvent[]): RecordedEvent[] {
  return log.filter((e) => e.streamName.startsWith('subject-'));
}

/** The log through the adapter, over a read-only connection: the ledger may be running. */
async function readLogReadOnly(file: string): Promise<RecordedEvent[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return subjectEventsOf(await readWholeLog(new SqliteEventStore(db)));
  } finally {
    // Not store.close(): it would drain the writer, and this connection cannot write.
    db.close();
  }
}

describe('kill -9 of the ledger while 8 clients publish', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-crash-'));
  const sent: Sent[] = [];
  /** Event id -> position, from the first 2xx or from the republication after the crash. */
  const positions = new Map<string, string>();
  let ledger: LedgerProcess | undefined;

  const requestsThat = (outcome: Sent['outcome']) => sent.filter((s) => s.outcome === outcome);

  /** Eight publishers until the ledger is killed; resolves once it is gone. */
  async function loadThenKill(running: LedgerProcess, cycle: number): Promise<void> {
    let stop = false;
    const startedAt = Date.now();
    const loadMs = MIN_LOAD_MS + Math.random() * LOAD_JITTER_MS;
    const acknowledgedBefore = acknowledgedEvents();
    const loops = Array.from({ length: CLIENTS }, (_, client) =>
      publishUntilStopped(running.url, cycle, client, () => stop, sent),
    );
    const elapsed = () => Date.now() - startedAt;
    while (
      elapsed() < loadMs ||
      (acknowledgedEvents() - acknowledgedBefore < MIN_ACKNOWLEDGED_EVENTS &&
        elapsed() < MAX_LOAD_MS)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Every client has a request in flight now; none starts another after the kill.
    stop = true;
    const killed = await running.stop('SIGKILL');
    await Promise.all(loops);
    expect(killed.signal).toBe('SIGKILL');
  }

  const acknowledgedEvents = () =>
    requestsThat('acknowledged').reduce((n, s) => n + s.events.length, 0);

  beforeAll(async () => {
    const startedAt = Date.now();
    for (let cycle = 0; cycle < CRASHES; cycle++) {
      // From the second cycle on, this start is a restart on what a kill left.
      ledger = await startLedgerProcess({ dataDir });
      await loadThenKill(ledger, cycle);
    }
    ledger = await startLedgerProcess({ dataDir });
    for (const request of requestsThat('acknowledged')) {
      for (const [eventId, position] of answeredPositions(request.events, request.answer)) {
        positions.set(eventId, position);
      }
    }
    if (process.env.LEDGER_TEST_REPORT) {
      process.stderr.write(
        `crash-recovery: ${CRASHES} kills, ${requestsThat('acknowledged').length} requests acknowledged ` +
          `(${acknowledgedEvents()} events), ${requestsThat('unanswered').length} unanswered ` +
          `(${requestsThat('unanswered')
            .map((s) => s.error)
            .join(', ')}), ${requestsThat('refused').length} refused, ` +
          `${Date.now() - startedAt} ms\n`,
      );
    }
  }, 90_000);

  afterAll(async () => {
    await killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('answered with a 2xx or not at all under load, before each kill and after each restart', () => {
    const refused = requestsThat('refused').map((s) => ({ status: s.status, answer: s.answer }));
    expect(refused).toEqual([]);
    const acknowledgedByCycle = Array.from(
      { length: CRASHES },
      (_, cycle) => requestsThat('acknowledged').filter((s) => s.cycle === cycle).length,
    );
    expect(acknowledgedByCycle.filter((n) => n === 0)).toEqual([]);
  });

  it('kept every acknowledged event once, at the position answered (read before any replay)', async () => {
    // Read while the restarted ledger runs, so nothing published after the crash can hide a
    // loss; read-only, through the adapter.
    const log = await readLogReadOnly(join(dataDir, 'events.db'));
    const stored = new Map<string, string[]>();
    for (const event of log) {
      stored.set(event.eventId, [
        ...(stored.get(event.eventId) ?? []),
        formatPosition(event.position),
      ]);
    }
    const wrong = [...positions].flatMap(([eventId, position]) => {
      const at = stored.get(eventId) ?? [];
      return at.length === 1 && at[0] === position
        ? []
        : [`${eventId}: answered at ${position}, stored at [${at.join(', ')}]`];
    });
    expect(wrong).toEqual([]);
    expect([...stored].filter(([, at]) => at.length !== 1)).toEqual([]);
  });

  it('answers a replay of acknowledged events as the first time: 201, duplicate, same position', async () => {
    // The last ones answered before each kill, single events and batches.
    const replayed = Array.from({ length: CRASHES }, (_, cycle) => {
      const acknowledged = requestsThat('acknowledged').filter((s) => s.cycle === cycle);
      return [
        ...acknowledged.filter((s) => s.events.length === 1).slice(-2),
        ...acknowledged.filter((s) => s.events.length > 1).slice(-2),
      ];
    }).flat();
    expect(replayed.some((s) => s.events.length > 1)).toBe(true);

    for (const request of replayed) {
      const again = await post(ledger!.url, request.body);
      const expected =
        request.events.length === 1
          ? { ...request.answer, duplicate: true }
          : {
              events: request.answer.events.map((e: object) => ({ ...e, duplicate: true })),
              duplicate: true,
            };
      expect(again).toEqual({ status: 201, answer: expected });
    }
  });

  it('accepts again every request that got no answer (201, duplicate or not)', async () => {
    let storedBeforeTheCrash = 0;
    for (const request of requestsThat('unanswered')) {
      const again = await post(ledger!.url, request.body);
      expect(again.status).toBe(201);
      const answered = answeredPositions(request.events, again.answer);
      expect([...answered.keys()]).toEqual(request.events.map((e) => e.eventId));
      for (const [eventId, position] of answered) positions.set(eventId, position);
      if (again.answer.duplicate) storedBeforeTheCrash++;
    }
    if (process.env.LEDGER_TEST_REPORT) {
      process.stderr.write(
        `crash-recovery: ${storedBeforeTheCrash} of the unanswered requests were stored before the kill\n`,
      );
    }
  });

  describe('its files, once it stopped', () => {
    /** The subjects' events: what the publishers sent. */
    let log: RecordedEvent[];
    /**
     * Every event, the ledger's own included: the audit tree has a leaf for each. The
     * checkpoint signed just before the stop is one of them, and the tree may have taken it
     * in before the stop (CI once saw a tree one leaf longer than the subjects' events).
     */
    let wholeLog: RecordedEvent[];
    const sentById = new Map<string, Envelope>();

    beforeAll(async () => {
      for (const s of sent) for (const event of s.events) sentById.set(event.eventId, event);
      // The audit tree (on the worker thread) went through the same kills: let it take what
      // the log holds and sign it, so that its file is checked below at full size.
      await signCheckpointAfterRestart(ledger!.url);
      // A clean stop: the files are then read with the ledger's own adapters, alone.
      const stopped = await ledger!.stop('SIGTERM');
      expect(stopped.timedOut).toBe(false);
      const store = SqliteEventStore.open(join(dataDir, 'events.db'));
      try {
        wholeLog = await readWholeLog(store);
        log = subjectEventsOf(wholeLog);
      } finally {
        await store.close();
      }
    }, 90_000);

    it('hold an audit tree that, killed mid-work, has each event once, in order, with the right hashes', () => {
      const tree = SqliteAuditTree.open(join(dataDir, 'audit-tree.db'));
      try {
        const size = Number(tree.size());
        expect(size).toBeGreaterThan(0);
        expect(size).toBeLessThanOrEqual(wholeLog.length);
        const misplaced = wholeLog
          .slice(0, size)
          .filter(
            (event, i) =>
              formatPosition(tree.positionOfLeaf(BigInt(i))!) !== formatPosition(event.position),
          );
        expect(misplaced).toEqual([]);
        expect(rootAt(tree, BigInt(size))).toEqual(
          naiveRoot(wholeLog.slice(0, size).map((event) => leafHash(event.data))),
        );
      } finally {
        tree.close();
      }
    });

    it('pass integrity_check, the log and the vault', () => {
      expect(integrityOf(join(dataDir, 'events.db'))).toBe('ok');
      expect(integrityOf(join(dataDir, 'vault.db'))).toBe('ok');
    });

    it('hold every event that was answered, exactly once, at the position answered, and nothing else', () => {
      const counts = new Map<string, number>();
      for (const event of log) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);

      const wrong = [...positions].flatMap(([eventId, position]) => {
        const stored = log.filter((e) => e.eventId === eventId);
        if (stored.length !== 1) return [`${eventId}: stored ${stored.length} times`];
        const at = formatPosition(stored[0].position);
        return at === position ? [] : [`${eventId}: answered at ${position}, stored at ${at}`];
      });
      expect(wrong).toEqual([]);
      expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
      // Acknowledged + republished are every event sent: nothing unknown, nothing missing.
      expect(new Set(counts.keys())).toEqual(new Set(sentById.keys()));
      expect(positions.size).toBe(sentById.size);
    });

    it('numbers each stream 0, 1, 2... without a gap', () => {
      const revisions = new Map<string, bigint[]>();
      for (const event of log) {
        revisions.set(event.streamName, [
          ...(revisions.get(event.streamName) ?? []),
          event.revision,
        ]);
      }
      const gaps = [...revisions].filter(([, r]) =>
        r.some((revision, i) => revision !== BigInt(i)),
      );
      expect(gaps).toEqual([]);
      // 3 shared subjects and 4 of each client's own, some of which may not have been used.
      expect(revisions.size).toBeGreaterThanOrEqual(SHARED_SUBJECTS.length);
    });

    it('left nothing half-written: every event decodes, its subject resolves, every sealed box opens', async () => {
      const vault = openSqliteKeyVault(join(dataDir, 'vault.db'), parseMasterKey(MASTER_KEY));
      const problems: string[] = [];
      try {
        for (const recorded of log) {
          const id = recorded.eventId;
          const published = sentById.get(id);
          if (published === undefined) {
            problems.push(`${id}: stored but never sent`);
            continue;
          }
          let event;
          try {
            event = decodeLedgerEvent(recorded.data);
          } catch (error) {
            problems.push(`${id}: does not decode (${(error as Error).message})`);
            continue;
          }
          if (event.eventId !== id || event.type !== recorded.type) {
            problems.push(`${id}: stored bytes name ${event.eventId} ${event.type}`);
          }
          if (recorded.streamName !== subjectStreamName(event.subject!)) {
            problems.push(`${id}: in stream ${recorded.streamName}, subject ${event.subject}`);
          }
          if ((await vault.subjectIdOf(event.subject!)) !== published.subjectId) {
            problems.push(`${id}: its subject pseudonym does not resolve to the subject sent`);
          }
          const counterpart = event.data.counterpart;
          if (
            typeof counterpart === 'string' &&
            (await vault.subjectIdOf(counterpart)) !== published.data.counterpartId
          ) {
            problems.push(`${id}: its counterpart pseudonym does not resolve`);
          }
          const boxes = event.personalData ?? [];
          const categories = boxes.map((box) => box.category).sort();
          if (categories.join() !== Object.keys(published.personalData).sort().join()) {
            problems.push(`${id}: sealed categories ${categories.join()}`);
          }
          for (const box of boxes) {
            const key = await vault.dataKey(box.keyId);
            if (key === undefined) {
              problems.push(`${id}: the key of its ${box.category} box is not in the vault`);
              continue;
            }
            let values: unknown;
            try {
              values = openPersonalData(id, box, key);
            } catch (error) {
              problems.push(`${id}: its ${box.category} box does not open (${String(error)})`);
              continue;
            }
            if (!isDeepStrictEqual(values, published.personalData[box.category])) {
              problems.push(`${id}: its ${box.category} box holds other values than were sent`);
            }
          }
        }
      } finally {
        await vault.close();
      }
      expect(problems).toEqual([]);
      expect(log.length).toBeGreaterThan(0);
    });
  });
});

/** POST /v1/audit/checkpoint until the tree caught up with the log (503 until then). */
async function signCheckpointAfterRestart(url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const response = await fetch(`${url}/v1/audit/checkpoint`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.admin}` },
    });
    if (response.status === 201) return;
    if (response.status !== 503 || Date.now() > deadline) {
      throw new Error(`signing a checkpoint after the kills answered ${response.status}`);
    }
  }
}
