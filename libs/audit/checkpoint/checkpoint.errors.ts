/**
 * Errors of checkpoints and signed notes, with a stable `code` for the HTTP layer and the
 * CLI. Messages name the line and the reason, never a private key.
 */
export abstract class CheckpointError extends Error {
  abstract readonly code: string;
}

/** A checkpoint body that is not C2SP tlog-checkpoint text. */
export class CheckpointFormatError extends CheckpointError {
  readonly code = 'CHECKPOINT.MALFORMED';
  constructor(
    /** 1-based line of the body, when one line is at fault. */
    readonly line: number | undefined,
    readonly reason: string,
  ) {
    super(
      line === undefined
        ? `malformed checkpoint: ${reason}`
        : `malformed checkpoint, line ${line}: ${reason}`,
    );
    this.name = 'CheckpointFormatError';
  }
}

export type NoteProblem =
  /** Not C2SP signed-note syntax. */
  | 'NOTE.MALFORMED'
  /** Well formed, but no signature is by a key the reader knows. */
  | 'NOTE.NO_KNOWN_SIGNATURE'
  /** A signature by a known key does not verify: the note was altered or forged. */
  | 'NOTE.INVALID_SIGNATURE'
  /** The reader was given two verifiers with one name and key id. */
  | 'NOTE.AMBIGUOUS_KEY'
  /** A signer or a verifier key that cannot be used (bad name, id, algorithm or length). */
  | 'NOTE.BAD_KEY';

export class NoteError extends CheckpointError {
  constructor(
    readonly code: NoteProblem,
    message: string,
  ) {
    super(message);
    this.name = 'NoteError';
  }
}

/** The checkpoint signing key is missing or unusable; the message never contains the key. */
export class SigningKeyError extends CheckpointError {
  readonly code = 'CHECKPOINT.SIGNING_KEY';
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

export function isCheckpointError(error: unknown): error is CheckpointError {
  return error instanceof CheckpointError;
}
