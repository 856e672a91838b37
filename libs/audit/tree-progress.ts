import { comparePositions, type EventStore } from '../event-store';
import type { SqliteAuditTree } from './tree-store/sqlite-audit-tree';

const POLL_MS = 20;

/**
 * True once the audit tree has a leaf for every event the log held when called; false after
 * `timeoutMs`. Read through the tree's file, so it holds whichever thread appends.
 */
export async function waitForTreeHead(
  store: EventStore,
  tree: SqliteAuditTree,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  let target = tree.head().position;
  // The log's head now: read forward from the tree's head, a page at a time.
  for (;;) {
    const page = await store.readAll({ after: target, maxCount: 1000 });
    if (page.length === 0) break;
    target = page.at(-1)!.position;
    if (performance.now() > deadline) return false;
  }
  for (;;) {
    const at = tree.head().position;
    if (!target || (at && comparePositions(at, target) >= 0)) return true;
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
