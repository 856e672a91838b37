import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { encodeLedgerEvent } from '../../domain/events/ledger-event';
import { SqliteAuditTree } from './sqlite-audit-tree';

const fact = (i: number, type: string) => ({
  position: { commit: BigInt(i + 1), prepare: BigInt(i + 1) },
  eventId: `e-${i}`,
  type,
  data: encodeLedgerEvent({
    v: 1,
    eventId: `e-${i}`,
    type,
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: `2026-01-0${i + 1}T00:00:00.000Z`,
    source: 'ledger',
    data: {},
  }),
});

describe('the audit tree file, version 2', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'audit-schema-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('indexes the four lifecycle actions; the erasure log still lists erasures and archivings', () => {
    const tree = SqliteAuditTree.open(join(dir, 'audit-tree.db'));
    tree.append(
      [
        'RecordErased',
        'RecordArchived',
        'ErasureDeferred',
        'RenewalRequested',
        'AccountCreated',
      ].map((type, i) => fact(i, type)),
    );
    expect(tree.countFacts('2026-01-01T00:00:00.000Z', '2026-01-09T00:00:00.000Z')).toEqual({
      RecordErased: 1,
      RecordArchived: 1,
      ErasureDeferred: 1,
      RenewalRequested: 1,
    });
    expect(tree.countFacts('2026-01-02T00:00:00.000Z', '2026-01-04T00:00:00.000Z')).toEqual({
      RecordArchived: 1,
      ErasureDeferred: 1,
    });
    expect(tree.lifecycleFacts({ limit: 10 }).map((f) => f.type)).toEqual([
      'RecordErased',
      'RecordArchived',
    ]);
    tree.close();
  });

  it('empties a version-1 file, which skipped two of the types: the projection rebuilds it', () => {
    const file = join(dir, 'audit-tree.db');
    const tree = SqliteAuditTree.open(file);
    tree.append([fact(0, 'RecordErased'), fact(1, 'ErasureDeferred')]);
    tree.close();
    const raw = new Database(file);
    raw.pragma('user_version = 1');
    raw.close();

    const reopened = SqliteAuditTree.open(file);
    expect(reopened.head()).toEqual({ size: 0n });
    expect(reopened.countFacts('', '\uffff')).toEqual({});
    reopened.close();
  });
});
