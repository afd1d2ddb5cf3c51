package optout.registry.snapshot;

/**
 * The one rule for a snapshot's values, shared by writer and reader so they cannot drift apart:
 * each is a layer-1 pseudonym (11 digits, first digit 1) and greater than the one before, which
 * makes the sequence sorted and distinct. Answers problems as text so that the writer can throw
 * {@link IllegalArgumentException} (a caller's error) and the reader {@link SnapshotFormatException}
 * (a bad file). The text names the position, never the value.
 */
final class PseudonymOrder {

  private long previous;
  private long count;

  /** The problem with the next value, or null if it is fine (then it counts as accepted). */
  String accept(long value) {
    long position = count + 1;
    if (value < ExclusionSnapshot.MIN_PSEUDONYM || value > ExclusionSnapshot.MAX_PSEUDONYM) {
      return "value " + position + " is not a layer-1 pseudonym (an 11-digit number starting with 1)";
    }
    if (count > 0 && value == previous) {
      return "value " + position + " repeats the one before it (pseudonyms must be distinct)";
    }
    if (count > 0 && value < previous) {
      return "value " + position + " is smaller than the one before it (pseudonyms must be in ascending order)";
    }
    previous = value;
    count++;
    return null;
  }

  long count() {
    return count;
  }
}
