package optout.pad.stu;

import java.awt.image.BufferedImage;

/**
 * How a screen image travels to the pad (StartImageData's encoding mode). Rows run top to bottom.
 * <ul>
 *   <li>{@link #ONE_BIT}: 8 pixels a byte, the leftmost in the highest bit, each row padded to a whole
 *       byte; a set bit is white, a clear bit is ink (a pixel counts as ink when its red, green and blue,
 *       OR-ed together, are at most 0x80, as Wacom's samples decide).
 *   <li>{@link #RGB565}: 2 bytes a pixel, high byte first.
 *   <li>{@link #BGR24}: 3 bytes a pixel, blue first.
 * </ul>
 * Wacom's bulk modes need its own USB driver on the host and are not used; neither is zlib, whose framing
 * the public material does not settle.
 */
enum StuImageEncoding {
  ONE_BIT(0x00),
  RGB565(0x02),
  BGR24(0x04);

  private final int mode;

  StuImageEncoding(int mode) {
    this.mode = mode;
  }

  int mode() {
    return mode;
  }

  static StuImageEncoding byMode(int mode) {
    for (StuImageEncoding encoding : values()) {
      if (encoding.mode == mode) {
        return encoding;
      }
    }
    throw new IllegalArgumentException("Cannot decode an image: encoding mode 0x" + Integer.toHexString(mode) + " is not supported");
  }

  /** The image's size on the wire for a screen. */
  int length(int width, int height) {
    return switch (this) {
      case ONE_BIT -> (width + 7) / 8 * height;
      case RGB565 -> width * height * 2;
      case BGR24 -> width * height * 3;
    };
  }

  /** Encodes an image of exactly the screen's size. */
  byte[] encode(BufferedImage image) {
    int width = image.getWidth();
    int height = image.getHeight();
    byte[] out = new byte[length(width, height)];
    int stride = (width + 7) / 8;
    int i = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = image.getRGB(x, y);
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        switch (this) {
          case ONE_BIT -> {
            if ((r | g | b) > 0x80) {
              out[y * stride + x / 8] |= (byte) (0x80 >>> (x % 8));
            }
          }
          case RGB565 -> {
            int pixel = ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3);
            out[i++] = (byte) (pixel >> 8);
            out[i++] = (byte) pixel;
          }
          case BGR24 -> {
            out[i++] = (byte) b;
            out[i++] = (byte) g;
            out[i++] = (byte) r;
          }
        }
      }
    }
    return out;
  }

  /** Decodes what {@link #encode} wrote (the virtual device shows what it was sent). */
  BufferedImage decode(byte[] data, int width, int height) {
    if (data.length != length(width, height)) {
      throw new IllegalArgumentException("Cannot decode an image: " + data.length + " bytes, expected " + length(width, height));
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int stride = (width + 7) / 8;
    int i = 0;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int rgb = switch (this) {
          case ONE_BIT -> (data[y * stride + x / 8] & (0x80 >>> (x % 8))) != 0 ? 0xFFFFFF : 0x000000;
          case RGB565 -> {
            int pixel = ((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF);
            i += 2;
            int r = (pixel >> 11) & 0x1F;
            int g = (pixel >> 5) & 0x3F;
            int b = pixel & 0x1F;
            yield ((r << 3 | r >> 2) << 16) | ((g << 2 | g >> 4) << 8) | (b << 3 | b >> 2);
          }
          case BGR24 -> {
            int value = ((data[i + 2] & 0xFF) << 16) | ((data[i + 1] & 0xFF) << 8) | (data[i] & 0xFF);
            i += 3;
            yield value;
          }
        };
        image.setRGB(x, y, rgb);
      }
    }
    return image;
  }
}
