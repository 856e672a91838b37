import { systemsHolding, type SystemsRegistry } from './downstream-systems';
import type { CommandRow, CommandStatus } from './sqlite-command-store';

export interface DownstreamCommandView {
  readonly system: string;
  readonly action: string;
  readonly commandId: string;
  readonly status: CommandStatus;
  readonly dueBy: string | null;
  readonly acknowledgedAt: string | null;
}

/** Where the other systems stand on one record: what they were told, and what they did. */
export interface RecordDownstream {
  readonly pending: readonly DownstreamCommandView[];
  readonly acknowledged: readonly DownstreamCommandView[];
}

export function recordDownstream(rows: readonly CommandRow[]): RecordDownstream {
  const view = (r: CommandRow): DownstreamCommandView => ({
    system: r.system,
    action: r.action,
    commandId: r.commandId,
    status: r.status,
    dueBy: r.dueBy,
    acknowledgedAt: r.acknowledgedAt,
  });
  return {
    pending: rows.filter((r) => r.status !== 'acknowledged').map(view),
    acknowledged: rows.filter((r) => r.status === 'acknowledged').map(view),
  };
}

/**
 * Fully erased: the key is destroyed (the record's phase says so) and every system that
 * holds the category has acknowledged an erasure of the record, none still outstanding.
 */
export function isFullyErased(
  phase: string,
  category: string,
  rows: readonly CommandRow[],
  registry: SystemsRegistry,
): boolean {
  if (phase !== 'erased') return false;
  return systemsHolding(registry, category).every((system) => {
    const erasures = rows.filter((r) => r.system === system.id && r.action === 'erase');
    return erasures.length > 0 && erasures.every((r) => r.status === 'acknowledged');
  });
}
