package optout.pad.api;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** A running capture on a pad: wait for it to end, or end it from the application. */
public interface CaptureSession {

  /**
   * Waits until the capture has ended and returns how.
   *
   * @throws TimeoutException if it has not ended within the timeout; the capture goes on
   */
  CaptureResult await(Duration timeout) throws InterruptedException, TimeoutException;

  /** Ends the capture as the OK button would (for an application's own OK button). */
  void confirm();

  /** Ends the capture as the Cancel button would; the samples are discarded. */
  void cancel();

  /** Discards what has been written so far and clears the ink, as the Clear button would. */
  void clear();
}
