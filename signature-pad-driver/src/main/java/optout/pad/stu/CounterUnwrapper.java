package optout.pad.stu;

/**
 * Turns a 16-bit counter that wraps (the pad's 1 ms time count, its report sequence number) into a
 * count that only grows. Between two reports the counter may have wrapped more than once: the pen can
 * leave the pad's range for over 65.5 s, and then nothing is reported at all. The host's own monotonic
 * clock tells how many whole turns passed; the counter gives the exact remainder.
 */
final class CounterUnwrapper {

  private static final int TURN = 1 << 16;

  private final double hostNanosPerCount;
  private long total = -1;
  private int last;
  private long lastHostNanos;

  /** @param hostNanosPerCount how long one count lasts on the host's clock (0 if it is not a clock) */
  CounterUnwrapper(double hostNanosPerCount) {
    this.hostNanosPerCount = hostNanosPerCount;
  }

  /** The unwrapped count for a raw 16-bit value seen at a host time (System.nanoTime). */
  long next(int raw, long hostNanos) {
    if (raw < 0 || raw >= TURN) {
      throw new IllegalArgumentException("Cannot unwrap a counter: " + raw + " is not a 16-bit value");
    }
    if (total < 0) {
      total = 0;
    } else {
      long delta = (raw - last) & (TURN - 1);
      if (hostNanosPerCount > 0) {
        double elapsedCounts = (hostNanos - lastHostNanos) / hostNanosPerCount;
        delta += Math.max(0, Math.round((elapsedCounts - delta) / TURN)) * TURN;
      }
      total += delta;
    }
    last = raw;
    lastHostNanos = hostNanos;
    return total;
  }

  /** How far the last value moved on from the one before (1 for consecutive sequence numbers). */
  static int step(int previous, int raw) {
    return (raw - previous) & (TURN - 1);
  }
}
