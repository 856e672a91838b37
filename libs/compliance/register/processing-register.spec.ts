import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPolicyFile } from '../../policy/load-policy';
import { processingRegister } from './processing-register';
import { registerMarkdown } from './register-markdown';

/** The register of the seed policy, checked in: a change to the policy or the format shows here. */
const SNAPSHOT = join(__dirname, '../../../docs/processing-register.2023-01-24.md');

describe('the record of processing activities', () => {
  const register = processingRegister(loadPolicyFile());

  it('has one activity per purpose, with bases, categories, recipients, retention and transfers', () => {
    expect(register.activities).toHaveLength(16);
    const marketing = register.activities.find((a) => a.purpose === 'marketing')!;
    expect(marketing).toMatchObject({
      legalBases: ['legitimate-interest', 'consent'],
      categories: [{ id: 'identification', description: expect.stringContaining('email') }],
      recipients: ['Outil CRM'],
      retention: [
        expect.objectContaining({ roles: ['client'], activeUntil: 'lastContact + P3Y' }),
        expect.objectContaining({
          roles: ['prospect'],
          stoppedBy: ['consentWithdrawn', 'objection'],
          then: expect.stringContaining('ask to renew'),
        }),
      ],
    });
    const access = register.activities.find((a) => a.purpose === 'platform-access')!;
    expect(access.retention[0]).toMatchObject({
      activeUntil: 'accountEnd',
      then: 'archive P5Y, then erase',
    });
    expect(register.activities.find((a) => a.purpose === 'collections-litigation')).toMatchObject({
      heldByDisputes: true,
    });
    expect(register.storage[2].transfers).toContain('clauses contractuelles types');
  });

  it('reads as the checked-in Markdown for the seed policy', () => {
    expect(registerMarkdown(register)).toBe(readFileSync(SNAPSHOT, 'utf8'));
  });
});
