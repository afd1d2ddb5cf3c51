package optout.pad.iso;

/**
 * An ISO/IEC 19794-7 record that cannot be read. The message says what is wrong and at which byte,
 * and names fields only: it never repeats a coordinate, pressure or time from the record, since
 * these are biometric data and messages end up in logs.
 */
public final class InvalidIsoRecordException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  private final int offset;

  InvalidIsoRecordException(String problem, int offset) {
    super("Cannot read the ISO/IEC 19794-7 record: " + problem + " (at byte " + offset + ")");
    this.offset = offset;
  }

  /** The byte of the record where the fault lies (its start, for a field). */
  public int offset() {
    return offset;
  }
}
