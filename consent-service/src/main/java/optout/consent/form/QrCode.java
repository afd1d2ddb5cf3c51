package optout.consent.form;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.Color;
import java.io.IOException;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDPageContentStream;

/**
 * A QR code drawn as vector squares: ZXing computes the modules, and each row's runs of dark modules
 * become rectangles, so the code is sharp at any zoom or print resolution and costs a few kilobytes.
 * Error correction level M (15 %) survives a crease or a smudge; the quiet zone of four modules is
 * left white around it.
 */
final class QrCode {

  static final int QUIET_ZONE = 4;

  private final BitMatrix modules;

  private QrCode(BitMatrix modules) {
    this.modules = modules;
  }

  static QrCode of(String text) {
    try {
      BitMatrix matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
          Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 0,
              EncodeHintType.CHARACTER_SET, "UTF-8"));
      return new QrCode(matrix);
    } catch (WriterException e) {
      throw new IllegalArgumentException("Cannot make the QR code: " + e.getMessage(), e);
    }
  }

  /** Modules across, without the quiet zone. */
  int size() {
    return modules.getWidth();
  }

  /** Draws the code, quiet zone included, as a square of {@code side} points with its lower-left corner at (x, y). */
  void draw(PDPageContentStream content, float x, float y, float side) throws IOException {
    int total = size() + 2 * QUIET_ZONE;
    float module = side / total;
    content.setNonStrokingColor(Color.WHITE);
    content.addRect(x, y, side, side);
    content.fill();
    content.setNonStrokingColor(Color.BLACK);
    for (int row = 0; row < size(); row++) {
      int column = 0;
      while (column < size()) {
        if (!modules.get(column, row)) {
          column++;
          continue;
        }
        int start = column;
        while (column < size() && modules.get(column, row)) {
          column++;
        }
        float top = y + side - (QUIET_ZONE + row) * module;
        content.addRect(x + (QUIET_ZONE + start) * module, top - module, (column - start) * module, module);
      }
    }
    content.fill();
  }
}
