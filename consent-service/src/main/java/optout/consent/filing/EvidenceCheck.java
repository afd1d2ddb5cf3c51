package optout.consent.filing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.pdfbox.Loader;
import optout.consent.filing.FilingService.UnreadableEvidenceException;
import org.apache.pdfbox.pdmodel.PDDocument;

/**
 * Whether a representative's evidence is a document a clerk can read: a PDF that opens with at least one
 * page, or a PNG or JPEG that decodes to a picture of a page's size. The first bytes only say what a file
 * claims to be; a file that merely starts like one (a 12-byte "PNG") is no evidence of anything.
 */
final class EvidenceCheck {

  /** A scanned page is at least this many pixels on each side (an A4 page at 25 dpi); smaller cannot be read. */
  static final int MIN_SIDE = 200;
  /** At most this many pixels on a side and in all (an A4 page at 600 dpi fits): larger would be decompressed into memory for nothing. */
  static final int MAX_SIDE = 10_000;
  static final long MAX_PIXELS = 40_000_000L;

  private EvidenceCheck() {}

  /**
   * Checks the content as the media type its first bytes claim.
   *
   * @throws UnreadableEvidenceException saying why the content is not a readable document
   */
  static void check(byte[] content, String mediaType) {
    switch (mediaType) {
      case "application/pdf" -> pdf(content);
      case "image/png", "image/jpeg" -> image(content, mediaType.equals("image/png") ? "png" : "jpeg");
      default -> throw new UnreadableEvidenceException("evidence: only a PDF, PNG or JPEG scan is accepted");
    }
  }

  private static void pdf(byte[] content) {
    int pages;
    try (PDDocument document = Loader.loadPDF(content)) {
      pages = document.getNumberOfPages();
    } catch (IOException | RuntimeException unreadable) {
      // an encrypted PDF (InvalidPasswordException) is refused too: the clerk could not open it
      throw new UnreadableEvidenceException("evidence: the PDF cannot be opened");
    }
    if (pages < 1) {
      throw new UnreadableEvidenceException("evidence: the PDF has no page");
    }
  }

  private static void image(byte[] content, String format) {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(content))) {
      Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format);
      if (input == null || !readers.hasNext()) {
        throw new UnreadableEvidenceException("evidence: the image cannot be read");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        // the dimensions from the header first, so a huge declared picture is refused before it is decoded
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        if (width < MIN_SIDE || height < MIN_SIDE) {
          throw new UnreadableEvidenceException("evidence: the image is " + width + "×" + height
              + " pixels; a readable scan has at least " + MIN_SIDE + " on each side");
        }
        if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
          throw new UnreadableEvidenceException("evidence: the image is " + width + "×" + height
              + " pixels; at most " + MAX_SIDE + " on a side and " + MAX_PIXELS + " in all");
        }
        BufferedImage decoded = reader.read(0);
        if (decoded == null || decoded.getWidth() != width || decoded.getHeight() != height) {
          throw new UnreadableEvidenceException("evidence: the image cannot be decoded");
        }
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException unreadable) {
      if (unreadable instanceof UnreadableEvidenceException refused) {
        throw refused;
      }
      throw new UnreadableEvidenceException("evidence: the image cannot be decoded");
    }
  }
}
