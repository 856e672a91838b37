import { LEGAL_BASES, SUBJECT_ROLES, type LegalBasis, type PurposeRule } from '../policy';
import type { SubjectRole } from '../policy';
import { readDateRule } from './read-date-rule';
import { readThenRule } from './read-then-rule';
import type { Fields, YamlReader } from './yaml-reader';

/** The keys a rule may carry; a purpose carries the same ones as defaults for its rules. */
export const RULE_PART_KEYS = ['legalBasis', 'activeUntil', 'then', 'stoppedBy'] as const;
type RulePartKey = (typeof RULE_PART_KEYS)[number];
const REQUIRED = ['legalBasis', 'activeUntil', 'then'] as const;

interface RuleParts {
  /** A key written with a bad value is here as `undefined`: reported already, not missing. */
  readonly values: { -readonly [K in RulePartKey]?: PurposeRule[K] };
  readonly written: ReadonlySet<RulePartKey>;
}

export interface RuleContext {
  readonly reader: YamlReader;
  readonly clocks: ReadonlySet<string>;
  /** `purpose "x"`, for messages. */
  readonly purpose: string;
}

/**
 * A purpose's rules: each `rules` item over the purpose's defaults, or, without `rules`, one
 * rule for every role. Every rule must end up with a legal basis, an end and a `then`, and
 * no role may be named by two rules (which one applied would hang on their order).
 */
export function readPurposeRules(context: RuleContext, purpose: Fields): PurposeRule[] | undefined {
  const { reader, purpose: label } = context;
  const defaults = readParts(context, purpose);
  if (!purpose.has('rules')) {
    const rule = complete(reader, purpose.node, [...SUBJECT_ROLES], defaults, undefined, label);
    return rule && [rule];
  }
  const items = reader.items(purpose.get('rules'), `"rules" of ${label}`);
  if (!items) return undefined;
  const namedOn = new Map<string, number>();
  const rules = items.map((item) => {
    const fields = reader.fields(item, `a rule of ${label}`, ['roles', ...RULE_PART_KEYS]);
    if (!fields) return undefined;
    const own = readParts(context, fields);
    const roles = readRoles(reader, fields, label, namedOn);
    const what = `the rule for ${roles?.join(', ') ?? 'some roles'} of ${label}`;
    const rule = complete(reader, fields.node, roles ?? [], own, defaults, what);
    return roles && rule;
  });
  return rules.every((rule) => rule !== undefined) ? rules : undefined;
}

/** A rule's roles, none of them named by an earlier rule of the purpose. */
function readRoles(
  reader: YamlReader,
  rule: Fields,
  label: string,
  namedOn: Map<string, number>,
): SubjectRole[] | undefined {
  if (!rule.has('roles')) {
    reader.problem(rule.node, `a rule of ${label} has no "roles"`);
    return undefined;
  }
  return reader.names(rule.get('roles'), `"roles" of a rule of ${label}`, (role, node) => {
    if (!reader.oneOf(role, node, 'role', SUBJECT_ROLES)) return false;
    const line = namedOn.get(role);
    if (line !== undefined) {
      reader.problem(node, `role "${role}" is already named by a rule of ${label} (line ${line})`);
      return false;
    }
    namedOn.set(role, reader.lineOf(node));
    return true;
  }) as SubjectRole[] | undefined;
}

/** A rule's own parts over the purpose's; without `defaults`, the purpose is the rule. */
function complete(
  reader: YamlReader,
  at: unknown,
  roles: SubjectRole[],
  own: RuleParts,
  defaults: RuleParts | undefined,
  what: string,
): PurposeRule | undefined {
  const written = (key: RulePartKey) => own.written.has(key) || !!defaults?.written.has(key);
  for (const key of REQUIRED) {
    if (written(key)) continue;
    reader.problem(at, `${what} has no "${key}"${defaults ? ', and the purpose gives none' : ''}`);
  }
  const { legalBasis, activeUntil, then, stoppedBy } = { ...defaults?.values, ...own.values };
  if (!legalBasis || !activeUntil || !then || (written('stoppedBy') && !stoppedBy)) {
    return undefined;
  }
  return { roles, legalBasis, activeUntil, then, ...(stoppedBy ? { stoppedBy } : {}) };
}

function readParts({ reader, clocks, purpose }: RuleContext, fields: Fields): RuleParts {
  const written = new Set(RULE_PART_KEYS.filter((key) => fields.has(key)));
  const values: RuleParts['values'] = {};
  const what = (key: RulePartKey) => `"${key}" of ${purpose}`;
  if (written.has('legalBasis')) {
    values.legalBasis = reader.names(fields.get('legalBasis'), what('legalBasis'), (basis, node) =>
      reader.oneOf(basis, node, 'legal basis', LEGAL_BASES),
    ) as LegalBasis[] | undefined;
  }
  if (written.has('activeUntil')) {
    values.activeUntil = readDateRule(
      reader,
      fields.get('activeUntil'),
      what('activeUntil'),
      clocks,
    );
  }
  if (written.has('then')) {
    values.then = readThenRule(reader, fields.get('then'), what('then'));
  }
  if (written.has('stoppedBy')) {
    values.stoppedBy = reader.names(fields.get('stoppedBy'), what('stoppedBy'), (clock, node) => {
      if (clocks.has(clock)) return true;
      reader.problem(
        node,
        `unknown clock "${clock}" (neither a base clock nor one defined under "clocks")`,
      );
      return false;
    });
  }
  return { values, written };
}
