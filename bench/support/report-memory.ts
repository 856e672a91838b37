import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { isMainThread } from 'node:worker_threads';

/**
 * Preloaded (`--require`) into the server of the memory benchmark: every second it writes to
 * the file named by BENCH_MEMORY_REPORT `process.memoryUsage()` of the process (the main
 * thread's heap) and the heap of every worker thread, so that the harness can say what the
 * RSS is made of. A worker's heap is only visible from inside it: the in-process inspector
 * attaches to each worker (NodeWorker domain, no port opened) and asks it.
 */
export interface MemoryReport {
  readonly main: NodeJS.MemoryUsage;
  /** By worker thread: its URL (which script), then its own isolate's figures. */
  readonly workers: Record<string, WorkerHeap>;
}

export interface WorkerHeap {
  readonly heapUsed: number;
  readonly heapTotal: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

interface AttachedWorker {
  readonly sessionId: string;
  readonly name: string;
}

const file = process.env.BENCH_MEMORY_REPORT;
// Workers may inherit the preload (execArgv): only the main thread reports.
if (file && isMainThread) startReporting(file);

function startReporting(file: string): void {
  const session = new Session();
  session.connect();
  const workers = new Map<string, AttachedWorker>();
  const heaps = new Map<string, WorkerHeap>();
  const asked = new Map<number, string>();
  let nextId = 1;
  session.on('NodeWorker.attachedToWorker', ({ params }) => {
    const { sessionId, workerInfo } = params as {
      sessionId: string;
      workerInfo: { url: string; workerId: string };
    };
    const name = `${workerInfo.url.split('/').slice(-2).join('/')}#${workerInfo.workerId}`;
    workers.set(sessionId, { sessionId, name });
  });
  session.on('NodeWorker.detachedFromWorker', ({ params }) => {
    const { sessionId } = params as { sessionId: string };
    const worker = workers.get(sessionId);
    workers.delete(sessionId);
    if (worker) heaps.delete(worker.name);
  });
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    const { sessionId, message } = params as { sessionId: string; message: string };
    const reply = JSON.parse(message) as { id?: number; result?: { result?: { value?: string } } };
    const name = reply.id === undefined ? undefined : asked.get(reply.id);
    if (name === undefined) return;
    asked.delete(reply.id!);
    const value = reply.result?.result?.value;
    if (value !== undefined && workers.has(sessionId)) heaps.set(name, JSON.parse(value));
  });
  session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });

  setInterval(() => {
    for (const worker of workers.values()) {
      const id = nextId++;
      asked.set(id, worker.name);
      session.post('NodeWorker.sendMessageToWorker', {
        sessionId: worker.sessionId,
        message: JSON.stringify({
          id,
          method: 'Runtime.evaluate',
          params: { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true },
        }),
      });
    }
    const report: MemoryReport = {
      main: process.memoryUsage(),
      workers: Object.fromEntries(heaps),
    };
    writeFileSync(file, JSON.stringify(report));
  }, 1000).unref();
}
