import type { DownstreamSystem, SystemsRegistry } from './downstream-systems';
import { isFullyErased, recordDownstream } from './record-downstream';
import type { CommandRow, CommandStatus } from './sqlite-command-store';

const system = (id: string, categories: string[]): DownstreamSystem => ({
  id,
  categories,
  acknowledgeWithin: 'P1D',
  acknowledgeWithinMs: 86_400_000,
  delivery: { kind: 'pull' },
});
const REGISTRY: SystemsRegistry = {
  systems: [system('crm', ['identification']), system('warehouse', ['identification'])],
};
const row = (system: string, action: CommandRow['action'], status: CommandStatus): CommandRow => ({
  commandId: `${system}-${action}-${status}`,
  system,
  action,
  subject: 'p',
  recordKey: 'account',
  category: 'identification',
  factEventId: 'f',
  status,
  issuedAt: '2030-01-01T00:00:00.000Z',
  dueBy: '2030-01-02T00:00:00.000Z',
  acknowledgedAt: status === 'acknowledged' ? '2030-01-01T01:00:00.000Z' : null,
  tries: 0,
  nextTryAt: 0,
  lastError: null,
});

describe('isFullyErased', () => {
  const both = [row('crm', 'erase', 'acknowledged'), row('warehouse', 'erase', 'acknowledged')];

  it('needs the key destroyed and every system holding the category to have acknowledged', () => {
    expect(isFullyErased('erased', 'identification', both, REGISTRY)).toBe(true);
    expect(isFullyErased('archived', 'identification', both, REGISTRY)).toBe(false);
    expect(isFullyErased('erased', 'identification', both.slice(0, 1), REGISTRY)).toBe(false);
  });
  it('is not met by an acknowledged archive, nor with an erasure still outstanding', () => {
    const archive = [
      row('crm', 'erase', 'acknowledged'),
      row('warehouse', 'archive', 'acknowledged'),
    ];
    expect(isFullyErased('erased', 'identification', archive, REGISTRY)).toBe(false);
    const again = [...both, row('crm', 'erase', 'dead-lettered')];
    expect(isFullyErased('erased', 'identification', again, REGISTRY)).toBe(false);
  });
  it('is the key alone when no system holds the category', () => {
    expect(isFullyErased('erased', 'billing', [], REGISTRY)).toBe(true);
  });
});

describe('recordDownstream', () => {
  it('splits what was acknowledged from what was not', () => {
    const view = recordDownstream([
      row('crm', 'erase', 'pending'),
      row('warehouse', 'erase', 'acknowledged'),
    ]);
    expect(view.pending.map((c) => c.system)).toEqual(['crm']);
    expect(view.acknowledged.map((c) => c.system)).toEqual(['warehouse']);
  });
});
