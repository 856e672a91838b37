import { ServiceUnavailableException } from '@nestjs/common';
import type { ProjectionProgress } from '../../../libs/projections';

/** How long a read waits for the projection to catch up with the log (read-your-writes). */
export const PROJECTION_WAIT_MS = 2000;

/**
 * Waits until the read models reflect every event the log held when the request came in.
 * Still behind after the wait (a rebuild, a burst): 503, rather than an answer that could
 * be missing what the caller just published.
 */
export async function waitForProjection(progress: ProjectionProgress): Promise<void> {
  if (await progress.waitForHead(PROJECTION_WAIT_MS)) return;
  throw new ServiceUnavailableException(
    'the read models are catching up with the log; try again in a few seconds',
  );
}
