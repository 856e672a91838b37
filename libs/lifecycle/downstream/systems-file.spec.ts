import { parseSystemsFile, SystemsFileError } from './systems-file';

const CATEGORIES = ['identification', 'usage', 'billing'];
const SECRET = 'x'.repeat(32);

function problemsOf(text: string): string[] {
  try {
    parseSystemsFile(text, 'systems.yaml', CATEGORIES);
  } catch (error) {
    if (error instanceof SystemsFileError) return error.message.split('\n');
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('the systems file', () => {
  it('reads webhook and pull systems, with the webhook defaults', () => {
    const registry = parseSystemsFile(
      `systems:
  - id: crm
    categories: [identification]
    acknowledgeWithin: P2D
    delivery: webhook
    webhook: { url: 'https://crm.example/ledger', secret: ${SECRET} }
  - id: warehouse
    categories: [usage, billing]
    acknowledgeWithin: PT12H
    delivery: pull
`,
      'systems.yaml',
      CATEGORIES,
    );
    expect(registry.systems).toEqual([
      {
        id: 'crm',
        categories: ['identification'],
        acknowledgeWithin: 'P2D',
        acknowledgeWithinMs: 172_800_000,
        delivery: {
          kind: 'webhook',
          url: 'https://crm.example/ledger',
          secret: SECRET,
          maxTries: 8,
          backoffFirstMs: 10_000,
          backoffMaxMs: 3_600_000,
        },
      },
      {
        id: 'warehouse',
        categories: ['usage', 'billing'],
        acknowledgeWithin: 'PT12H',
        acknowledgeWithinMs: 43_200_000,
        delivery: { kind: 'pull' },
      },
    ]);
  });

  it('reads JSON too', () => {
    const json = JSON.stringify({
      systems: [{ id: 'a', categories: ['usage'], acknowledgeWithin: 'P1D', delivery: 'pull' }],
    });
    expect(parseSystemsFile(json, 'systems.json', CATEGORIES).systems).toHaveLength(1);
  });

  it('lists every problem with its line, and never quotes a secret', () => {
    expect(
      problemsOf(`systems:
  - id: CRM
    categories: [identification, shoes]
    acknowledgeWithin: P1M
    delivery: webhook
    webhook: { url: 'crm.example', secret: tooshort, maxTries: 0, backof: {} }
  - id: warehouse
    categories: [usage]
    acknowledgeWithin: P1D
    delivery: pull
    webhook: { url: 'https://w.example' }
  - id: warehouse
    categories: [usage]
    acknowledgeWithin: P1D
    delivery: carrier-pigeon
  - id: ticketing
`),
    ).toEqual([
      'systems.yaml:2: id "CRM" must be lower-case letters, digits and dashes',
      'systems.yaml:3: unknown category "shoes" (expected identification, usage, billing)',
      'systems.yaml:4: acknowledgeWithin of system "CRM" must be an ISO-8601 duration in weeks, days, hours, minutes or seconds, such as P2D, PT48H or PT30S',
      'systems.yaml:6: unknown key "backof" in the webhook of system "CRM" (did you mean "backoff"?)',
      'systems.yaml:6: the webhook url of system "CRM" must be an http:// or https:// URL',
      'systems.yaml:6: the webhook secret of system "CRM" must be a string of 32 characters or more',
      'systems.yaml:6: maxTries of system "CRM" must be a whole number from 1 to 100',
      'systems.yaml:11: system "warehouse" pulls: no webhook',
      'systems.yaml:15: unknown delivery "carrier-pigeon" (expected webhook, pull)',
      'systems.yaml:16: "categories" is required',
      'systems.yaml:16: "acknowledgeWithin" is required',
      'systems.yaml:16: "delivery" is required',
    ]);
  });

  it('refuses a system listed twice, and a file that is not a list of systems', () => {
    const system = `  - { id: a, categories: [usage], acknowledgeWithin: P1D, delivery: pull }\n`;
    expect(problemsOf(`systems:\n${system}${system}`)).toEqual([
      'systems.yaml:3: system "a" is listed twice',
    ]);
    expect(problemsOf('systems: []')).toEqual([
      'systems.yaml:1: "systems" must be a non-empty list',
    ]);
    expect(problemsOf('- a')[0]).toMatch(/^systems.yaml:1: the systems file must be a mapping/);
    expect(problemsOf('systems: [')[0]).toMatch(/^systems.yaml:1: /);
  });
});
