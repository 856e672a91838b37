import { loadPolicyFile, parsePolicy } from './load-policy';
import { PolicyFileError } from './policy-errors';

describe('loading a policy file', () => {
  it('loads the bundled 2023-01-24 policy with its categories', () => {
    const policy = loadPolicyFile();
    expect(policy.version).toBe('2023-01-24');
    expect(Object.keys(policy.categories)).toEqual(
      expect.arrayContaining(['identification', 'professional', 'billing', 'consent']),
    );
    expect(policy.sha256).toMatch(/^[0-9a-f]{64}$/);
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
    const problems = (error as PolicyFileError).problems.map((p) => `${p.line}: ${p.reason}`);
    expect(problems).toEqual([
      '1: "version" must be a non-empty string',
      '2: "effectiveFrom" must be an ISO-8601 UTC instant such as 2023-01-24T00:00:00Z',
      '4: category id "Bad_Id" must be lower-case letters, digits and dashes',
      '5: category "billing" needs a description',
    ]);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() =>
      parsePolicy(Buffer.from('version: "1"\ncategories: [a,\n'), 'broken.yaml'),
    ).toThrow(/broken\.yaml:\d+:/);
  });
});
