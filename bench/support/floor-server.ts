import { createServer } from 'node:http';

/**
 * The floor under the HTTP benchmarks: node's own HTTP server doing the least a ledger must
 * do (read the body, parse the JSON, answer 201 with one outcome per event), nothing else. Run
 * as a child process under the same load as the ledger, it shows what this machine and the
 * load generator allow before any framework, validation, crypto or storage.
 */
const port = Number(process.argv[2]);
let position = 0;

createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
      eventId?: string;
      events?: Array<{ eventId: string }>;
    };
    const outcome = (eventId?: string) => ({
      eventId,
      position: `${++position}/${position}`,
      duplicate: false,
    });
    const answer = body.events
      ? { events: body.events.map((e) => outcome(e.eventId)), duplicate: false }
      : outcome(body.eventId);
    response.writeHead(201, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(answer));
  });
}).listen(port, '127.0.0.1', () => process.stdout.write('ledger listening (floor)\n'));
