import type { Logger } from '@nestjs/common';
import { logFailure } from './log-failure';

describe('logFailure', () => {
  it('logs the error type and code, never its message', () => {
    const error = jest.fn();
    const handler = logFailure({ error } as unknown as Logger, 'the step failed');
    const failure = Object.assign(new TypeError('could not parse ana.martin@example.fr'), {
      code: 'E_PARSE',
    });
    handler(failure);
    handler(undefined);
    expect(error.mock.calls).toEqual([
      [{ errorType: 'TypeError', code: 'E_PARSE' }, 'the step failed'],
      [{ errorType: undefined, code: undefined }, 'the step failed'],
    ]);
    expect(JSON.stringify(error.mock.calls)).not.toContain('ana.martin');
  });
});
