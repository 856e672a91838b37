import autocannon from 'autocannon';
import type { LedgerProcess } from './ledger-process';
import { publishBody } from './sample-events';

export interface PublishLoadOptions {
  readonly connections: number;
  readonly eventsPerRequest: number;
  readonly subjects: number;
  /** Seconds; or else `requests`. */
  readonly seconds?: number;
  readonly requests?: number;
  /** Stops the run after this many seconds even when `requests` were not all sent. */
  readonly stopAfterSeconds?: number;
  /** Called with the number of answers so far, every `every` answers. */
  readonly progress?: { readonly every: number; readonly report: (answers: number) => void };
}

export interface PublishLoadResult {
  readonly requests: number;
  readonly created: number;
  readonly non2xx: number;
  /** Any answer but 201 (a 200 would be a 2xx and still wrong here). */
  readonly not201: number;
  /** Connection errors and timeouts. */
  readonly errors: number;
  readonly statusCounts: Record<string, number>;
  readonly seconds: number;
  /** Events stored per second: 201 answers x events per request / duration. */
  readonly eventsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Share of one core the server used (1.0 = one core busy all the time). */
  readonly serverCores: number;
  /** Same for this process, which generates the load (both share the machine). */
  readonly clientCores: number;
}

/**
 * `POST /v1/events` with autocannon, every request a new body with fresh event ids (built in
 * `setupRequest`), so that each request stores new events instead of taking the replay path.
 */
export async function publishLoad(
  server: LedgerProcess,
  options: PublishLoadOptions,
): Promise<PublishLoadResult> {
  const serverCpuBefore = server.cpuSeconds();
  const clientCpuBefore = process.cpuUsage();
  const instance = autocannon({
    url: server.url,
    connections: options.connections,
    ...(options.requests !== undefined
      ? { amount: options.requests }
      : { duration: options.seconds ?? 10 }),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: '/v1/events',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${server.publisherKey}`,
        },
        setupRequest: (request) => ({
          ...request,
          body: publishBody(options.eventsPerRequest, options.subjects),
        }),
      },
    ],
  });
  const { progress } = options;
  if (progress) {
    let answers = 0;
    instance.on('response', () => {
      if (++answers % progress.every === 0) progress.report(answers);
    });
  }
  const cap =
    options.stopAfterSeconds === undefined
      ? undefined
      : setTimeout(() => instance.stop(), options.stopAfterSeconds * 1000);
  const result = await instance;
  clearTimeout(cap);
  const seconds = result.duration;
  const client = process.cpuUsage(clientCpuBefore);
  const statusCounts = Object.fromEntries(
    Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, Number(count)]),
  );
  const created = statusCounts['201'] ?? 0;
  const answered = Object.values(statusCounts).reduce((sum, n) => sum + n, 0);
  return {
    requests: answered,
    created,
    non2xx: result.non2xx,
    not201: answered - created,
    errors: result.errors + result.timeouts,
    statusCounts,
    seconds,
    eventsPerSecond: (created * options.eventsPerRequest) / seconds,
    requestsPerSecond: created / seconds,
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    serverCores: (server.cpuSeconds() - serverCpuBefore) / seconds,
    clientCores: (client.user + client.system) / 1e6 / seconds,
  };
}

/** Whether every request of the run was answered 201. */
export function allCreated(run: PublishLoadResult): boolean {
  return run.not201 === 0 && run.errors === 0 && run.created > 0;
}

export function describeLoad(run: PublishLoadResult): string {
  const statuses = Object.entries(run.statusCounts)
    .map(([code, n]) => `${n} x ${code}`)
    .join(', ');
  return (
    `${run.requests} requests in ${run.seconds.toFixed(1)} s (${statuses || 'no answer'}; ` +
    `${run.errors} connection errors/timeouts), ${Math.round(run.requestsPerSecond)} req/s, ` +
    `${Math.round(run.eventsPerSecond)} events/s, latency p50 ${run.latencyMs.p50} ms, ` +
    `p99 ${run.latencyMs.p99} ms, max ${run.latencyMs.max} ms; server CPU ` +
    `${(run.serverCores * 100).toFixed(0)}% of a core, load generator ` +
    `${(run.clientCores * 100).toFixed(0)}%`
  );
}
