package optout.pad.stu;

import java.nio.charset.StandardCharsets;

/**
 * The STU report protocol: report IDs, their sizes (the ID byte included), and the layouts of what the
 * driver sends and reads. Written from the publicly available STU SDK headers and Wacom's samples; pen
 * data and capabilities are big-endian, rectangles, colours and image block lengths little-endian.
 */
final class StuReports {

  static final int PEN_DATA = 0x01;
  static final int STATUS = 0x03;
  static final int RESET = 0x04;
  static final int INFORMATION = 0x08;
  static final int CAPABILITY = 0x09;
  static final int UID2 = 0x0B;
  static final int CLEAR_SCREEN = 0x20;
  static final int INKING_MODE = 0x21;
  static final int START_IMAGE_DATA = 0x25;
  static final int IMAGE_DATA_BLOCK = 0x26;
  static final int END_IMAGE_DATA = 0x27;
  static final int PEN_DATA_OPTION_MODE = 0x32;
  static final int PEN_DATA_TIME_COUNT_SEQUENCE = 0x34;

  static final int PEN_DATA_SIZE = 7;
  static final int PEN_DATA_TIME_COUNT_SEQUENCE_SIZE = 11;
  static final int STATUS_SIZE = 5;
  static final int INFORMATION_SIZE = 17;
  static final int CAPABILITY_SIZE = 17;
  static final int UID2_SIZE = 11;
  /** Image blocks travel in 256-byte reports over HID: ID, a 2-byte length, up to 253 bytes of image. */
  static final int IMAGE_BLOCK_REPORT_SIZE = 256;
  static final int IMAGE_BLOCK_MAX_DATA = IMAGE_BLOCK_REPORT_SIZE - 3;

  static final int STATUS_READY = 0x00;
  static final int STATUS_IMAGE = 0x01;
  static final int STATUS_CAPTURE = 0x02;
  static final int STATUS_CALCULATION = 0x03;
  static final int STATUS_IMAGE_BOOT = 0x04;
  static final int STATUS_ROM_BUSY = 0x05;
  static final int STATUS_SYSTEM_RESET = 0xFF;

  static final int ERROR_NONE = 0x00;
  static final int ERROR_WRONG_REPORT_ID = 0x01;
  static final int ERROR_WRONG_STATE = 0x02;
  static final int ERROR_BAD_PARAMETER = 0x04;
  static final int ERROR_IMAGE_TOO_LONG = 0x11;

  static final int PEN_OPTION_NONE = 0x00;
  static final int PEN_OPTION_TIME_COUNT_SEQUENCE = 0x03;
  static final int END_IMAGE_COMMIT = 0x00;
  static final int END_IMAGE_ABANDON = 0x01;

  private StuReports() {}

  /** The pad's status: what it is doing and how the last command went. */
  record Status(int code, int lastResult) {

    static Status decode(byte[] report) {
      require(report, STATUS, STATUS_SIZE, "Status");
      return new Status(report[1] & 0xFF, report[2] & 0xFF);
    }

    byte[] encode() {
      return new byte[] {STATUS, (byte) code, (byte) lastResult, 0, 0};
    }
  }

  /** The Information report: model name (9 ASCII bytes, NUL padded) and firmware version. */
  record Information(String modelName, int firmwareMajor, int firmwareMinor) {

    static Information decode(byte[] report) {
      require(report, INFORMATION, INFORMATION_SIZE, "Information");
      int end = 1;
      while (end < 10 && report[end] != 0) {
        end++;
      }
      String name = new String(report, 1, end - 1, StandardCharsets.US_ASCII);
      if (name.isEmpty() || !name.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
        throw new MalformedReportException("the Information report's model name is not printable ASCII");
      }
      return new Information(name, report[10] & 0xFF, report[11] & 0xFF);
    }

    byte[] encode() {
      byte[] report = new byte[INFORMATION_SIZE];
      report[0] = INFORMATION;
      byte[] name = modelName.getBytes(StandardCharsets.US_ASCII);
      System.arraycopy(name, 0, report, 1, Math.min(9, name.length));
      report[10] = (byte) firmwareMajor;
      report[11] = (byte) firmwareMinor;
      return report;
    }

    String firmware() {
      return firmwareMajor + "." + String.format("%02X", firmwareMinor);
    }
  }

