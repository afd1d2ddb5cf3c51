package optout.registry.log;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The check every holder of checkpoints makes before trusting a new one: it and the newest one the holder
 * verified before are two tree heads of one history. A log that lost signed leaves (a deleted tail, an
 * old backup) or shows this holder another history than before fails it; the log's own database cannot
 * tell, only those who keep what they were shown can.
 */
public final class OneHistory {

  /** Where consistency proofs come from: the log's public API. */
  @FunctionalInterface
  public interface ConsistencyProofs {
    /** The RFC 9162 consistency proof from the tree of {@code fromSize} leaves to that of {@code toSize}. */
    List<Hash> between(long fromSize, long toSize) throws IOException, InterruptedException;
  }

  /** Two checkpoints that cannot both be true of one log. */
  public static final class ForkedHistoryException extends Exception {
    public ForkedHistoryException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private OneHistory() {}

  /**
   * Checks that {@code next} and {@code seen} (both already verified, same origin) are one history: equal
   * roots at equal sizes, otherwise a valid consistency proof from the smaller to the larger. Answers
   * whether {@code next} is newer than {@code seen}.
   *
   * @throws ForkedHistoryException if they differ at one size or the proof fails
   */
  public static boolean check(Checkpoint seen, Checkpoint next, ConsistencyProofs proofs)
      throws ForkedHistoryException, IOException, InterruptedException {
    Objects.requireNonNull(seen, "Cannot compare checkpoints: the one seen before is missing");
    Objects.requireNonNull(next, "Cannot compare checkpoints: the new one is missing");
    if (!seen.origin().equals(next.origin())) {
      throw new IllegalArgumentException("Cannot compare checkpoints of two logs: " + Encodings.excerpt(seen.origin()) + " and "
          + Encodings.excerpt(next.origin()));
    }
    if (seen.size() == next.size()) {
      if (!seen.rootHash().equals(next.rootHash())) {
        throw new ForkedHistoryException("The log signed two different trees of " + next.size() + " leaves: " + seen.rootHash().base64()
            + " seen before, " + next.rootHash().base64() + " now", null);
      }
      return false;
    }
    Checkpoint older = seen.size() < next.size() ? seen : next;
    Checkpoint newer = older == seen ? next : seen;
    try {
      ProofVerifier.verifyConsistency(older.size(), newer.size(), proofs.between(older.size(), newer.size()), older.rootHash(),
          newer.rootHash());
    } catch (ProofException e) {
      throw new ForkedHistoryException("The log's checkpoint of " + older.size() + " leaves is not a prefix of its checkpoint of "
          + newer.size() + " leaves (" + (older == seen ? "the one seen before" : "the new one") + " is the smaller): " + e.getMessage(), e);
    }
    return newer == next;
  }
}
