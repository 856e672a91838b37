import type { KeyVault } from '../../crypto/key-vault.port';
import { parseLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import type { EventStore, RecordedEvent } from '../../event-store';
import { SubscriptionBuffer } from '../../projections/subscription-buffer';
import { foldContent } from './fold-content';
import type { SqliteSubjectContent } from './sqlite-subject-content';

export interface SubjectContentRunnerOptions {
  /** Most events applied per transaction (2,000). */
  readonly batchSize?: number;
  /** First pause before running again after a failure, doubled up to a minute. */
  readonly retryDelayMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Fault injection for tests: runs inside every transaction, after its writes. */
  readonly beforeCommit?: () => void;
}

/** Only events whose stored form holds sealed values are parsed (`"personalData":`). */
const PERSONAL_DATA = Buffer.from('"personalData":');

/**
 * Keeps the subject-content read model level with the log: a durable subscription from its
 * checkpoint, each batch's values opened with their records' live keys and appended to the
 * records' chunks, the chunks and the checkpoint committed together. A crash replays the
 * batch from the checkpoint, against the chunks as they were before it: nothing is appended
 * twice.
 */
export class SubjectContentRunner {
  private readonly batchSize: number;
  private buffer?: SubscriptionBuffer;
  private loop?: Promise<void>;
  private stopping = false;
  private retryTimer?: NodeJS.Timeout;
  private retryDelayMs: number;

  constructor(
    private readonly store: EventStore,
    private readonly vault: Pick<KeyVault, 'dataKey'>,
    private readonly content: SqliteSubjectContent,
    private readonly options: SubjectContentRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 2_000;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  start(): void {
    if (this.loop) return;
    this.stopping = false;
    const buffer = new SubscriptionBuffer(
      this.store.subscribeToAll({ after: this.content.checkpoint() }),
      this.batchSize,
    );
    this.buffer = buffer;
    this.loop = this.run(buffer).catch((error: unknown) => this.failed(error));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.retryTimer);
    await this.buffer?.close();
    await this.loop;
    this.buffer = undefined;
    this.loop = undefined;
  }

  /** Drops the read model and replays the whole log. */
  async rebuild(): Promise<void> {
    await this.stop();
    this.content.drop();
    this.start();
  }

  private async run(buffer: SubscriptionBuffer): Promise<void> {
    while (!this.stopping) {
      const { events } = await buffer.take(this.batchSize);
      if (this.stopping) return;
      if (events.length === 0) {
        await buffer.available();
        continue;
      }
      await this.apply(events);
      this.retryDelayMs = this.options.retryDelayMs ?? 1000;
    }
  }

  private async apply(events: readonly RecordedEvent[]): Promise<void> {
    const sealed: LedgerEventV1[] = [];
    for (const { data } of events) {
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (bytes.includes(PERSONAL_DATA)) sealed.push(parseLedgerEvent(bytes.toString('utf8')));
    }
    const keys = await this.liveKeys(sealed);
    const chunks = foldContent(sealed, {
      keys,
      lastChunk: (pseudonym, recordId) => this.content.lastChunk(pseudonym, recordId),
    });
    this.content.commit(chunks, events.at(-1)!.position, this.options.beforeCommit);
  }

  /** The keys of the batch's boxes, once each (the vault caches them); erased ones absent. */
  private async liveKeys(events: readonly LedgerEventV1[]): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    const wanted = new Set(events.flatMap((e) => (e.personalData ?? []).map((b) => b.keyId)));
    for (const keyId of wanted) {
      const key = await this.vault.dataKey(keyId);
      if (key !== undefined) keys.set(keyId, key);
    }
    return keys;
  }

  private async failed(error: unknown): Promise<void> {
    this.options.onError?.(error);
    await this.buffer?.close().catch(() => undefined);
    this.buffer = undefined;
    this.loop = undefined;
    if (this.stopping) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(delay * 2, 60_000);
    this.retryTimer = setTimeout(() => this.start(), delay);
    this.retryTimer.unref();
  }
}
