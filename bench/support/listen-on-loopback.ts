import { Server } from 'node:net';

/**
 * Preloaded (`--require`) into the ledger the benchmarks start: `main.ts` listens on every
 * interface and has no host setting, and a benchmark server should be reachable from this
 * machine only. A `listen(port)` or `listen(port, callback)` without a host gets 127.0.0.1;
 * anything else is left alone. It changes where the server binds, nothing of what it does.
 */
const listen = Server.prototype.listen as (...args: unknown[]) => Server;

Server.prototype.listen = function listenOnLoopback(this: Server, ...args: unknown[]): Server {
  const [port, next] = args;
  const hostless = typeof port === 'number' && (next === undefined || typeof next === 'function');
  return hostless
    ? listen.call(this, port, '127.0.0.1', ...args.slice(1))
    : listen.apply(this, args);
} as Server['listen'];
