import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HashedLeafChunk, LeafChunkJob } from './leaf-chunk';

interface Waiting {
  resolve(chunk: HashedLeafChunk): void;
  reject(error: Error): void;
}

/**
 * Worker threads that hash chunks of leaves (leaf-chunk.worker.ts), handed out in turn. A
 * thread answers its chunks in the order it got them, so each keeps a queue of waiters.
 */
export class ChunkWorkers {
  private readonly workers: Worker[] = [];
  private readonly waiting: Waiting[][] = [];
  private next = 0;
  private failure: Error | undefined;
  private closed = false;

  constructor(threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(workerFile(), { execArgv: workerExecArgv() });
      const queue: Waiting[] = [];
      worker.on('message', (chunk: HashedLeafChunk) => queue.shift()?.resolve(chunk));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (queue.length > 0) this.fail(new Error(`a hashing thread exited (code ${code})`));
      });
      this.workers.push(worker);
      this.waiting.push(queue);
    }
  }

  /** Chunks handed out and not answered yet, over all the threads. */
  pending(): number {
    return this.waiting.reduce((sum, queue) => sum + queue.length, 0);
  }

  /** The job's bytes are transferred: the caller must not touch them again. */
  hash(job: LeafChunkJob): Promise<HashedLeafChunk> {
    if (this.failure) return Promise.reject(this.failure);
    const i = this.next;
    this.next = (i + 1) % this.workers.length;
    const answer = new Promise<HashedLeafChunk>((resolve, reject) =>
      this.waiting[i].push({ resolve, reject }),
    );
    this.workers[i].postMessage(job, [job.bytes.buffer as ArrayBuffer]);
    return answer;
  }

  /** Chunks still out are dropped, unanswered: the caller stopped reading. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queue of this.waiting) queue.length = 0;
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private fail(error: Error): void {
    if (this.closed) return;
    this.failure ??= error;
    for (const queue of this.waiting) queue.splice(0).forEach((w) => w.reject(error));
  }
}

// libs/threads/worker-entry.ts, copied: the verifier imports nothing outside its folder.
// The compiled worker next to this file, or under jest the TypeScript source, compiled on
// load by the dev-only register hook.
function workerFile(): string {
  return join(__dirname, `leaf-chunk.worker${extname(__filename)}`);
}

function workerExecArgv(): string[] {
  return extname(__filename) === '.ts' ? ['--require', '@swc-node/register'] : [];
}
