import { loadPolicyFile } from './load-policy';
import type { DateRule, Purpose, ThenRule } from './policy';

const policy = loadPolicyFile();

/** Compact, readable forms of the model, so that the table below reads like the spec's. */
const date = (rule: DateRule): string => {
  if ('clock' in rule) return rule.plus ? `${rule.clock} + ${rule.plus.iso}` : rule.clock;
  const [word, items] = 'earliest' in rule ? ['earliest', rule.earliest] : ['latest', rule.latest];
  return `${word}(${items.map(date).join(', ')})`;
};
const then = (rule: ThenRule): string =>
  rule.kind === 'erase'
    ? 'erase'
    : rule.kind === 'archive'
      ? `archive ${rule.for.iso}`
      : `renew (answer within ${rule.answerWithin.iso}, extend by ${rule.extendBy.iso})`;
const rules = (purpose: Purpose): string[] =>
  purpose.rules.map(
    (rule) =>
      `${rule.roles.join('/')}: ${rule.legalBasis.join(' + ')}; until ${date(rule.activeUntil)}` +
      `${rule.stoppedBy ? ` or ${rule.stoppedBy.join('/')}` : ''}; then ${then(rule.then)}`,
  );
const purpose = (id: string): Purpose => {
  const found = policy.purposes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no purpose ${id}`);
  return found;
};

const ALL = 'member/ambassador/client/prospect/visitor';

describe('the bundled 2023-01-24 policy (spec/retention-policy.md)', () => {
  it('has the 16 purposes of the spec, with its ids, in its order', () => {
    expect(policy.purposes.map((p) => p.id)).toEqual([
      'platform-access',
      'customer-management',
      'member-file',
      'matchmaking',
      'activity-reports',
      'fraud-prevention',
      'marketing',
      'statistics',
      'reviews',
      'collections-litigation',
      'bug-analysis',
      'information-requests',
      'legal-invoices',
      'legal-transactions',
      'rights-identity-proof',
      'rights-objection',
    ]);
  });

  it('defines accountEnd: closed, or 2 years without activity, whichever is first', () => {
    expect(Object.keys(policy.clocks)).toEqual(['accountEnd']);
    expect(date(policy.clocks.accountEnd)).toBe('earliest(accountClosed, lastActivity + P2Y)');
  });

  it.each<[string, string[]]>([
    ['platform-access', ['member/ambassador/client: contract; until accountEnd; then archive P5Y']],
    ['customer-management', ['client: contract; until contractsEnded; then archive P5Y']],
    [
      'member-file',
      [
        'member/ambassador: legitimate-interest; until accountEnd; then erase',
        'client: legitimate-interest; until latest(accountEnd, contractsEnded); then erase',
        'prospect: legitimate-interest; until lastContact + P3Y; then erase',
      ],
    ],
    [
      'matchmaking',
      [
        'member: contract; until accountEnd + P3Y; then renew (answer within P30D, extend by P3Y)',
        'ambassador: contract; until accountEnd + P3Y; then erase',
      ],
    ],
    [
      'activity-reports',
      [`${ALL}: contract + legitimate-interest; until collectedAt + P3Y; then erase`],
    ],
    ['fraud-prevention', [`${ALL}: legitimate-interest; until lastActivity + P3Y; then erase`]],
    [
      'marketing',
      [
        'client: legitimate-interest; until lastContact + P3Y or consentWithdrawn/objection; then renew (answer within P30D, extend by P3Y)',
        'prospect: consent; until lastContact + P3Y or consentWithdrawn/objection; then renew (answer within P30D, extend by P3Y)',
      ],
    ],
    ['statistics', [`${ALL}: legitimate-interest; until collectedAt + P14M; then erase`]],
    [
      'reviews',
      [
        'member/ambassador/client: legitimate-interest; until accountEnd + P3Y; then erase',
        'prospect/visitor: legitimate-interest; until lastContact + P3Y; then erase',
      ],
    ],
    [
      'collections-litigation',
      [
        'client: contract; until contractsEnded; then archive P5Y',
        'member/ambassador/prospect/visitor: contract; until accountEnd; then archive P5Y',
      ],
    ],
    ['bug-analysis', [`${ALL}: legitimate-interest; until collectedAt + P13M; then erase`]],
    ['information-requests', [`${ALL}: legitimate-interest; until answeredAt; then erase`]],
    ['legal-invoices', [`${ALL}: legal-obligation; until collectedAt + P10Y; then erase`]],
    ['legal-transactions', [`${ALL}: legal-obligation; until collectedAt + P5Y; then erase`]],
    ['rights-identity-proof', [`${ALL}: legal-obligation; until verifiedAt; then erase`]],
    ['rights-objection', [`${ALL}: legal-obligation; until collectedAt + P3Y; then erase`]],
  ])('%s', (id, expected) => {
    expect(rules(purpose(id))).toEqual(expected);
  });

  it.each<[string, string[], string[] | 'all']>([
    ['platform-access', ['account'], ['identification', 'professional', 'usage', 'connection']],
    [
      'customer-management',
      ['account', 'invoice', 'contract'],
      ['identification', 'professional', 'billing'],
    ],
    ['member-file', ['account'], ['identification', 'professional']],
    ['matchmaking', ['account'], ['identification', 'professional']],
    ['activity-reports', ['report'], 'all'],
    ['fraud-prevention', ['conversations'], 'all'],
    ['marketing', ['account'], ['identification']],
    ['statistics', ['visits'], 'all'],
    ['reviews', ['review'], 'all'],
    ['collections-litigation', ['invoice', 'contract'], ['billing']],
    ['bug-analysis', ['bug'], 'all'],
    ['information-requests', ['request'], 'all'],
    ['legal-invoices', ['invoice'], ['billing']],
    ['legal-transactions', ['transaction'], 'all'],
    ['rights-identity-proof', ['identity-proof'], 'all'],
    ['rights-objection', ['objection'], 'all'],
  ])('%s keeps records %j, categories %j', (id, records, categories) => {
    expect(purpose(id).records).toEqual(records);
    expect(purpose(id).categories).toEqual(
      categories === 'all' ? Object.keys(policy.categories) : categories,
    );
  });

  it('holds only collections-litigation under a dispute', () => {
    expect(policy.purposes.filter((p) => p.heldByDisputes).map((p) => p.id)).toEqual([
      'collections-litigation',
    ]);
  });

  it('gives activity reports to the schools and companies of the subject (section 4)', () => {
    expect(purpose('activity-reports').recipients).toEqual([
      expect.stringMatching(/^Écoles/),
      expect.stringMatching(/^Entreprises des Experts/),
      expect.stringMatching(/^Entreprises partenaires/),
    ]);
  });

  it('keeps the policy’s own words for each purpose', () => {
    expect(purpose('platform-access').text).toBe(
      'Accéder et bénéficier des services disponibles sur la Plateforme.',
    );
    expect(policy.purposes.every((p) => p.text.length > 10)).toBe(true);
  });

  it('says where the data is stored and how it may leave the EU (section 5)', () => {
    expect(policy.storage?.map((s) => s.where)).toEqual([
      expect.stringContaining('Amazon Web Services'),
      expect.stringContaining('Google BigQuery'),
      expect.stringContaining('sous-traitants'),
    ]);
    expect(policy.storage?.[2].transfers).toContain('clauses contractuelles types');
  });
});
