import type { DateRule, Policy, Purpose, ThenRule } from '../../policy/policy';

/**
 * The record of processing activities (GDPR art. 30), generated from a policy file: one
 * activity per purpose. Nothing in it is about a person; it says what the policy says.
 */
export interface ProcessingRegister {
  readonly controller?: string;
  readonly policy: {
    readonly version: string;
    readonly effectiveFrom: string;
    readonly sha256: string;
  };
  /** Clocks the policy defines from others (`accountEnd`), as the retention rules name them. */
  readonly clocks: Readonly<Record<string, string>>;
  readonly activities: readonly ProcessingActivity[];
  /** Where the data is stored and transferred (section 5 of the policy). */
  readonly storage: readonly { readonly where: string; readonly transfers?: string }[];
}

export interface ProcessingActivity {
  readonly purpose: string;
  readonly description: string;
  /** Every legal basis some rule of the purpose rests on. */
  readonly legalBases: readonly string[];
  /** The record kinds it keeps (`account`, `invoice`, ...). */
  readonly records: readonly string[];
  /** Empty: every category its records hold. */
  readonly categories: readonly { readonly id: string; readonly description: string }[];
  readonly recipients: readonly string[];
  /** One entry per rule (group of subject roles). */
  readonly retention: readonly RetentionRule[];
  /** Erasure waits while a dispute is open. */
  readonly heldByDisputes: boolean;
}

export interface RetentionRule {
  readonly roles: readonly string[];
  readonly legalBases: readonly string[];
  /** The active phase's end, as the policy file's date rule reads (`accountEnd + P3Y`). */
  readonly activeUntil: string;
  /** What follows: `erase`, `archive P5Y, then erase`, `ask to renew ...`. */
  readonly then: string;
  /** Clocks that end the purpose at once (consent withdrawn, objection). */
  readonly stoppedBy: readonly string[];
}

export function processingRegister(policy: Policy): ProcessingRegister {
  return {
    ...(policy.controller ? { controller: policy.controller } : {}),
    policy: { version: policy.version, effectiveFrom: policy.effectiveFrom, sha256: policy.sha256 },
    clocks: Object.fromEntries(
      Object.entries(policy.clocks).map(([name, rule]) => [name, describeDateRule(rule)]),
    ),
    activities: policy.purposes.map((purpose) => activityOf(policy, purpose)),
    storage: (policy.storage ?? []).map(({ where, transfers }) => ({
      where,
      ...(transfers ? { transfers } : {}),
    })),
  };
}

function activityOf(policy: Policy, purpose: Purpose): ProcessingActivity {
  return {
    purpose: purpose.id,
    description: purpose.text,
    legalBases: [...new Set(purpose.rules.flatMap((r) => r.legalBasis))],
    records: purpose.records,
    categories: purpose.categories.map((id) => ({ id, description: policy.categories[id] ?? '' })),
    recipients: purpose.recipients ?? [],
    retention: purpose.rules.map((rule) => ({
      roles: rule.roles,
      legalBases: rule.legalBasis,
      activeUntil: describeDateRule(rule.activeUntil),
      then: describeThen(rule.then),
      stoppedBy: rule.stoppedBy ?? [],
    })),
    heldByDisputes: purpose.heldByDisputes === true,
  };
}

export function describeDateRule(rule: DateRule): string {
  if ('clock' in rule) return rule.plus ? `${rule.clock} + ${rule.plus.iso}` : rule.clock;
  if ('earliest' in rule) return `earliest of (${rule.earliest.map(describeDateRule).join(', ')})`;
  return `latest of (${rule.latest.map(describeDateRule).join(', ')})`;
}

function describeThen(then: ThenRule): string {
  switch (then.kind) {
    case 'erase':
      return 'erase';
    case 'archive':
      return `archive ${then.for.iso}, then erase`;
    case 'renew':
      return (
        `ask to renew (answer within ${then.answerWithin.iso}; renewed: ` +
        `${then.extendBy.iso} more; refused or no answer: erase)`
      );
  }
}
