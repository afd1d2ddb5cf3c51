package optout.warehouse.synthetic;

/**
 * A keyed permutation of [0, domain): a balanced Feistel network over the smallest even number of bits
 * that covers the domain, with cycle walking to stay inside it. A permutation, so distinct inputs never
 * meet: that is what makes the synthetic national IDs and claim numbers unique without any coordination
 * between partitions. Not for cryptography (the round function is SplitMix64).
 */
final class Feistel {

  private static final int ROUNDS = 4;

  private final long domain;
  private final int halfBits;
  private final long halfMask;
  private final long[] roundKeys = new long[ROUNDS];

  Feistel(long key, long domain) {
    if (domain < 4 || domain > (1L << 62)) {
      throw new IllegalArgumentException("Cannot permute a domain of " + domain);
    }
    this.domain = domain;
    int bits = 64 - Long.numberOfLeadingZeros(domain - 1);
    this.halfBits = (bits + 1) / 2;
    this.halfMask = (1L << halfBits) - 1;
    for (int round = 0; round < ROUNDS; round++) {
      roundKeys[round] = Rng.mix(key + 0x632BE59BD9B4E019L * (round + 1));
    }
  }

  long domain() {
    return domain;
  }

  long apply(long value) {
    if (value < 0 || value >= domain) {
      throw new IllegalArgumentException("Cannot permute " + value + ": outside [0, " + domain + ")");
    }
    long result = value;
    do {
      result = encrypt(result);
    } while (result >= domain);
    return result;
  }

  private long encrypt(long value) {
    long left = value >>> halfBits;
    long right = value & halfMask;
    for (long roundKey : roundKeys) {
      long next = left ^ (Rng.mix(right ^ roundKey) & halfMask);
      left = right;
      right = next;
    }
    return (left << halfBits) | right;
  }
}
