package optout.witness.protocol;

import java.util.Objects;
import java.util.OptionalLong;

/**
 * Why the witness does not cosign, as the c2sp.org/tlog-witness status it answers with. The message is for
 * the submitting log's operators; it never contains key material.
 */
public final class WitnessRefusal extends Exception {

  private static final long serialVersionUID = 1L;

  /** The protocol's answers other than 200. */
  public enum Status {
    /** The body breaks the request syntax, or the old size exceeds the checkpoint's. */
    BAD_REQUEST(400),
    /** No valid signature by a key the witness trusts for the origin. */
    FORBIDDEN(403),
    /** The origin is not a log this witness witnesses. */
    NOT_FOUND(404),
    /** The old size is not the size of the latest checkpoint the witness cosigned; {@link #heldSize()} says which. */
    CONFLICT(409),
    /** The body exceeds the size limit. */
    TOO_LARGE(413),
    /** The checkpoint is not consistent with what the witness cosigned (or the empty tree's root is wrong). */
    UNPROCESSABLE(422);

    private final int code;

    Status(int code) {
      this.code = code;
    }

    public int code() {
      return code;
    }
  }

  private final Status status;
  private final long heldSize;

  private WitnessRefusal(Status status, String message, long heldSize) {
    super(message);
    this.status = Objects.requireNonNull(status);
    this.heldSize = heldSize;
  }

  static WitnessRefusal of(Status status, String message) {
    if (status == Status.CONFLICT) {
      throw new IllegalArgumentException("Cannot refuse with 409 without the size held: use conflict()");
    }
    return new WitnessRefusal(status, message, -1);
  }

  static WitnessRefusal conflict(long heldSize, long claimedOldSize) {
    return new WitnessRefusal(Status.CONFLICT, "The witness's latest cosigned checkpoint has " + heldSize
        + " leaves, not " + claimedOldSize, heldSize);
  }

  public Status status() {
    return status;
  }

  /** On 409, the size of the latest checkpoint the witness cosigned for the log. */
  public OptionalLong heldSize() {
    return heldSize < 0 ? OptionalLong.empty() : OptionalLong.of(heldSize);
  }
}
