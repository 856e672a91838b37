/**
 * `system` is a downstream system pulling its own commands: its keys are scoped to one
 * system (`system:crm=<key>` in LEDGER_API_KEYS).
 */
export const ROLES = ['publisher', 'compliance', 'auditor', 'admin', 'system'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
