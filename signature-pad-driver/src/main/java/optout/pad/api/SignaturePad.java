package optout.pad.api;

import java.awt.image.BufferedImage;

/**
 * A signature pad: a surface that measures a pen and, on most pads, a screen that shows the signer what
 * they are signing. Obtained from a driver's factory (for Wacom STU pads: {@code optout.pad.stu.StuPads});
 * closing it releases the device.
 *
 * <p>One capture at a time. Calls are thread-safe; listeners are called on the pad's own reader thread and
 * must return quickly.
 */
public interface SignaturePad extends AutoCloseable {

  /** Which device this is, as it describes itself. */
  DeviceInfo device();

  /** What it measures and the size of its screen. */
  Capabilities capabilities();

  /**
   * Shows an image on the pad's screen, scaled to fit with its proportions kept. A pad without a screen
   * refuses with {@link PadException}.
   */
  void show(BufferedImage image) throws PadException;

  /** Blanks the pad's screen. */
  void clearScreen() throws PadException;

  /**
   * Shows the signing screen (the request's prompt above a signing box, and OK, Clear and Cancel
   * buttons), turns inking on and starts recording. The capture ends when the signer taps OK or Cancel
   * on the pad, when the caller ends it, or when the device is lost.
   *
   * @throws PadException if the device refuses or a capture is already running
   */
  CaptureSession startCapture(CaptureRequest request, CaptureListener listener) throws PadException;

  /** Ends any running capture (as cancelled) and releases the device. */
  @Override
  void close();
}
