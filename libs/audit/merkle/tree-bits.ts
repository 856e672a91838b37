// Bit arithmetic on BigInt tree sizes and indices (a log may pass 2^53 leaves in theory,
// and a verifier must accept any 64-bit index an outside proof names).

/** The number of binary digits of n; 0 for 0. */
export function bitLength(n: bigint): number {
  // Math.clz32 below 2^32, where nearly every call falls: toString(2) there cost more than
  // the stored-hash lookups of a proof (measured with a CPU profile of inclusionProof).
  return n <= 0xffffffffn ? 32 - Math.clz32(Number(n)) : n.toString(2).length;
}

/** The number of set bits of n (n >= 0). */
export function popCount(n: bigint): number {
  let count = 0;
  for (let rest = n; rest > 0n; rest >>= 1n) if (rest & 1n) count++;
  return count;
}

/** RFC 9162 2.1.1: k, the largest power of two smaller than n (n >= 2). */
export function splitPoint(n: bigint): bigint {
  return 1n << BigInt(bitLength(n - 1n) - 1);
}

export interface SubtreePosition {
  level: number;
  index: bigint;
}

/**
 * The perfect subtrees that together cover leaves [begin, begin + size), biggest first.
 * begin must be a multiple of the biggest one (true of every range the RFC's recursion
 * splits off, which always starts on a boundary of a power of two at least its size).
 */
export function perfectSubtreesCovering(begin: bigint, size: bigint): SubtreePosition[] {
  // One pass over the binary digits of size; BigInt arithmetic only for the set ones.
  const digits = size.toString(2);
  const positions: SubtreePosition[] = [];
  let start = begin;
  for (let i = 0; i < digits.length; i++) {
    if (digits[i] !== '1') continue;
    const level = BigInt(digits.length - 1 - i);
    positions.push({ level: Number(level), index: start >> level });
    start += 1n << level;
  }
  return positions;
}
