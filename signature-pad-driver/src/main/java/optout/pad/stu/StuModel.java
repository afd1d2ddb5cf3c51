package optout.pad.stu;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Wacom STU pads this driver speaks to, by USB product ID (vendor 0x056A), and where the families
 * differ. Every value the pad can report about itself (ranges, resolution, screen) is read from its
 * Capability report at open; what is here is what the protocol does not tell.
 *
 * <ul>
 *   <li>430 family: monochrome 320 x 200 screen, images as 1 bit per pixel.
 *   <li>530: colour 800 x 480, images as 16-bit RGB565 (it also takes 24-bit; 16-bit halves the upload).
 *   <li>540: colour 800 x 480, 24-bit BGR images; the only one with a serial mode and larger image blocks,
 *       which plain HID does not use.
 * </ul>
 *
 * All three send pen reports with a 1 ms time count and a sequence number (report 0x34) once asked to;
 * older pads (300, 500, 520A) do not, and the STU-541 speaks TLS over USB rather than plain HID, so
 * those are recognised and refused with a reason rather than half supported.
 */
enum StuModel {
  STU_430(0x00A4, "STU-430", StuImageEncoding.ONE_BIT),
  STU_430V(0x00A6, "STU-430V", StuImageEncoding.ONE_BIT),
  STU_530(0x00A5, "STU-530", StuImageEncoding.RGB565),
  STU_540(0x00A8, "STU-540", StuImageEncoding.BGR24);

  static final int WACOM_VENDOR_ID = 0x056A;

  private final int productId;
  private final String modelName;
  private final StuImageEncoding encoding;

  StuModel(int productId, String modelName, StuImageEncoding encoding) {
    this.productId = productId;
    this.modelName = modelName;
    this.encoding = encoding;
  }

  int productId() {
    return productId;
  }

  String modelName() {
    return modelName;
  }

  StuImageEncoding encoding() {
    return encoding;
  }

  static Optional<StuModel> byProductId(int productId) {
    return Arrays.stream(values()).filter(m -> m.productId == productId).findFirst();
  }

  static Optional<StuModel> byName(String name) {
    return Arrays.stream(values()).filter(m -> m.modelName.equalsIgnoreCase(name) || m.name().equalsIgnoreCase(name)).findFirst();
  }

  /** Why a Wacom product that is not supported is refused, or empty if it is supported or not an STU. */
  static Optional<String> unsupportedReason(int productId) {
    return Optional.ofNullable(switch (productId) {
      case 0x00A1, 0x00A2, 0x00A3 -> "this STU model (300, 500 or 520A) sends no time-stamped, numbered pen reports";
      case 0x00A9 -> "the STU-541 is reached through TLS over USB, not plain HID";
      default -> null;
    });
  }
}
