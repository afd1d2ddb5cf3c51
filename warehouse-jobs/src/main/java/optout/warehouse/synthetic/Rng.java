package optout.warehouse.synthetic;

/**
 * A small, fully specified pseudo-random generator (SplitMix64), so that the synthetic data depends on
 * nothing but the seed: not on the JVM, not on {@link java.util.SplittableRandom}'s implementation,
 * not on how the persons are split into partitions. Not for cryptography.
 */
final class Rng {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long state;

  Rng(long seed) {
    this.state = seed;
  }

  /** The generator of one stream of one person: the same (seed, index, stream) always starts it alike. */
  static Rng of(long seed, long index, long stream) {
    return new Rng(mix(mix(mix(seed) + index * GOLDEN) ^ (stream * 0xD1B54A32D192ED03L)));
  }

  /** SplitMix64's finaliser: a bijection of the 64-bit values that mixes every bit into every other. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  long nextLong() {
    state += GOLDEN;
    return mix(state);
  }

  /** Uniform in [0, 1). */
  double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /** Uniform in [0, bound), bound > 0. */
  int nextInt(int bound) {
    return (int) (((nextLong() >>> 32) * bound) >>> 32);
  }

  /** Uniform in [low, high]. */
  int between(int low, int high) {
    return low + nextInt(high - low + 1);
  }

  boolean chance(double probability) {
    return nextDouble() < probability;
  }

  /** Standard normal (Box-Muller, one of the pair). */
  double gaussian() {
    double u = 1.0 - nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * nextDouble());
  }

  double logNormal(double median, double sigma) {
    return median * Math.exp(sigma * gaussian());
  }

  /** Gamma with shape 2 and mean 1 (the sum of two exponentials, halved): person-level frailty. */
  double gammaTwo() {
    return -0.5 * (Math.log(1.0 - nextDouble()) + Math.log(1.0 - nextDouble()));
  }

  /** Poisson: Knuth's product method for small means, a rounded normal for large ones. */
  int poisson(double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 40) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian()));
    }
    double limit = Math.exp(-mean);
    double product = nextDouble();
    int count = 0;
    while (product > limit) {
      product *= nextDouble();
      count++;
    }
    return count;
  }

  /** An index in [0, size) skewed towards 0: index 0 is the most popular, as with clinics or employers. */
  int skewed(int size, double power) {
    return Math.min(size - 1, (int) (size * Math.pow(nextDouble(), power)));
  }
}
