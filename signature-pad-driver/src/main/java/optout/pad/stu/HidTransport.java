package optout.pad.stu;

import java.io.IOException;

/**
 * The bytes between the driver and a HID device. Every report is whole: byte 0 is the report ID. A real
 * device is reached through hidapi ({@link Hid4JavaTransport}); the virtual STU device implements this
 * same interface, so the driver above it cannot tell them apart.
 *
 * <p>{@link #read} runs on the driver's reader thread while feature reports are exchanged on callers'
 * threads; implementations must allow that (hidraw and hidapi do).
 */
interface HidTransport extends AutoCloseable {

  /** Reads a feature report of {@code length} bytes (the ID included). */
  byte[] getFeature(int reportId, int length) throws IOException;

  /** Sends a feature report; {@code report[0]} is its ID. */
  void setFeature(byte[] report) throws IOException;

  /**
   * The next input report, or {@code null} if none arrived within the timeout.
   *
   * @throws IOException if the device is gone
   */
  byte[] read(int timeoutMillis) throws IOException;

  @Override
  void close();
}
