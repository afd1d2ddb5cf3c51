package optout.pad.api;

import java.util.List;
import java.util.Optional;

/**
 * How a capture ended. Only a confirmed capture carries the signature; a cancelled or failed one keeps
 * nothing of the signer's handwriting.
 *
 * @param ending what ended it
 * @param capture the signature, present exactly when the capture was confirmed
 * @param clears how many times the signer (or the application) started again
 * @param gaps reports lost between the device and us during the returned capture
 * @param rejectedReports reports that arrived but could not be read (truncated, malformed, out of the
 *     pad's range) and so are not in the capture; the sequence gaps show where they were
 * @param failure why the device was lost, empty otherwise
 */
public record CaptureResult(Ending ending, Optional<SignatureCapture> capture, int clears, List<SequenceGap> gaps,
    int rejectedReports, String failure) {

  /** What ended a capture. */
  public enum Ending {
    /** The signer tapped OK on the pad. */
    OK_BUTTON,
    /** The application confirmed it ({@link CaptureSession#confirm()}). */
    CONFIRMED_BY_APPLICATION,
    /** The signer tapped Cancel on the pad. */
    CANCEL_BUTTON,
    /** The application cancelled it, or closed the pad. */
    CANCELLED_BY_APPLICATION,
    /** The device was unplugged or stopped answering. */
    DEVICE_LOST;

    public boolean confirmed() {
      return this == OK_BUTTON || this == CONFIRMED_BY_APPLICATION;
    }
  }

  public CaptureResult {
    if (ending == null || capture == null || gaps == null || failure == null) {
      throw new IllegalArgumentException("Cannot describe a capture's end: ending, capture, gaps and failure are required");
    }
    if (capture.isPresent() != ending.confirmed()) {
      throw new IllegalArgumentException("Cannot describe a capture's end: a signature comes with a confirmed capture and only then");
    }
    if (clears < 0 || rejectedReports < 0) {
      throw new IllegalArgumentException("Cannot describe a capture's end: clears and rejected reports cannot be negative");
    }
    if (failure.isEmpty() == (ending == Ending.DEVICE_LOST)) {
      throw new IllegalArgumentException("Cannot describe a capture's end: a lost device, and only a lost device, has a failure");
    }
    gaps = List.copyOf(gaps);
  }

  public boolean confirmed() {
    return ending.confirmed();
  }
}
