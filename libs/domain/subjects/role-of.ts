import type { SubjectState } from './subject-state';

/**
 * Who the subject is to the platform. `prospect` and `visitor` are derived: a visitor is
 * known neither as an account holder nor as a prospect. (The policy names the same roles
 * in its rules; the domain does not depend on the policy.)
 */
export const SUBJECT_ROLES = ['member', 'ambassador', 'client', 'prospect', 'visitor'] as const;
export type SubjectRole = (typeof SUBJECT_ROLES)[number];

/** The account's role if it has one, else `prospect` if registered as one, else `visitor`. */
export function roleOf(state: SubjectState): SubjectRole {
  if (state.account !== undefined) return state.account.role;
  return state.prospect !== undefined ? 'prospect' : 'visitor';
}