  /** The Capability report: digitiser range, pressure, screen, report rate and resolution (per inch). */
  record Capability(int tabletMaxX, int tabletMaxY, int tabletMaxPressure, int screenWidth, int screenHeight,
      int maxReportRate, int resolutionPerInch) {

    static Capability decode(byte[] report) {
      require(report, CAPABILITY, CAPABILITY_SIZE, "Capability");
      Capability capability = new Capability(u16be(report, 1), u16be(report, 3), u16be(report, 5), u16be(report, 7),
          u16be(report, 9), report[11] & 0xFF, u16be(report, 12));
      if (capability.tabletMaxX == 0 || capability.tabletMaxY == 0 || capability.tabletMaxPressure == 0
          || capability.screenWidth == 0 || capability.screenHeight == 0) {
        throw new MalformedReportException("the Capability report has a zero range or screen size");
      }
      return capability;
    }

    byte[] encode() {
      byte[] report = new byte[CAPABILITY_SIZE];
      report[0] = CAPABILITY;
      putU16be(report, 1, tabletMaxX);
      putU16be(report, 3, tabletMaxY);
      putU16be(report, 5, tabletMaxPressure);
      putU16be(report, 7, screenWidth);
      putU16be(report, 9, screenHeight);
      report[11] = (byte) maxReportRate;
      putU16be(report, 12, resolutionPerInch);
      return report;
    }
  }

  /**
   * One pen report: 0x01 (position and pressure only) or 0x34 (with the 1 ms time count and the report
   * sequence number, both 16 bits). {@code timeCount} and {@code sequence} are -1 in a plain 0x01 report.
   */
  record Pen(boolean inRange, boolean touching, int pressure, int x, int y, int timeCount, int sequence) {

    static Pen decode(byte[] report) {
      if (report == null || report.length == 0) {
        throw new MalformedReportException("an empty input report");
      }
      int id = report[0] & 0xFF;
      int size = switch (id) {
        case PEN_DATA -> PEN_DATA_SIZE;
        case PEN_DATA_TIME_COUNT_SEQUENCE -> PEN_DATA_TIME_COUNT_SEQUENCE_SIZE;
        default -> throw new MalformedReportException("input report 0x" + hex(id) + " is not pen data");
      };
      // hidapi may hand over a longer buffer (padded to the descriptor's size); a shorter one is truncated
      if (report.length < size) {
        throw new MalformedReportException("pen report 0x" + hex(id) + " is truncated: " + report.length + " of " + size + " bytes");
      }
      int first = report[1] & 0xFF;
      boolean inRange = (first & 0x80) != 0;
      boolean touching = (first & 0x70) != 0;
      int pressure = ((first & 0x0F) << 8) | (report[2] & 0xFF);
      if (touching && !inRange) {
        throw new MalformedReportException("pen report 0x" + hex(id) + " says touching but out of range");
      }
      boolean timed = id == PEN_DATA_TIME_COUNT_SEQUENCE;
      return new Pen(inRange, touching, pressure, u16be(report, 3), u16be(report, 5),
          timed ? u16be(report, 7) : -1, timed ? u16be(report, 9) : -1);
    }

    byte[] encode() {
      boolean timed = timeCount >= 0;
      byte[] report = new byte[timed ? PEN_DATA_TIME_COUNT_SEQUENCE_SIZE : PEN_DATA_SIZE];
      report[0] = (byte) (timed ? PEN_DATA_TIME_COUNT_SEQUENCE : PEN_DATA);
      report[1] = (byte) ((inRange ? 0x80 : 0) | (touching ? 0x10 : 0) | ((pressure >> 8) & 0x0F));
      report[2] = (byte) pressure;
      putU16be(report, 3, x);
      putU16be(report, 5, y);
      if (timed) {
        putU16be(report, 7, timeCount);
        putU16be(report, 9, sequence);
      }
      return report;
    }
  }

  /** An input or feature report the driver cannot make sense of. */
  static final class MalformedReportException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    MalformedReportException(String message) {
      super(message);
    }
  }

  static byte[] command(int reportId, int value) {
    return new byte[] {(byte) reportId, (byte) value};
  }

  /** One image block report: the ID, the data length (little-endian) and the data, zero padded. */
  static byte[] imageBlock(byte[] image, int offset, int length) {
    if (length <= 0 || length > IMAGE_BLOCK_MAX_DATA) {
      throw new IllegalArgumentException("Cannot make an image block: " + length + " bytes (1 to " + IMAGE_BLOCK_MAX_DATA + ")");
    }
    byte[] report = new byte[IMAGE_BLOCK_REPORT_SIZE];
    report[0] = IMAGE_DATA_BLOCK;
    report[1] = (byte) length;
    report[2] = (byte) (length >> 8);
    System.arraycopy(image, offset, report, 3, length);
    return report;
  }

  static void require(byte[] report, int id, int size, String name) {
    if (report == null || report.length < size) {
      throw new MalformedReportException("the " + name + " report is truncated: " + (report == null ? 0 : report.length)
          + " of " + size + " bytes");
    }
    if ((report[0] & 0xFF) != id) {
      throw new MalformedReportException("expected the " + name + " report (0x" + hex(id) + "), got 0x" + hex(report[0] & 0xFF));
    }
  }

  static int u16be(byte[] data, int offset) {
    return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
  }

  static void putU16be(byte[] data, int offset, int value) {
    data[offset] = (byte) (value >> 8);
    data[offset + 1] = (byte) value;
  }

  static String hex(int value) {
    return String.format("%02X", value);
  }
}
