import type { KeyVault } from '../../crypto/key-vault.port';
import type { Clock } from '../../domain/clock';
import type { SubjectLinkForgottenData } from '../../domain/events/ledger-written-events';
import type { EventStore } from '../../event-store';
import type { LifecycleFaults } from '../saga/lifecycle-faults';
import { appendOnce, commandEvent } from './command-events';
import { linkForgottenIdOf } from './downstream-commands';
import type { SqliteCommandStore } from './sqlite-command-store';

export interface ForgetDeps {
  readonly store: EventStore;
  readonly commands: SqliteCommandStore;
  readonly vault: Pick<KeyVault, 'forgetSubject'>;
  readonly clock: Clock;
  readonly faults: LifecycleFaults;
}

const PAGE = 100;

/**
 * Forgets for good the platform ids kept past a subject's last erasure once every command
 * about the subject is acknowledged, then writes `SubjectLinkForgotten`. The vault forgets
 * first: a crash before the event leaves the link listed, and the next step forgets again
 * (a no-op) and writes it. Returns how many it forgot.
 */
export async function forgetKeptLinks(deps: ForgetDeps): Promise<number> {
  const { store, commands, vault, clock, faults } = deps;
  await commands.catchUp(store);
  let forgotten = 0;
  for (;;) {
    const links = commands.linksNoLongerNeeded(PAGE);
    if (links.length === 0) return forgotten;
    for (const link of links) {
      await vault.forgetSubject(link.subject);
      faults.reached('link-forgotten');
      const at = clock.now().toISOString();
      const eventId = linkForgottenIdOf(link.factEventId);
      const data: SubjectLinkForgottenData = { factEventId: link.factEventId, forgottenAt: at };
      const event = commandEvent(eventId, 'SubjectLinkForgotten', link.subject, at, data);
      if (await appendOnce(store, link.subject, event)) forgotten++;
      commands.linkNoLongerKept(link);
    }
  }
}
