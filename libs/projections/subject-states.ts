import { LruCache } from '../crypto/lru-cache';
import type { SubjectState } from '../domain/subjects/subject-state';
import type { ReadStore } from './read-store.port';

/**
 * The runner's view of subject states: those folded but not yet committed (`pending`,
 * lost on a crash and replayed from the checkpoint), then a bounded cache of committed
 * ones, then the read store. Only committed states enter the cache.
 */
export class SubjectStates {
  private cache: LruCache<string, SubjectState>;
  readonly pending = new Map<string, SubjectState>();

  constructor(
    private readonly readStore: ReadStore,
    private readonly cacheSize: number,
  ) {
    this.cache = new LruCache(cacheSize);
  }

  /** The latest known state of each subject; absent for a subject never seen. */
  async get(pseudonyms: Iterable<string>): Promise<Map<string, SubjectState>> {
    const states = new Map<string, SubjectState>();
    const missing: string[] = [];
    for (const pseudonym of pseudonyms) {
      if (states.has(pseudonym)) continue;
      const state = this.pending.get(pseudonym) ?? this.cache.get(pseudonym);
      if (state) states.set(pseudonym, state);
      else missing.push(pseudonym);
    }
    if (missing.length > 0) {
      for (const [pseudonym, state] of await this.readStore.loadStates(missing)) {
        states.set(pseudonym, state);
      }
    }
    return states;
  }

  stage(pseudonym: string, state: SubjectState): void {
    this.pending.set(pseudonym, state);
  }

  committed(pseudonym: string, state: SubjectState | undefined): void {
    this.pending.delete(pseudonym);
    if (state) this.cache.set(pseudonym, state);
  }

  /** Forgets what was not committed (a failed run restarts from the checkpoint). */
  dropPending(): void {
    this.pending.clear();
  }

  /** Forgets everything (the read models were dropped). */
  clear(): void {
    this.pending.clear();
    this.cache = new LruCache(this.cacheSize);
  }
}
