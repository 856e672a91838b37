import { availableParallelism } from 'node:os';
import { ChunkWorkers } from './chunk-workers';
import { hashLeafChunk, type HashedLeafChunk } from './leaf-chunk';
import { lineChunks } from './line-chunks';

/** How leaves.ndjson is read and hashed. */
export interface LeafHashing {
  /** Leaves (lines) per chunk: a power of two, so that a chunk is a perfect subtree. */
  readonly chunkLeaves: number;
  /** Worker threads hashing chunks beside this one, which hashes its share; 0: all here. */
  readonly threads: number;
}

/** What the reader wants back of the chunk starting at a position, beyond its subtrees. */
export interface ChunkWants {
  readonly leafHashes: boolean;
  readonly eventIds: boolean;
}

// 4096 leaves of ~740 bytes of line: 3 MB a chunk, 245 chunks for a million leaves, a
// message each way per chunk.
const CHUNK_LEAVES = 4096;
// A worker thread answers its first chunk about 50 ms after it is started, and runs its
// first chunks cold (200 ms for the first 4096 leaves, against 40 ms warm): a bundle of
// 20,000 leaves (15 MB) took 0.36 s on this thread and 0.7-0.8 s on two workers (loaded machine,
// three runs each). Threads pay from some tens of MB on.
const THREADS_FROM_BYTES = 32 * 1024 * 1024;
// A thread has its next chunks queued while it hashes one (about 20 ms of work), so that it
// does not wait on this thread, itself waiting for a core on a busy machine.
const CHUNKS_OUT = 4;

/**
 * Worker threads for a file this big: none for a small file, else one per core but this
 * thread's. On two cores, one worker and this thread hashing every other chunk cost less
 * (1M leaves: 5.5-5.85 against 6.3-6.45 s CPU, 5.5-5.9 against 6.0-6.1 s wall, three runs
 * interleaved, loaded machine) than two workers with this thread only reading: one thread
 * fewer to warm up and to share the cores with.
 */
export function leafHashingFor(fileBytes: number): LeafHashing {
  return {
    chunkLeaves: CHUNK_LEAVES,
    threads: fileBytes < THREADS_FROM_BYTES ? 0 : availableParallelism() - 1,
  };
}

/**
 * Hashes leaves.ndjson chunk by chunk, on the worker threads while their queues have room
 * and on this one when they are full, and hands each hashed chunk to `each` in the file's
 * order; `each` answers false to stop reading. At most CHUNKS_OUT chunks per worker are
 * queued, and twice that many out in all, so memory stays a few chunks (about 4 MB each)
 * whatever the file. Handing out by queue room rather than strictly in turn, and reading
 * the next chunk while this thread hashes, took a 1M-leaf bundle from 263-278k to 283-306k
 * leaves/s (means of four runs each, alternated with the code before, same machine).
 */
export async function hashLeafChunks(
  file: string,
  hashing: LeafHashing,
  wants: (position: number) => ChunkWants,
  each: (chunk: HashedLeafChunk) => boolean,
): Promise<void> {
  const jobs = async function* () {
    for await (const { bytes, firstLine } of lineChunks(file, hashing.chunkLeaves)) {
      yield { bytes, position: firstLine, ...wants(firstLine) };
    }
  };
  const workers = new ChunkWorkers(hashing.threads);
  const queued = CHUNKS_OUT * hashing.threads;
  try {
    const out: Promise<HashedLeafChunk>[] = [];
    for await (const job of readingAhead(jobs())) {
      // The workers' queues full, this thread hashes the chunk itself rather than wait.
      const mine = workers.pending() >= queued;
      const hashed = mine ? Promise.resolve(hashLeafChunk(job)) : workers.hash(job);
      // Handled here too: when one fails, those behind it are never awaited.
      hashed.catch(() => undefined);
      out.push(hashed);
      if (out.length > 2 * queued && !each(await out.shift()!)) return;
    }
    while (out.length > 0) if (!each(await out.shift()!)) return;
  } finally {
    await workers.close();
  }
}

/**
 * The items of `source`, the next one asked for as soon as one is handed out: the file's
 * next chunk is read (on libuv's threads) while this thread hashes the last one, instead of
 * after. Waiting for each read was most of the 6-8% of the verifier's main thread that
 * profiles showed idle.
 */
async function* readingAhead<T>(source: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    let next = source.next();
    for (;;) {
      const item = await next;
      if (item.done) return;
      next = source.next();
      // Handled here too: a failed read ahead that is never awaited (the caller stopped).
      next.catch(() => undefined);
      yield item.value;
    }
  } finally {
    await source.return(undefined);
  }
}
