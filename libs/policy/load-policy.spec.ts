import { createHash } from 'node:crypto';
import { loadPolicyFile, parsePolicy } from './load-policy';
import { PolicyFileError } from './policy-errors';

const problemsOf = (text: string, file = 'bad.yaml'): string[] => {
  try {
    parsePolicy(Buffer.from(text), file);
  } catch (error) {
    if (error instanceof PolicyFileError)
      return error.problems.map((p) => `${p.line}: ${p.reason}`);
    throw error;
  }
  throw new Error('the file was accepted');
};

describe('loading a policy file', () => {
  it('loads the bundled 2023-01-24 policy with its categories', () => {
    const policy = loadPolicyFile();
    expect(policy.version).toBe('2023-01-24');
    expect(policy.effectiveFrom).toBe('2023-01-24T00:00:00Z');
    expect(Object.keys(policy.categories)).toEqual(
      expect.arrayContaining(['identification', 'professional', 'billing', 'consent']),
    );
    expect(policy.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('keeps the SHA-256 of the bytes: one more byte, another hash', () => {
    const text = [
      'version: "1"',
      'effectiveFrom: "2023-01-24T00:00:00Z"',
      'categories: { a: A }',
      'purposes:',
      '  - id: p',
      '    text: P',
      '    records: [r]',
      '    legalBasis: [consent]',
      '    activeUntil: { clock: collectedAt }',
      '    then: erase',
      '',
    ].join('\n');
    const one = parsePolicy(Buffer.from(text), 'a.yaml');
    const two = parsePolicy(Buffer.from(`${text}\n`), 'a.yaml');
    expect(one.sha256).toBe(createHash('sha256').update(text).digest('hex'));
    expect(two.sha256).not.toBe(one.sha256);
  });

  it('names the file, the line and the reason of every problem', () => {
    const bad = [
      'version: 7',
      'effectiveFrom: "24/01/2023"',
      'categories:',
      '  Bad_Id: x',
      '  billing: ""',
    ].join('\n');
    let error: unknown;
    try {
      parsePolicy(Buffer.from(bad), 'bad.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyFileError);
    expect((error as PolicyFileError).code).toBe('POLICY.INVALID_FILE');
    expect((error as PolicyFileError).message.split('\n')[0]).toBe(
      'bad.yaml:1: "version" must be a non-empty string',
    );
    expect(problemsOf(bad)).toEqual([
      '1: "version" must be a non-empty string',
      '1: "purposes" is required',
      '2: "effectiveFrom" must be an ISO-8601 UTC instant such as 2023-01-24T00:00:00Z',
      '4: category id "Bad_Id" must be lower-case letters, digits and dashes',
      '5: category "billing" needs a description',
    ]);
  });

  it('refuses an effectiveFrom that is no date, even in the right shape', () => {
    expect(problemsOf('version: "1"\neffectiveFrom: "2023-02-30T00:00:00Z"\n')).toContain(
      '2: "effectiveFrom" must be an ISO-8601 UTC instant such as 2023-01-24T00:00:00Z',
    );
  });

  it('reports YAML syntax errors with their line, and only them (the rest would be guesswork)', () => {
    expect(() =>
      parsePolicy(Buffer.from('version: "1"\ncategories: [a,\n'), 'broken.yaml'),
    ).toThrow(/broken\.yaml:\d+:/);
    const text = ['version: "1"', 'categories:', '  a: A', ' b: B', 'purposes: []'].join('\n');
    expect(problemsOf(text)).toEqual(['4: All mapping items must start at the same column']);
    expect(problemsOf('version: "1"\nversion: "2"\n')).toEqual(['2: Map keys must be unique']);
  });

  it('refuses a file that is not a mapping', () => {
    expect(problemsOf('- just\n- a list\n')).toEqual([
      '1: the policy must be a mapping (version, effectiveFrom, categories, ...)',
    ]);
  });
});
