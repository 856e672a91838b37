/** Sizes or indices that no tree or proof can have: an index past the tree, a negative size, sizes out of order. */
export class ProofError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofError';
  }
}

/**
 * A perfect subtree whose hash is not stored: the tree asked for is bigger than what was
 * stored. Implementations of PerfectSubtrees throw it from hashAt.
 */
export class MissingSubtreeError extends ProofError {
  constructor(
    readonly level: number,
    readonly index: bigint,
  ) {
    const first = index << BigInt(level);
    const end = first + (1n << BigInt(level));
    super(
      `no stored hash for the perfect subtree at level ${level}, index ${index} (leaves ${first} to ${end - 1n})`,
    );
    this.name = 'MissingSubtreeError';
  }
}
