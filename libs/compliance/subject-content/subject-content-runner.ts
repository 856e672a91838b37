import type { KeyVault } from '../../crypto/key-vault.port';
import { parseLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import type { RecordErasedData } from '../../domain/events/ledger-written-events';
import { recordIdOf } from '../../domain/subjects/subject-state';
import type { EventStore, RecordedEvent } from '../../event-store';
import { LogFollower } from '../../projections/log-follower';
import { foldContent } from './fold-content';
import type { ErasedRecord, SqliteSubjectContent } from './sqlite-subject-content';

export interface SubjectContentRunnerOptions {
  /**
   * Most events applied per transaction (250): each of its records has its last chunk opened
   * and sealed again, all held until the commit. Measured (memory-rss, most events of
   * different records): with 2,000, RSS 368 MB after 1M events and the retention projection
   * not caught up 180 s after the load (the batches held this thread longer); with 250,
   * 357 MB and caught up after 119 s.
   */
  readonly batchSize?: number;
  /** First pause before running again after a failure, doubled up to a minute. */
  readonly retryDelayMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Fault injection for tests: runs inside every transaction, after its writes. */
  readonly beforeCommit?: () => void;
}

/** Only events whose stored form holds sealed values, or may be an erasure, are parsed. */
const PERSONAL_DATA = Buffer.from('"personalData":');
const RECORD_ERASED = Buffer.from('RecordErased');

/**
 * Keeps the subject-content read model level with the log: a durable subscription from its
 * checkpoint, each batch's values opened with their records' live keys and appended to the
 * records' chunks, an erased record's chunks deleted, all committed with the checkpoint. A
 * crash replays the batch from the checkpoint, against the chunks as they were before it:
 * nothing is appended twice.
 */
export class SubjectContentRunner {
  private readonly follower: LogFollower;

  constructor(
    store: EventStore,
    private readonly vault: Pick<KeyVault, 'dataKey'>,
    private readonly content: SqliteSubjectContent,
    private readonly options: SubjectContentRunnerOptions = {},
  ) {
    this.follower = new LogFollower(
      store,
      () => content.checkpoint(),
      (events) => this.apply(events),
      { ...options, batchSize: options.batchSize ?? 250 },
    );
  }

  start(): void {
    this.follower.start();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  /** Drops the read model and replays the whole log. */
  async rebuild(): Promise<void> {
    await this.stop();
    this.content.drop();
    this.start();
  }

  private async apply(events: readonly RecordedEvent[]): Promise<void> {
    const sealed: LedgerEventV1[] = [];
    const erased: ErasedRecord[] = [];
    for (const { data } of events) {
      const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      if (bytes.includes(PERSONAL_DATA)) {
        sealed.push(parseLedgerEvent(bytes.toString('utf8')));
      } else if (bytes.includes(RECORD_ERASED)) {
        const erasure = erasedRecordOf(parseLedgerEvent(bytes.toString('utf8')));
        if (erasure) erased.push(erasure);
      }
    }
    const keys = await this.liveKeys(sealed);
    const chunks = foldContent(sealed, {
      keys,
      lastChunk: (pseudonym, recordId) => this.content.lastChunk(pseudonym, recordId),
    });
    const checkpoint = events.at(-1)!.position;
    this.content.commit({ chunks, erased, checkpoint }, this.options.beforeCommit);
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
}

/**
 * The chunks an erasure makes unreadable, to delete: those of the record sealed under the
 * keys it destroyed (values published after it have a new key and stay). Before
 * `destroyedKeys` existed an erasure named no key id: its chunks stay, unreadable.
 */
function erasedRecordOf(event: LedgerEventV1): ErasedRecord | undefined {
  if (event.type !== 'RecordErased' || event.subject === undefined) return undefined;
  const data = event.data as unknown as RecordErasedData;
  const keyIds = (data.destroyedKeys ?? []).map((k) => k.keyId);
  if (keyIds.length === 0) return undefined;
  return { pseudonym: event.subject, recordId: recordIdOf(data.recordKey, data.category), keyIds };
}
