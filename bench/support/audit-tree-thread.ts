import { parentPort, workerData } from 'node:worker_threads';
import { AuditTreeRunner } from '../../libs/audit/audit-tree-runner';
import { waitForTreeHead } from '../../libs/audit/tree-progress';
import { SqliteAuditTree } from '../../libs/audit/tree-store/sqlite-audit-tree';
import { SqliteEventStore } from '../../libs/event-store/sqlite/sqlite-event-store';

/**
 * The audit tree's runner on a thread of its own, over its own connections to the log and
 * the tree file: where the ledger runs it (the worker thread of src/main.ts). Messages:
 * 'catch-up' (answers 'caught-up' once the tree has the whole log), 'stop' (answers
 * 'stopped').
 */
const { eventsFile, treeFile } = workerData as { eventsFile: string; treeFile: string };
const store = SqliteEventStore.open(eventsFile);
const tree = SqliteAuditTree.open(treeFile);
const runner = new AuditTreeRunner(store, tree);
runner.start();

parentPort!.on('message', (message: string) => {
  void (async () => {
    if (message === 'catch-up') {
      await waitForTreeHead(store, tree, 600_000);
      parentPort!.postMessage('caught-up');
    } else if (message === 'stop') {
      await runner.stop();
      tree.close();
      await store.close();
      parentPort!.postMessage('stopped');
    }
  })();
});
