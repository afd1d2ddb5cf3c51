package optout.pad.api;

/**
 * Sees a capture live, on the pad's reader thread. Every method has an empty default; implement what you
 * need and return quickly.
 */
public interface CaptureListener {

  /** A sample that belongs to the signature (samples of a tap on a button do not). */
  default void sample(PenSample sample) {}

  /** The signer tapped a button on the pad's screen. */
  default void button(PadButton button) {}

  /** What was written so far was discarded (the Clear button, or {@link CaptureSession#clear()}). */
  default void cleared() {}

  /** The device skipped sequence numbers: reports were lost between the device and us. */
  default void gap(SequenceGap gap) {}

  /** The capture ended; called once, last. */
  default void ended(CaptureResult result) {}

  /** A listener that listens to nothing. */
  CaptureListener NONE = new CaptureListener() {};
}
