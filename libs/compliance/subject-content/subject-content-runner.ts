import type { KeyVault } from '../../crypto/key-vault.port';
import { parseLedgerEvent, type LedgerEventV1 } from '../../domain/events/ledger-event';
import type { RecordErasedData } from '../../domain/events/ledger-written-events';
import { recordIdOf } from '../../domain/subjects/subject-state';
import type { EventStore, RecordedEvent } from '../../event-store';
import { LogFollower } from '../../projections/log-follower';
import { openPersonalDataJson } from '../../crypto/personal-data/seal-personal-data';
import { exportedValueText, sealChunk } from './content-chunks';
import {
  planContent,
  recordSlot,
  type ChunkToSeal,
  type StoredRecordContent,
  type TailEntry,
} from './plan-content';
import type { ErasedRecord, SqliteSubjectContent, StoredChunk } from './sqlite-subject-content';

export interface SubjectContentRunnerOptions {
  /**
   * Most events applied per transaction (250). Measured when a batch re-sealed each record's
   * last chunk (memory-rss, most events of different records): with 2,000, RSS 368 MB after
   * 1M events and the retention projection not caught up 180 s after the load (the batches
   * held this thread longer); with 250, 357 MB and caught up after 119 s.
   */
  readonly batchSize?: number;
  /** First pause before running again after a failure, doubled up to a minute. */
  readonly retryDelayMs?: number;
  readonly onError?: (error: unknown) => void;
  /** Fault injection for tests: runs inside every transaction, after its writes. */
  readonly beforeCommit?: () => void;
}

/** Bytes an event's stored form holds when it has sealed values, or may be an erasure. */
const PERSONAL_DATA = Buffer.from('"personalData":');
const RECORD_ERASED = Buffer.from('RecordErased');

/**
 * Keeps the subject-content read model level with the log: a durable subscription from its
 * checkpoint; each batch's values go to their records' tails, and every run of values that
 * fills a chunk (`planContent`) is opened with its record's live key and sealed; an erased
 * record's chunks and tail under its destroyed keys are deleted; all committed with the
 * checkpoint. A crash replays the batch from the checkpoint, against the read model as it
 * was before it: nothing is appended twice.
 */
export class SubjectContentRunner {
  private readonly follower: LogFollower;

  constructor(
    private readonly store: EventStore,
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
    const { parsed, added, erased } = readBatch(events);
    const stored = new Map<string, StoredRecordContent>();
    for (const { pseudonym, recordId } of added) {
      const slot = recordSlot(pseudonym, recordId);
      if (!stored.has(slot)) stored.set(slot, this.content.recordContent(pseudonym, recordId));
    }
    const keyIds = new Set(added.map((e) => e.keyId));
    for (const record of stored.values()) for (const e of record.tail) keyIds.add(e.keyId);
    const keys = await this.liveKeys(keyIds);
    const plan = planContent(
      added,
      (pseudonym, recordId) => stored.get(recordSlot(pseudonym, recordId))!,
      new Set(keys.keys()),
    );
    await this.parseFromLog(plan.seal, parsed);
    const chunks = plan.seal.map((run) => sealRun(run, keys.get(run.place.keyId)!, parsed));
    const checkpoint = events.at(-1)!.position;
    this.content.commit(
      { chunks, tailAdded: plan.tailAdded, tailRemoved: plan.tailRemoved, erased, checkpoint },
      this.options.beforeCommit,
    );
  }

  /** The events of earlier batches whose values a run seals, read back from the log. */
  private async parseFromLog(
    runs: readonly ChunkToSeal[],
    parsed: Map<string, LedgerEventV1>,
  ): Promise<void> {
    const missing = new Set<string>();
    for (const run of runs)
      for (const e of run.entries) if (!parsed.has(e.eventId)) missing.add(e.eventId);
    if (missing.size === 0) return;
    const found = await this.store.findByEventIds([...missing]);
    for (const [eventId, { data }] of found) {
      const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
      parsed.set(eventId, parseLedgerEvent(text));
    }
    if (found.size < missing.size)
      throw new Error('the subject-content tail names events the log does not hold');
  }

  /** The keys asked for that are still alive (the vault caches them); erased ones absent. */
  private async liveKeys(keyIds: Iterable<string>): Promise<Map<string, Buffer>> {
    const keys = new Map<string, Buffer>();
    for (const keyId of keyIds) {
      const key = await this.vault.dataKey(keyId);
      if (key !== undefined) keys.set(keyId, key);
    }
    return keys;
  }
}

/**
 * What a batch brings: the events with sealed values (parsed, by id), where each value goes
 * (its record's tail), and the erasures. Only events whose stored form can hold one of these
 * are parsed.
 */
function readBatch(events: readonly RecordedEvent[]) {
  const parsed = new Map<string, LedgerEventV1>();
  const added: TailEntry[] = [];
  const erased: ErasedRecord[] = [];
  for (const { data, revision } of events) {
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (bytes.includes(PERSONAL_DATA)) {
      const event = parseLedgerEvent(bytes.toString('utf8'));
      parsed.set(event.eventId, event);
      added.push(...tailEntriesOf(event, Number(revision)));
    } else if (bytes.includes(RECORD_ERASED)) {
      const erasure = erasedRecordOf(parseLedgerEvent(bytes.toString('utf8')));
      if (erasure) erased.push(erasure);
    }
  }
  return { parsed, added, erased };
}

/** Where each of an event's sealed values goes: the tail of its record. */
function tailEntriesOf(event: LedgerEventV1, revision: number): TailEntry[] {
  if (event.subject === undefined || event.personalData === undefined) return [];
  const pseudonym = event.subject;
  return event.personalData.map((box, boxNo) => ({
    pseudonym,
    recordId: recordIdOf(box.recordKey, box.category),
    revision,
    boxNo,
    eventId: event.eventId,
    keyId: box.keyId,
  }));
}

/** A run's values opened, each once, and sealed together as one chunk. */
function sealRun(
  { place, entries }: ChunkToSeal,
  key: Buffer,
  parsed: ReadonlyMap<string, LedgerEventV1>,
): StoredChunk {
  const items = entries.map((entry) => {
    const event = parsed.get(entry.eventId)!;
    const box = event.personalData![entry.boxNo];
    return exportedValueText(event, openPersonalDataJson(event.eventId, box, key));
  });
  return { ...place, items: items.length, sealed: sealChunk(key, place, items.join(',')) };
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
