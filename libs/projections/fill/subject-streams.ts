import type { SubjectState } from '../../domain/subjects/subject-state';
import type { EventStore, LogPosition, StreamEventText } from '../../event-store';
import type { RetentionScheduleProjection } from '../retention-schedule/retention-schedule.projection';

/** A range of subject stream names: `from` included, `before` excluded; open when absent. */
export interface StreamRange {
  readonly from?: string;
  readonly before?: string;
}

export interface SubjectStreamsRead {
  readonly upTo: LogPosition;
  readonly range?: StreamRange;
  /** Events read at once. */
  readonly batchSize: number;
}

type StreamsByName = Required<Pick<EventStore, 'readStreamsByName'>>;

/**
 * Every subject's state folded from its whole stream, up to `upTo`, subject after subject in
 * stream name order (so in pseudonym order). Each subject's events are in its own stream:
 * a subject is folded at once, and only one state is held at a time.
 */
export async function* subjectStates(
  store: StreamsByName,
  projection: RetentionScheduleProjection,
  { upTo, range = {}, batchSize }: SubjectStreamsRead,
): AsyncGenerator<SubjectState> {
  let after: Pick<StreamEventText, 'streamName' | 'revision'> | undefined =
    range.from === undefined ? undefined : { streamName: range.from, revision: -1n };
  let subject: { streamName: string; state?: SubjectState } | undefined;
  for (;;) {
    const batch = await store.readStreamsByName({
      prefix: projection.streamPrefix,
      after,
      upTo,
      maxCount: batchSize,
    });
    const inRange =
      range.before === undefined ? batch : batch.filter((e) => e.streamName < range.before!);
    for (const recorded of inRange) {
      if (subject?.streamName !== recorded.streamName) {
        if (subject?.state) yield subject.state;
        subject = { streamName: recorded.streamName };
      }
      const subjectEvent = projection.subjectEventOfText(recorded);
      if (subjectEvent) subject.state = projection.evolve(subject.state, subjectEvent);
    }
    if (inRange.length < batch.length || batch.length === 0) break;
    after = batch.at(-1);
  }
  if (subject?.state) yield subject.state;
}
