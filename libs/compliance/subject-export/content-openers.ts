import { Worker } from 'node:worker_threads';
import { DecryptionError } from '../../crypto/crypto.errors';
import type { OpenContentAnswer, OpenContentJob } from './content-opening';
import type { SubjectContentText } from './subject-content';
import { workerEntry } from '../../threads/worker-entry';

const ENTRY = workerEntry(__filename, 'content-opener.worker');

interface Waiting {
  resolve(content: SubjectContentText): void;
  reject(error: Error): void;
}

/**
 * Threads that open runs of a subject's stored events (content-opener.worker.ts): opening
 * 10,000 sealed values is ~7 us of AES-GCM set-up each, which no API lets one share between
 * boxes, so an export spreads them over the cores. Started at the first job (a process that
 * never exports pays no thread), and holding the process open only while a job is out.
 */
export class ContentOpeners {
  private workers: Worker[] | undefined;
  private readonly waiting: Waiting[][] = [];
  private next = 0;
  private closed = false;

  constructor(readonly threads: number) {}

  open(job: OpenContentJob): Promise<SubjectContentText> {
    if (this.closed) return Promise.reject(new Error('the content openers are closed'));
    const workers = (this.workers ??= this.start());
    const i = this.next;
    this.next = (i + 1) % workers.length;
    const answer = new Promise<SubjectContentText>((resolve, reject) =>
      this.waiting[i].push({ resolve, reject }),
    );
    workers[i].ref();
    workers[i].postMessage(job);
    return answer;
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new Error('the content openers were closed');
    for (const queue of this.waiting) queue.splice(0).forEach((w) => w.reject(error));
    await Promise.all((this.workers ?? []).map((worker) => worker.terminate()));
  }

  private start(): Worker[] {
    this.waiting.length = 0;
    return Array.from({ length: this.threads }, () => {
      const worker = new Worker(ENTRY.file, { execArgv: ENTRY.execArgv });
      const queue: Waiting[] = [];
      this.waiting.push(queue);
      worker.unref();
      worker.on('message', (answer: OpenContentAnswer) => {
        const waiting = queue.shift();
        if (queue.length === 0) worker.unref();
        if ('content' in answer) waiting?.resolve(answer.content);
        else waiting?.reject(failureOf(answer.failure));
      });
      worker.on('error', (error) => this.restart(worker, error));
      worker.on('exit', (code) =>
        this.restart(worker, new Error(`an opening thread exited (code ${code})`)),
      );
      return worker;
    });
  }

  /** A thread failed: every job out fails, and the next job starts new threads. */
  private restart(failed: Worker, error: Error): void {
    const workers = this.workers;
    if (this.closed || workers === undefined || !workers.includes(failed)) return;
    this.workers = undefined;
    for (const queue of this.waiting) queue.splice(0).forEach((w) => w.reject(error));
    for (const worker of workers) void worker.terminate();
  }
}

function failureOf(failure: { decryption: boolean; message: string }): Error {
  return failure.decryption ? new DecryptionError() : new Error(failure.message);
}
