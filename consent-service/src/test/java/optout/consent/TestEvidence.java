package optout.consent;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/** Representatives' evidence for tests: real scans of a page, and files that only look like one. */
public final class TestEvidence {

  private TestEvidence() {}

  /** A one-page A4 PDF, as PDFBox writes it. */
  public static byte[] pdf() {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      document.addPage(new PDPage(PDRectangle.A4));
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A PDF with no page at all. */
  public static byte[] pdfWithoutPages() {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A scanned page as a PNG of the given size (a page at 72 dpi is 595×842). */
  public static byte[] png(int width, int height) {
    return image("png", width, height);
  }

  /** A scanned page as a JPEG, 595×842. */
  public static byte[] jpeg() {
    return image("jpeg", 595, 842);
  }

  /** The 12 bytes that start every PNG and nothing else: what the attacker uploaded. */
  public static byte[] fakePng() {
    return new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
  }

  /** A PNG whose header (with a valid CRC) claims a picture of width × height, with no picture data. */
  public static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
        .putInt(width).putInt(height).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    return ByteBuffer.allocate(8 + 4 + 17 + 4).put(fakePng(), 0, 8).putInt(13).put(ihdr.array()).putInt((int) crc.getValue()).array();
  }

  private static byte[] image(String format, int width, int height) {
    BufferedImage page = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = page.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, width, height);
    g.setColor(Color.BLACK);
    g.drawString("戶籍謄本 household registration transcript", 40, 60);
    g.dispose();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(page, format, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
