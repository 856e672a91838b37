import { parsePolicy } from './load-policy';
import { PolicyFileError } from './policy-errors';

/** `line: reason` of every problem of a file, or [] when it loads. */
function problemsOf(text: string): string[] {
  try {
    parsePolicy(Buffer.from(text), 'policy.yaml');
    return [];
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    return error.problems.map((problem) => `${problem.line}: ${problem.reason}`);
  }
}

// Lines 1-11; `clocks` (5 lines) may be replaced, so that purposes always start on line 12.
const header = (clocks: string[]) =>
  [
    "version: '1'",
    "effectiveFrom: '2023-01-24T00:00:00Z'",
    'categories:',
    '  identification: Nom, prénom',
    '  billing: Factures',
    ...clocks,
    'purposes:',
  ].join('\n');
const ACCOUNT_END = [
  'clocks:',
  '  accountEnd:',
  '    earliest:',
  '      - clock: accountClosed',
  '      - { clock: lastActivity, plus: P2Y }',
];
const file = (purposes: string[], clocks = ACCOUNT_END) =>
  `${header(clocks)}\n${purposes.join('\n')}\n`;

/** Lines 12-17: a purpose with nothing wrong. */
const GOOD = [
  '  - id: platform-access',
  '    text: Accéder et bénéficier des services',
  '    records: [account]',
  '    legalBasis: [contract]',
  '    activeUntil: { clock: accountEnd }',
  '    then: { archive: P5Y }',
];
const replaced = (line: number, ...by: string[]) => [
  ...GOOD.slice(0, line - 12),
  ...by,
  ...GOOD.slice(line - 11),
];
const BASES = 'contract, legitimate-interest, consent, legal-obligation';

