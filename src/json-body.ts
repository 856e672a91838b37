import type { FastifyInstance } from 'fastify';
import { InvalidRequestError } from '../apps/api/errors/invalid-request.error';

/**
 * The request bodies the ledger reads, as express's `json()` read them before the move to
 * Fastify: `application/json` (any charset) parsed strictly (an object or an array at the
 * top; an empty body is `{}`), every other content type read and ignored (the route then
 * finds no object and says so). Fastify's own JSON parser would accept `"text"` or `null`
 * and answer an empty body or another content type with errors of its own wording.
 * A refusal never quotes the body: JSON.parse's messages do, and the body is personal data.
 */
export function useJsonBodies(fastify: FastifyInstance, bodyLimit: number): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit },
    (_request, text, done) => {
      try {
        done(null, parseStrictJson(text as string));
      } catch {
        done(new InvalidRequestError(['body: not valid JSON']), undefined);
      }
    },
  );
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, _body, done) =>
    done(null, undefined),
  );
}

export function parseStrictJson(text: string): unknown {
  const start = /\S/.exec(text);
  if (!start) return {};
  if (start[0] !== '{' && start[0] !== '[') throw new SyntaxError('not an object or array');
  return JSON.parse(text) as unknown;
}
