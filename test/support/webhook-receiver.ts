import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedCommand {
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  readonly receivedAt: number;
}

/**
 * A downstream system's webhook, on a free local port: it keeps every request and answers
 * with the status `answer` gives for the n-th request (1-based).
 */
export async function startWebhookReceiver(answer: (n: number) => number = () => 200) {
  const received: ReceivedCommand[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      });
      response.statusCode = answer(received.length);
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ledger-commands`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
