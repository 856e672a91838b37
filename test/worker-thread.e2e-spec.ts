import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { KEYS } from './support/ledger-harness';
import { startLedgerProcess, type LedgerProcess } from './support/ledger-process';
import { killAllChildren } from './support/typescript-process';

/**
 * src/main.ts on the embedded store: the API on the main thread, the projections on a
 * worker thread over the same files. A schedule read waits for the thread's checkpoint.
 */
describe('the all-in-one process with its projection thread', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ledger-thread-'));
  let ledger: LedgerProcess;

  beforeAll(async () => {
    ledger = await startLedgerProcess({ dataDir });
    // The HTTP side listens before the thread has started its Nest application (seconds on a
    // loaded machine): ready once the thread committed its first event, the policy version.
    const deadline = Date.now() + 45_000;
    for (;;) {
      const health = (await (await fetch(`${ledger.url}/health`)).json()) as {
        projections: Record<string, { checkpoint: string | null }>;
      };
      if (health.projections['retention-schedule'].checkpoint !== null) break;
      if (Date.now() > deadline) throw new Error('the projection thread did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);
  afterAll(async () => {
    await killAllChildren();
    rmSync(dataDir, { recursive: true, force: true });
  }, 30_000);

  it('runs the projection thread at a lower CPU priority than the thread that answers', () => {
    const pid = ledger.child.pid!;
    // Field 19 of /proc/<pid>/task/<tid>/stat; the 17th after the command name's ") ".
    const niceness = (tid: string | number) =>
      Number(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]);
    // The child started at this process's niceness: its main thread keeps it, the worker's is 10.
    const launched = getPriority();
    expect(niceness(pid)).toBe(launched);
    expect(readdirSync(`/proc/${pid}/task`).map(niceness)).toContain(Math.max(launched, 10));
  });

  it('serves the schedule of what was just published, and reports the projection caught up', async () => {
    const headers = (key: string) => ({
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
    });
    const published = await fetch(`${ledger.url}/v1/events`, {
      method: 'POST',
      headers: headers(KEYS.publisher),
      body: JSON.stringify({
        eventId: randomUUID(),
        type: 'AccountCreated',
        subjectId: 'thread-user',
        occurredAt: '2024-03-01T10:00:00Z',
        source: 'test',
        data: { role: 'member' },
        personalData: { identification: { email: 'thread@example.org' } },
      }),
    });
    expect(published.status).toBe(201);

    const schedule = await fetch(`${ledger.url}/v1/subjects/thread-user/retention`, {
      headers: headers(KEYS.compliance),
    });
    expect(schedule.status).toBe(200);
    const body = (await schedule.json()) as {
      records: Array<{
        recordKey: string;
        purposes: Array<{ purpose: string; activeUntil: string }>;
      }>;
    };
    const access = body.records[0].purposes.find((p) => p.purpose === 'platform-access');
    expect(access?.activeUntil).toBe('2026-03-01T10:00:00.000Z');

    const health = (await (await fetch(`${ledger.url}/health`)).json()) as {
      projections: Record<string, { caughtUp: boolean }>;
    };
    expect(health.projections['retention-schedule'].caughtUp).toBe(true);

    // The thread also takes the value into the subject-content read model (in its record's
    // tail until a chunk fills), which the API's thread reads for the export from its own
    // connection to the file.
    const contentFile = new Database(join(dataDir, 'subject-content.db'), { readonly: true });
    const items = () =>
      (
        contentFile
          .prepare(
            `SELECT (SELECT total(items) FROM content_chunks) +
                    (SELECT count(*) FROM content_tail) AS n`,
          )
          .get() as { n: number }
      ).n;
    try {
      for (let i = 0; i < 300 && items() < 1; i++) await new Promise((r) => setTimeout(r, 50));
      expect(items()).toBe(1);
    } finally {
      contentFile.close();
    }
    const exported = await fetch(`${ledger.url}/v1/subjects/thread-user/export`, {
      headers: headers(KEYS.compliance),
    });
    expect(exported.status).toBe(200);
    const records = ((await exported.json()) as { records: Array<{ personalData?: unknown }> })
      .records;
    expect(records.flatMap((r) => r.personalData ?? [])).toEqual([
      expect.objectContaining({ values: { email: 'thread@example.org' } }),
    ]);
  }, 30_000);
  it('fills read models deleted while it was down from the log, on its fill threads, and serves them', async () => {
    const headers = { authorization: `Bearer ${KEYS.compliance}` };
    const scheduleOf = async (subjectId: string) => {
      const response = await fetch(`${ledger.url}/v1/subjects/${subjectId}/retention`, { headers });
      expect(response.status).toBe(200);
      return response.json();
    };
    const before = await scheduleOf('thread-user');

    await ledger.stop('SIGTERM');
    for (const suffix of ['', '-wal', '-shm']) {
      rmSync(join(dataDir, `read-models.db${suffix}`), { force: true });
    }
    ledger = await startLedgerProcess({ dataDir });
    expect(await scheduleOf('thread-user')).toEqual(before);
    expect(ledger.output()).not.toContain('the projection failed');
    const file = new Database(join(dataDir, 'read-models.db'), { readonly: true });
    try {
      const index =
        "SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'deadlines_by_due'";
      expect(file.prepare(index).get()).toBeDefined();
    } finally {
      file.close();
    }
  }, 60_000);
});
