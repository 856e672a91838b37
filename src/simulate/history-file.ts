import { readFileSync } from 'node:fs';
import { MAX_BATCH_SIZE } from '../../apps/api/publishing-events/publish-events.controller';
import { validatePublishBody } from '../../apps/api/publishing-events/validate-publish-body';
import type { PublishedEvent } from '../../libs/domain/events/published-event';

/** One event of the history and the line it came from. */
export interface HistoryEvent {
  readonly line: number;
  readonly event: PublishedEvent;
}

export type HistoryFile =
  | { readonly ok: true; readonly events: HistoryEvent[] }
  | { readonly ok: false; readonly problems: string[] };

// The simulated clock stands at each event's own instant when it is published.
const NO_SKEW_LIMIT = new Date(8.64e15);

/**
 * Reads a history: one `POST /v1/events` body per line (an envelope, or `{ "events": [...] }`),
 * blank lines and `#` comments skipped. Every line is checked as the API checks it; every
 * problem comes back as `FILE:LINE: reason`, and a file with any problem is refused whole.
 */
export function readHistoryFile(file: string, knownCategories: ReadonlySet<string>): HistoryFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    return { ok: false, problems: [`${file}: cannot be read (${code})`] };
  }
  const problems: string[] = [];
  const events: HistoryEvent[] = [];
  const firstLineOf = new Map<string, number>();
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) return;
    let body: unknown;
    try {
      body = JSON.parse(content);
    } catch {
      problems.push(`${file}:${line}: not valid JSON`);
      return;
    }
    const validation = validatePublishBody(body, {
      now: NO_SKEW_LIMIT,
      knownCategories,
      maxBatchSize: MAX_BATCH_SIZE,
      maxClockSkewMs: 0,
    });
    if (!validation.ok) {
      problems.push(...validation.problems.map((p) => `${file}:${line}: ${p}`));
      return;
    }
    for (const event of validation.events) {
      const first = firstLineOf.get(event.eventId);
      if (first !== undefined) {
        problems.push(`${file}:${line}: eventId: already used on line ${first}`);
        continue;
      }
      firstLineOf.set(event.eventId, line);
      events.push({ line, event });
    }
  });
  if (problems.length === 0 && events.length === 0) {
    problems.push(`${file}: holds no event`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, events };
}
