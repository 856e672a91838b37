import type { KeyVault } from '../../../libs/crypto/key-vault.port';

/** A subject id the vault has no pseudonym for (never seen, or forgotten once erased). */
export class UnknownSubjectError extends Error {
  readonly code = 'SUBJECT.UNKNOWN';
  constructor() {
    // Names no id: the subject id is the platform's, and personal.
    super('subjectId: no subject with this id is known to the ledger');
    this.name = 'UnknownSubjectError';
  }
}

/** The pseudonym of a subject the ledger knows; never creates one. */
export async function pseudonymOfKnownSubject(vault: KeyVault, subjectId: string): Promise<string> {
  const pseudonym = await vault.pseudonymOf(subjectId, { create: false });
  if (pseudonym === undefined) throw new UnknownSubjectError();
  return pseudonym;
}
