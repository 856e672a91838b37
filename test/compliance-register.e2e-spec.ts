import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KEYS, startLedger, type Ledger } from './support/ledger-harness';

const SNAPSHOT = readFileSync(join(__dirname, '../docs/processing-register.2023-01-24.md'), 'utf8');

describe('GET /v1/compliance/register', () => {
  let ledger: Ledger;
  afterEach(() => ledger?.close());

  const get = (query: string, key: string, accept?: string) =>
    fetch(`${ledger.url}/v1/compliance/register${query}`, {
      headers: { authorization: `Bearer ${key}`, ...(accept ? { accept } : {}) },
    });

  it('answers the policy in force as JSON, or as Markdown when asked', async () => {
    ledger = await startLedger();
    const json = await get('', KEYS.compliance);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toContain('application/json');
    const register: any = await json.json();
    expect(register.policy.version).toBe('2023-01-24');
    expect(register.activities.map((a: any) => a.purpose)).toContain('legal-invoices');
    expect(register.storage).toHaveLength(3);

    for (const response of [
      await get('?format=markdown', KEYS.compliance),
      await get('', KEYS.admin, 'text/markdown'),
    ]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/markdown');
      expect(await response.text()).toBe(SNAPSHOT);
    }
    expect((await get('?format=pdf', KEYS.compliance)).status).toBe(400);
    expect((await get('', KEYS.auditor)).status).toBe(403);
    expect((await get('', KEYS.publisher)).status).toBe(403);
  }, 30_000);
});
