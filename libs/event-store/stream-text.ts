import type { RecordedEvent, StreamText } from './event-store.port';

const decoder = new TextDecoder();

/** `readStreamText` from a `readStream` answer, for the stores that hold payloads as bytes. */
export function streamTextOf(events: readonly RecordedEvent[]): StreamText {
  return {
    payloads: events.map((e) => decoder.decode(e.data)),
    lastPosition: events.at(-1)?.position,
  };
}
