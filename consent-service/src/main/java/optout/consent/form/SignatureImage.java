package optout.consent.form;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The picture of the handwritten signature that goes into the form's signature box, as the
 * signature-pad driver's {@code SignatureRenderer} draws it (PNG, ink on a transparent background).
 * Checked before anything is drawn: an empty, unreadable, blank or oversized picture is refused, and
 * a PNG's size is read from its header before it is decoded, so a small file that claims a huge image
 * cannot exhaust memory. The picture is flattened onto white (the form then has no transparency, one
 * thing fewer for PDF/A) and scaled down, never up, to the box's size at 300 dpi, which keeps the form
 * small whatever resolution the pad delivers.
 */
public final class SignatureImage {

  /** The largest PNG accepted, in bytes. */
  public static final int MAX_BYTES = 4 * 1024 * 1024;
  /** The largest side accepted, in pixels: the driver renders at most 4096. */
  public static final int MAX_SIDE = 4096;
  /** The smallest side accepted: anything smaller cannot show a signature. */
  public static final int MIN_SIDE = 16;

  private final BufferedImage image;
  private final boolean virtualPad;

  private SignatureImage(BufferedImage image, boolean virtualPad) {
    this.image = image;
    this.virtualPad = virtualPad;
  }

  /**
   * A signature picture from PNG bytes.
   *
   * @throws IllegalArgumentException if the bytes are empty, too many, not an image, of a size out of
   *     range, or show no ink
   */
  public static SignatureImage png(byte[] png) {
    if (png == null || png.length == 0) {
      throw new IllegalArgumentException("Cannot use the signature image: it is empty (0 bytes)");
    }
    if (png.length > MAX_BYTES) {
      throw new IllegalArgumentException("Cannot use the signature image: it has " + png.length + " bytes, more than " + MAX_BYTES);
    }
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(png))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new IllegalArgumentException("Cannot use the signature image: it is not an image (PNG expected)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        checkSize(reader.getWidth(0), reader.getHeight(0));
        return of(reader.read(0));
      } finally {
        reader.dispose();
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot use the signature image: it cannot be decoded (" + e.getMessage() + ")", e);
    }
  }

  /**
   * A signature picture from an image in memory; the image is copied.
   *
   * @throws IllegalArgumentException if its size is out of range or it shows no ink
   */
  public static SignatureImage of(BufferedImage image) {
    if (image == null) {
      throw new IllegalArgumentException("Cannot use the signature image: it is missing");
    }
    checkSize(image.getWidth(), image.getHeight());
    BufferedImage flat = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = flat.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, flat.getWidth(), flat.getHeight());
      g.drawImage(image, 0, 0, null);
    } finally {
      g.dispose();
    }
    if (!hasInk(flat)) {
      throw new IllegalArgumentException("Cannot use the signature image: it is blank (no ink on it)");
    }
    return new SignatureImage(flat, false);
  }

  /** What the form writes across a virtual pad's signature, in both languages. */
  public static final String VIRTUAL_PAD_STAMP = "虛擬簽名板（示範） VIRTUAL PAD (demo)";

  /**
   * This picture, marked as the local demo's virtual pad's: a recording, not a citizen's hand, which
   * the form says in so many words across the signature box ({@link #VIRTUAL_PAD_STAMP}).
   */
  public SignatureImage fromVirtualPad() {
    return new SignatureImage(image, true);
  }

  /** Whether the form must stamp this signature as the virtual pad's. */
  public boolean virtualPad() {
    return virtualPad;
  }

  public int width() {
    return image.getWidth();
  }

  public int height() {
    return image.getHeight();
  }

  /**
   * The picture to embed in a box of {@code boxWidth} x {@code boxHeight} points: no more pixels than
   * 300 dpi needs there, proportions kept.
   */
  BufferedImage forBox(float boxWidth, float boxHeight) {
    double scale = Math.min(1.0, Math.min(boxWidth / 72.0 * 300 / image.getWidth(), boxHeight / 72.0 * 300 / image.getHeight()));
    if (scale >= 1.0) {
      return image;
    }
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage scaled = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scaled.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
      g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
      g.drawImage(image, 0, 0, width, height, null);
    } finally {
      g.dispose();
    }
    return scaled;
  }

  private static void checkSize(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("Cannot use the signature image: it has zero size (" + width + "x" + height + ")");
    }
    if (width < MIN_SIDE || height < MIN_SIDE) {
      throw new IllegalArgumentException("Cannot use the signature image: " + width + "x" + height + " pixels is too small to show a signature (at least "
          + MIN_SIDE + " a side)");
    }
    if (width > MAX_SIDE || height > MAX_SIDE) {
      throw new IllegalArgumentException("Cannot use the signature image: " + width + "x" + height + " pixels is oversized (at most " + MAX_SIDE + " a side)");
    }
  }

  /** Whether any pixel is visibly darker than the white paper. */
  private static boolean hasInk(BufferedImage image) {
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        int rgb = image.getRGB(x, y);
        int luminance = (299 * ((rgb >> 16) & 0xff) + 587 * ((rgb >> 8) & 0xff) + 114 * (rgb & 0xff)) / 1000;
        if (luminance < 200) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "SignatureImage[" + width() + "x" + height() + "]";
  }
}
