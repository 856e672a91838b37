import { roleOf } from '../../domain/subjects/role-of';
import type { RecordState, SubjectState } from '../../domain/subjects/subject-state';
import type { Policy, Purpose, PurposeRule } from '../policy';
import { clockResolver } from './clock-resolver';
import type { ClockResolver } from './evaluate-date-rule';
import { purposeTimeline, type PurposeTimeline } from './purpose-timeline';
import { recordSchedule } from './record-schedule';
import type { RecordSchedule, SubjectSchedule } from './schedule.types';

/**
 * The retention schedule of one subject under one policy: for every record, the purposes
 * that keep it, until when, and what happens next. Pure and deterministic: records in key
 * order, purposes in the policy's order.
 */
export function retentionSchedule(state: SubjectState, policy: Policy): SubjectSchedule {
  const role = roleOf(state);
  const records = Object.keys(state.records)
    .sort()
    .map((id) => scheduleOf(state, policy, role, id));
  return { policyVersion: policy.version, records };
}

/**
 * One record's entry of `retentionSchedule`, without the others' (the saga acts on one
 * record at a time); undefined when the subject has no such record.
 */
export function recordRetentionSchedule(
  state: SubjectState,
  policy: Policy,
  recordId: string,
): RecordSchedule | undefined {
  if (!Object.hasOwn(state.records, recordId)) return undefined;
  return scheduleOf(state, policy, roleOf(state), recordId);
}

function scheduleOf(state: SubjectState, policy: Policy, role: string, id: string): RecordSchedule {
  const record = state.records[id];
  const timelines: PurposeTimeline[] = [];
  for (const purpose of policy.purposes) {
    if (!keeps(purpose, record.recordKey, record.category)) continue;
    const rule = ruleFor(purpose, role);
    if (rule === undefined) continue;
    const resolve = rightsAware(clockResolver(state, record, purpose.id), record);
    timelines.push(
      purposeTimeline(
        purpose,
        withRightsStops(rule),
        resolve,
        policy.clocks,
        state.renewals[purpose.id],
      ),
    );
  }
  return recordSchedule(record, timelines, state.phases[id]);
}

/**
 * Section 6 of the policy, whatever the file says: an erasure request ends every purpose
 * that does not rest on a legal obligation (art. 17(3)(b) keeps those), and withdrawing
 * consent ends every purpose resting on consent (art. 7(3)). A stopped purpose is
 * neither archived nor renewed: what it kept is erased (or deferred while a hold stands).
 */
function withRightsStops(rule: PurposeRule): PurposeRule {
  let stopped = rulesWithRightsStops.get(rule);
  if (stopped === undefined) {
    stopped = addRightsStops(rule);
    rulesWithRightsStops.set(rule, stopped);
  }
  return stopped;
}

/** Rules live as long as their policy: one extended rule each, not one per evaluation. */
const rulesWithRightsStops = new WeakMap<PurposeRule, PurposeRule>();

function addRightsStops(rule: PurposeRule): PurposeRule {
  const stops = new Set(rule.stoppedBy ?? []);
  if (!rule.legalBasis.includes('legal-obligation')) stops.add('erasureRequested');
  if (rule.legalBasis.includes('consent')) stops.add('consentWithdrawn');
  if (stops.size === (rule.stoppedBy ?? []).length) return rule;
  return { ...rule, stoppedBy: [...stops] };
}

/**
 * An erasure request concerns the records held when it came: data collected later (the
 * subject came back) starts a life of its own.
 */
function rightsAware(resolve: ClockResolver, record: RecordState): ClockResolver {
  return (clock) => {
    const value = resolve(clock);
    if (clock !== 'erasureRequested' || value === undefined) return value;
    return value.at < record.collectedAt.at ? undefined : value;
  };
}

function keeps(purpose: Purpose, recordKey: string, category: string): boolean {
  const separator = recordKey.indexOf(':');
  const kind = separator === -1 ? recordKey : recordKey.slice(0, separator);
  return (
    purpose.records.includes(kind) &&
    (purpose.categories.length === 0 || purpose.categories.includes(category))
  );
}

function ruleFor(purpose: Purpose, role: string): PurposeRule | undefined {
  return purpose.rules.find((rule) => (rule.roles as readonly string[]).includes(role));
}
