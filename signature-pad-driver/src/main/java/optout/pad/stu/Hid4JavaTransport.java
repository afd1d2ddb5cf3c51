package optout.pad.stu;

import java.io.IOException;
import java.util.Arrays;
import org.hid4java.HidDevice;

/**
 * A real USB HID device through hid4java (hidapi: hidraw on Linux). hidapi takes feature reports without
 * their ID byte and returns the count with it; input reports of numbered devices come with their ID
 * first, as the driver expects.
 */
final class Hid4JavaTransport implements HidTransport {

  /** The STU's longest input report (an encrypted one) is 17 bytes; room to spare. */
  private static final int INPUT_BUFFER = 64;

  private final HidDevice device;

  Hid4JavaTransport(HidDevice device) throws IOException {
    this.device = device;
    if (!device.isOpen() && !device.open()) {
      throw new IOException("cannot open " + device.getPath() + ": " + device.getLastErrorMessage()
          + " (on Linux, see the udev rule in the signature-pad-driver README)");
    }
  }

  @Override
  public byte[] getFeature(int reportId, int length) throws IOException {
    byte[] data = new byte[length - 1];
    int read = device.getFeatureReport(data, (byte) reportId);
    if (read < 0) {
      throw new IOException("feature report 0x" + StuReports.hex(reportId) + " failed: " + device.getLastErrorMessage());
    }
    byte[] report = new byte[Math.min(length, Math.max(1, read))];
    report[0] = (byte) reportId;
    System.arraycopy(data, 0, report, 1, report.length - 1);
    return report;
  }

  @Override
  public void setFeature(byte[] report) throws IOException {
    int sent = device.sendFeatureReport(Arrays.copyOfRange(report, 1, report.length), report[0]);
    if (sent < 0) {
      throw new IOException("feature report 0x" + StuReports.hex(report[0] & 0xFF) + " failed: " + device.getLastErrorMessage());
    }
  }

  @Override
  public byte[] read(int timeoutMillis) throws IOException {
    byte[] buffer = new byte[INPUT_BUFFER];
    int read = device.read(buffer, timeoutMillis);
    if (read < 0) {
      throw new IOException(device.getLastErrorMessage());
    }
    return read == 0 ? null : Arrays.copyOf(buffer, read);
  }

  @Override
  public void close() {
    device.close();
  }
}