describe('a policy file with problems: each one reported as line: reason', () => {
  it('accepts the file the cases start from', () => {
    expect(problemsOf(file(GOOD))).toEqual([]);
  });

  it.each<[string, string, string[]]>([
    [
      'unknown key (a typo)',
      file(replaced(16, '    activUntil: { clock: accountEnd }')),
      [
        '12: purpose "platform-access" has no "activeUntil"',
        '16: unknown key "activUntil" in purpose "platform-access" (did you mean "activeUntil"?)',
      ],
    ],
    [
      'unknown key at the top',
      `${file(GOOD)}retention: forever\n`,
      [
        '18: unknown key "retention" in the policy (expected version, effectiveFrom, controller, categories, clocks, purposes, storage)',
      ],
    ],
    [
      'unknown key in a date rule',
      file(replaced(16, '    activeUntil: { clock: accountEnd, pluss: P1Y }')),
      [
        '16: unknown key "pluss" in "activeUntil" of purpose "platform-access" (did you mean "plus"?)',
      ],
    ],
    [
      'bad duration (weeks)',
      file(replaced(17, '    then: { archive: P5W }')),
      [
        '17: "archive" of "then" of purpose "platform-access" must be a calendar duration PnYnMnD in whole non-negative numbers, such as P2Y, P14M or P30D (not "P5W")',
      ],
    ],
    [
      'bad duration (a number)',
      file(replaced(16, '    activeUntil: { clock: accountEnd, plus: 3 }')),
      [
        '16: "plus" of "activeUntil" of purpose "platform-access" must be a calendar duration PnYnMnD in whole non-negative numbers, such as P2Y, P14M or P30D (not "3")',
      ],
    ],
    [
      'unknown clock',
      file(replaced(16, '    activeUntil: { clock: acountClosed }')),
      ['16: unknown clock "acountClosed" (neither a base clock nor one defined under "clocks")'],
    ],
    [
      'unknown clock deep in a defined clock',
      file(GOOD, [
        'clocks:',
        '  accountEnd:',
        '    earliest:',
        '      - clock: accountClosed',
        '      - { latest: [{ clock: lastActivty }] }',
      ]),
      ['10: unknown clock "lastActivty" (neither a base clock nor one defined under "clocks")'],
    ],
    [
      'clock cycle',
      file(replaced(16, '    activeUntil: { clock: a }'), [
        'clocks:',
        '  a:',
        '    earliest: [{ clock: b }, { clock: accountClosed }]',
        '  b: { clock: c, plus: P1D }',
        '  c: { clock: a }',
      ]),
      ['7: clock cycle: a -> b -> c -> a'],
    ],
    [
      'a defined clock that uses itself',
      file(GOOD, [
        'clocks:',
        '  accountEnd:',
        '    earliest:',
        '      - clock: accountClosed',
        '      - { clock: accountEnd, plus: P2Y }',
      ]),
      ['7: clock cycle: accountEnd -> accountEnd'],
    ],
    [
      'a defined clock named like a base clock',
      file(GOOD, [
        'clocks:',
        '  accountEnd: { clock: accountClosed }',
        '  lastActivity: { clock: accountClosed }',
        '  # (two comment lines keep',
        '  #  the purposes on line 12)',
      ]),
      ['8: clock "lastActivity" is already a base clock or defined above'],
    ],
    [
      'a date rule of two shapes at once',
      file(
        replaced(16, '    activeUntil: { clock: accountEnd, latest: [{ clock: accountClosed }] }'),
      ),
      [
        '16: "activeUntil" of purpose "platform-access" must be exactly one of { clock: name, plus: P.. }, { earliest: [...] } or { latest: [...] }',
      ],
    ],
    [
      'duplicate purpose id',
      file([...GOOD, ...GOOD]),
      ['18: purpose id "platform-access" is already used on line 12'],
    ],
    [
      'purpose id not lower-case-dashes',
      file(replaced(12, '  - id: Platform_Access')),
      ['12: purpose id "Platform_Access" must be lower-case words joined by dashes'],
    ],
    [
      'role named by two rules',
      file([
        ...GOOD,
        '    rules:',
        '      - roles: [member, client]',
        '      - roles: [ambassador,',
        '          client]',
      ]),
      ['21: role "client" is already named by a rule of purpose "platform-access" (line 19)'],
    ],
    [
      'role twice in one rule, and an unknown role',
      file([...GOOD, '    rules:', '      - roles: [member, member, membre]']),
      [
        '19: "member" is listed twice in "roles" of a rule of purpose "platform-access"',
        '19: unknown role "membre" (expected member, ambassador, client, prospect, visitor)',
      ],
    ],
    [
      'a rule without roles',
      file([...GOOD, '    rules:', '      - then: erase']),
      ['19: a rule of purpose "platform-access" has no "roles"'],
    ],
    [
      'unknown category',
      file(replaced(15, '    categories: [identification, health]', '    legalBasis: [contract]')),
      ['15: unknown category "health" (not declared under "categories")'],
    ],
    ['missing then', file(GOOD.slice(0, 5)), ['12: purpose "platform-access" has no "then"']],
    [
      'missing then in one rule, the purpose giving none',
      file([
        ...GOOD.slice(0, 5),
        '    rules:',
        '      - roles: [member]',
        '        then: erase',
        '      - roles: [client]',
      ]),
      [
        '20: the rule for client of purpose "platform-access" has no "then", and the purpose gives none',
      ],
    ],
    [
      'then of an unknown shape',
      file(replaced(17, '    then: delete')),
      [
        '17: "then" of purpose "platform-access" must be erase, { archive: P.. } or { renew: { answerWithin: P.., extendBy: P.. } }',
      ],
    ],
    [
      'renew without extendBy',
      file(replaced(17, '    then: { renew: { answerWithin: P30D } }')),
      ['17: "renew" needs "extendBy" (a duration such as P30D)'],
    ],
    [
      'bad legal basis',
      file(replaced(15, '    legalBasis: [contrat]')),
      [`15: unknown legal basis "contrat" (expected ${BASES})`],
    ],
    [
      'legal basis written as a single word',
      file(replaced(15, '    legalBasis: contract')),
      ['15: "legalBasis" of purpose "platform-access" must be a non-empty list'],
    ],
    [
      'stoppedBy an unknown clock',
      file([...GOOD, '    stoppedBy: [consentWithdrawn, objected]']),
      ['18: unknown clock "objected" (neither a base clock nor one defined under "clocks")'],
    ],
    [
      'heldByDisputes not a boolean (YAML 1.2: yes is a string)',
      file([...GOOD, '    heldByDisputes: yes']),
      ['18: "heldByDisputes" of purpose "platform-access" must be true or false'],
    ],
    [
      'required fields missing',
      file(['  - id: platform-access', '    then: erase']),
      [
        '12: purpose "platform-access" has no "text"',
        '12: purpose "platform-access" has no "records"',
        '12: purpose "platform-access" has no "legalBasis"',
        '12: purpose "platform-access" has no "activeUntil"',
      ],
    ],
    [
      'YAML aliases',
      file([
        ...GOOD.slice(0, 3),
        '    legalBasis: &basis [contract]',
        ...GOOD.slice(4),
        '    recipients: *basis',
      ]),
      ['18: YAML aliases (*basis) are not supported: write the value out'],
    ],
    [
      'a storage location without where',
      `${file(GOOD)}storage:\n  - transfers: none\n`,
      ['19: a storage location needs "where"'],
    ],
  ])('%s', (_, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('collects every problem of the file, in line order', () => {
    const text = file([
      '  - id: platform-access',
      '    text: Accéder',
      '    records: [account]',
      '    legalBasis: [contrat]',
      '    activeUntil: { clock: nope }',
      '    then: { archive: P5W }',
    ]);
    expect(problemsOf(text).map((problem) => problem.split(':')[0])).toEqual(['15', '16', '17']);
  });

  it('prefixes each problem with the file name in the error message', () => {
    expect(() => parsePolicy(Buffer.from(file(GOOD.slice(0, 5))), 'my-policy.yaml')).toThrow(
      'my-policy.yaml:12: purpose "platform-access" has no "then"',
    );
  });
});
