import type { Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Request logs without personal data: no headers (API keys), no bodies, no query strings,
 * and the subject id in a path replaced by its placeholder.
 */
export function loggerParams(level: string, destination?: DestinationStream): Params {
  const options: Options = {
    level,
    autoLogging: { ignore: (req) => req.url === '/health' },
    serializers: {
      req: (req: IncomingMessage & { id?: unknown }) => ({
        id: req.id,
        method: req.method,
        path: safePath(req.url),
      }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
  };
  return { pinoHttp: destination ? [options, destination] : options };
}

export function safePath(url: string | undefined): string {
  const path = (url ?? '').split('?')[0];
  return path.replace(/^\/v1\/subjects\/[^/]+/, '/v1/subjects/:subjectId');
}
