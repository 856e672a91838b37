import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from './policy-file/parse-policy';
import type { Policy } from './policy';

export { parsePolicy } from './policy-file/parse-policy';

export const BUNDLED_POLICY_FILE = join(__dirname, 'policies', '2023-01-24.yaml');

/**
 * Reads and checks a policy file; every problem is reported with its line. The only part of
 * the policy code that touches the file system: the rest is pure.
 */
export function loadPolicyFile(file: string = BUNDLED_POLICY_FILE): Policy {
  return parsePolicy(readFileSync(file), file);
}
