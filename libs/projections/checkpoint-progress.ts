import {
  comparePositions,
  formatPosition,
  type EventStore,
  type LogPosition,
} from '../event-store';
import type { ProjectionProgress, ProjectionStatus } from './projection-runner';
import type { ReadStore } from './read-store.port';

const PROBE = 100;
const POLL_MS = 20;

/**
 * A projection's progress as another thread or process sees it: through the checkpoint it
 * commits with its read models. What the API waits on when the projection runs elsewhere.
 */
export class CheckpointProgress implements ProjectionProgress {
  private last: ProjectionStatus;

  constructor(
    private readonly store: EventStore,
    private readonly readStore: ReadStore,
    private readonly projection: string,
  ) {
    this.last = { projection, running: true, caughtUp: false, checkpoint: null, applied: null };
  }

  status(): ProjectionStatus {
    return this.last;
  }

  async waitForHead(timeoutMs: number): Promise<boolean> {
    const reached = await this.waitUntilSettled(timeoutMs);
    const checkpoint = (await this.readStore.checkpoint(this.projection))?.position;
    const at = checkpoint ? formatPosition(checkpoint) : null;
    this.last = { ...this.last, caughtUp: reached, checkpoint: at, applied: at };
    return reached;
  }

  private async waitUntilSettled(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const checkpoint = (await this.readStore.checkpoint(this.projection))?.position;
      const probe = await this.store.readAll({ after: checkpoint, maxCount: PROBE });
      const settled = probe.length === 0 && (await this.readStore.dirtySubjects()).length === 0;
      if (settled) return true;
      if (probe.length > 0 && !(await this.reaches(probe.at(-1)!.position, deadline))) return false;
      if (probe.length > 0 && probe.length < PROBE) return this.noneDirty(deadline);
      if (performance.now() > deadline) return false;
      if (probe.length === 0) await pause();
    }
  }

  private async reaches(target: LogPosition, deadline: number): Promise<boolean> {
    for (;;) {
      const checkpoint = (await this.readStore.checkpoint(this.projection))?.position;
      if (checkpoint && comparePositions(checkpoint, target) >= 0) return true;
      if (performance.now() > deadline) return false;
      await pause();
    }
  }

  private async noneDirty(deadline: number): Promise<boolean> {
    for (;;) {
      if ((await this.readStore.dirtySubjects()).length === 0) return true;
      if (performance.now() > deadline) return false;
      await pause();
    }
  }
}

const pause = () => new Promise((resolve) => setTimeout(resolve, POLL_MS));
