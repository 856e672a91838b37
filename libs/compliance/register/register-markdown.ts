import type { ProcessingActivity, ProcessingRegister } from './processing-register';

/** The register as a Markdown document: a heading per activity, the policy's own words. */
export function registerMarkdown(register: ProcessingRegister): string {
  const lines = [
    '# Record of processing activities (GDPR art. 30)',
    '',
    ...(register.controller ? [`Controller: ${register.controller}`, ''] : []),
    `Policy ${register.policy.version}, in force from ${register.policy.effectiveFrom} ` +
      `(SHA-256 \`${register.policy.sha256}\`).`,
    '',
    ...clocksMarkdown(register.clocks),
    ...register.activities.flatMap(activityMarkdown),
    '## Storage and transfers',
    '',
    ...(register.storage.length === 0
      ? ['The policy says nothing of where the data is stored.', '']
      : register.storage.flatMap(({ where, transfers }) => [
          `- ${where}` + (transfers ? `\n  - Transfers: ${transfers}` : ''),
        ])),
    '',
  ];
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}

function activityMarkdown(activity: ProcessingActivity): string[] {
  const categories =
    activity.categories.length === 0
      ? 'every category its records hold'
      : activity.categories.map((c) => `${c.id} (${c.description})`).join('; ');
  return [
    `## ${activity.purpose}`,
    '',
    activity.description,
    '',
    `- Legal bases: ${activity.legalBases.join(', ')}`,
    `- Records: ${activity.records.join(', ')}`,
    `- Categories: ${categories}`,
    `- Recipients: ${activity.recipients.length === 0 ? 'none named' : activity.recipients.join('; ')}`,
    ...(activity.heldByDisputes ? ['- Erasure deferred while a dispute is open'] : []),
    '',
    '| roles | legal bases | active until | then | stopped by |',
    '|---|---|---|---|---|',
    ...activity.retention.map(
      (r) =>
        `| ${r.roles.join(', ')} | ${r.legalBases.join(', ')} | ${r.activeUntil} | ${r.then} | ` +
        `${r.stoppedBy.join(', ') || '-'} |`,
    ),
    '',
  ];
}

function clocksMarkdown(clocks: ProcessingRegister['clocks']): string[] {
  const names = Object.keys(clocks);
  if (names.length === 0) return [];
  return [
    'Clocks the retention rules count from, as this policy defines them:',
    '',
    ...names.map((name) => `- \`${name}\`: ${clocks[name]}`),
    '',
  ];
}
