import { safePath, writesRequestLines } from './logging';

describe('request logs', () => {
  it.each([
    ['trace', true],
    ['debug', true],
    ['info', true],
    ['warn', false],
    ['error', false],
    ['fatal', false],
    ['silent', false],
  ])('at %s: request lines written %s', (level, written) => {
    expect(writesRequestLines(level)).toBe(written);
  });

  it('masks the subject id and drops the query string', () => {
    expect(safePath('/v1/subjects/user-42/retention?x=1')).toBe(
      '/v1/subjects/:subjectId/retention',
    );
  });
});
