import type { CalendarDuration, DateRule, Policy, ThenRule } from '../../../libs/policy/policy';

/** The policy as JSON for people and programs: durations in their ISO-8601 form. */
export function policyView(policy: Policy) {
  return {
    version: policy.version,
    effectiveFrom: policy.effectiveFrom,
    sha256: policy.sha256,
    controller: policy.controller ?? null,
    categories: policy.categories,
    clocks: Object.fromEntries(
      Object.entries(policy.clocks).map(([name, rule]) => [name, dateRuleView(rule)]),
    ),
    purposes: policy.purposes.map((purpose) => ({
      id: purpose.id,
      text: purpose.text,
      records: purpose.records,
      categories: purpose.categories,
      recipients: purpose.recipients ?? [],
      heldByDisputes: purpose.heldByDisputes ?? false,
      rules: purpose.rules.map((rule) => ({
        roles: rule.roles,
        legalBasis: rule.legalBasis,
        activeUntil: dateRuleView(rule.activeUntil),
        ...(rule.stoppedBy ? { stoppedBy: rule.stoppedBy } : {}),
        then: thenView(rule.then),
      })),
    })),
    storage: policy.storage ?? [],
  };
}

type DateRuleView =
  { clock: string; plus?: string } | { earliest: DateRuleView[] } | { latest: DateRuleView[] };

function dateRuleView(rule: DateRule): DateRuleView {
  if ('clock' in rule)
    return rule.plus ? { clock: rule.clock, plus: iso(rule.plus) } : { clock: rule.clock };
  if ('earliest' in rule) return { earliest: rule.earliest.map(dateRuleView) };
  return { latest: rule.latest.map(dateRuleView) };
}

function thenView(then: ThenRule) {
  switch (then.kind) {
    case 'erase':
      return 'erase';
    case 'archive':
      return { archive: iso(then.for) };
    case 'renew':
      return { renew: { answerWithin: iso(then.answerWithin), extendBy: iso(then.extendBy) } };
  }
}

const iso = (duration: CalendarDuration) => duration.iso;
