import type { RecordedEvent, StreamText } from './event-store.port';

const decoder = new TextDecoder();

/** A payload held as bytes, as the text `readStreamText` and `readStreamsByName` give. */
export function asText(data: Uint8Array): string {
  return decoder.decode(data);
}

/** `readStreamText` from a `readStream` answer, for the stores that hold payloads as bytes. */
export function streamTextOf(events: readonly RecordedEvent[]): StreamText {
  return {
    payloads: events.map((e) => asText(e.data)),
    lastPosition: events.at(-1)?.position,
  };
}
