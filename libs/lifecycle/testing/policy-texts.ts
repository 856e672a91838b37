import { readFileSync } from 'node:fs';
import { BUNDLED_POLICY_FILE } from '../../policy/load-policy';

/** The bundled policy file's text. */
export function bundledPolicyText(): string {
  return readFileSync(BUNDLED_POLICY_FILE, 'utf8');
}

/**
 * The bundled policy as another version, taking effect on `effectiveFrom`, with its
 * replacements applied (`['P2Y', 'P1Y']` changes the first P2Y): a new version for tests.
 */
export function anotherVersionText(
  version: string,
  effectiveFrom: string,
  replacements: ReadonlyArray<readonly [string, string]> = [],
): string {
  let text = bundledPolicyText()
    .replace("version: '2023-01-24'", `version: '${version}'`)
    .replace("effectiveFrom: '2023-01-24T00:00:00Z'", `effectiveFrom: '${effectiveFrom}'`);
  for (const [from, to] of replacements) text = text.replace(from, to);
  return text;
}
