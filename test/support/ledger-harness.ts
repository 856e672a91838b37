import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FixedClock } from '../../libs/domain/clock';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../libs/event-store';
import { readConfig } from '../../src/config/ledger-config';
import { createApp } from '../../src/create-app';

export const KEYS = {
  publisher: 'publisher-key-0123456789',
  compliance: 'compliance-key-0123456789',
  auditor: 'auditor-key-0123456789abc',
  admin: 'admin-key-0123456789abcdef',
} as const;
export const MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
/** The checkpoint signing key of every test ledger: base64 of a fixed Ed25519 seed. */
export const AUDIT_SIGNING_KEY = Buffer.alloc(32, 11).toString('base64');

export interface Ledger {
  readonly url: string;
  readonly dataDir: string;
  readonly clock: FixedClock;
  readonly app: NestFastifyApplication;
  /** Everything the ledger logged, as written. */
  readonly logs: string[];
  request(
    method: string,
    path: string,
    options?: { key?: string; body?: unknown; rawBody?: string },
  ): Promise<{ status: number; body: any }>;
  readLog(): Promise<RecordedEvent[]>;
  close(): Promise<void>;
}

/** A real ledger over real HTTP on a free port, with its own data folder. */
export async function startLedger(
  options: {
    env?: Record<string, string>;
    now?: string;
    dataDir?: string;
    /** More `role=key` entries of LEDGER_API_KEYS (a `system:<id>` key). */
    moreApiKeys?: string;
  } = {},
): Promise<Ledger> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ledger-e2e-'));
  const config = readConfig({
    LEDGER_DATA_DIR: dataDir,
    PORT: '0',
    LEDGER_AUDIT_SIGNING_KEY: AUDIT_SIGNING_KEY,
    ...options.env,
  });
  const apiKeys = [
    ...Object.entries(KEYS).map(([role, key]) => `${role}=${key}`),
    ...(options.moreApiKeys ? [options.moreApiKeys] : []),
  ].join(',');
  const clock = new FixedClock(new Date(options.now ?? '2024-06-01T12:00:00Z'));
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const app = await createApp({
    config,
    secrets: { apiKeys, masterKey: MASTER_KEY },
    clock,
    logDestination,
  });
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();

  return {
    url,
    dataDir,
    clock,
    app,
    logs,
    async request(method, path, { key, body, rawBody } = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined || rawBody !== undefined
            ? { 'content-type': 'application/json' }
            : {}),
        },
        body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    async readLog() {
      const store = app.get<EventStore>(EVENT_STORE);
      const all: RecordedEvent[] = [];
      for (;;) {
        const batch = await store.readAll({ after: all.at(-1)?.position, maxCount: 1000 });
        // What publishers sent: the subjects' streams, not the ledger's own facts.
        if (batch.length === 0) return all.filter((e) => e.streamName.startsWith('subject-'));
        all.push(...batch);
      }
    },
    async close() {
      await app.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
