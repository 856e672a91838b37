import type { Logger } from '@nestjs/common';

/**
 * A handler that logs a failure by its type and code only: an error's message could quote
 * anything, personal data included (DESIGN.md, decision 3).
 */
export function logFailure(logger: Logger, what: string): (error: unknown) => void {
  return (error) => {
    const { name, code } = (error ?? {}) as { name?: string; code?: string };
    logger.error({ errorType: name, code }, what);
  };
}
