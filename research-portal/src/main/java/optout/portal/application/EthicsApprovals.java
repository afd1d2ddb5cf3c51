package optout.portal.application;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;

/**
 * An ethics committee's approval as uploaded, checked by its bytes and never by the name or type a
 * browser claims: it must open as a PDF (PDFBox), have at least one page, and not be encrypted (a
 * reviewer must be able to read it, and the archive to keep it readable). Archived by its SHA-256.
 */
public final class EthicsApprovals {

  /** The largest approval accepted: a scanned letter of several pages fits easily. */
  public static final int MAX_BYTES = 5 * 1024 * 1024;

  private EthicsApprovals() {}

  /** A checked approval. */
  public record EthicsDocument(String sha256, int size, int pages, byte[] content) {}

  /** An upload that is not an acceptable approval; the problem type says which rule it broke. */
  public static final class UnacceptableDocumentException extends RuntimeException {
    private final String problemType;
    private final boolean tooLarge;

    UnacceptableDocumentException(String problemType, String message, boolean tooLarge) {
      super(message);
      this.problemType = problemType;
      this.tooLarge = tooLarge;
    }

    public String problemType() {
      return problemType;
    }

    public boolean tooLarge() {
      return tooLarge;
    }
  }

  public static EthicsDocument check(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      throw new UnacceptableDocumentException("ethics-approval-empty", "The upload is empty: send the approval's PDF.", false);
    }
    if (bytes.length > MAX_BYTES) {
      throw new UnacceptableDocumentException("body-too-large", "The approval must be at most " + MAX_BYTES / (1024 * 1024) + " MB.", true);
    }
    // PDF readers accept a header anywhere in the first KB; we accept only a file that starts as a PDF
    if (!startsWith(bytes, "%PDF-")) {
      throw new UnacceptableDocumentException("ethics-approval-not-pdf", "The upload is not a PDF.", false);
    }
    int pages;
    try (PDDocument document = Loader.loadPDF(new RandomAccessReadBuffer(bytes))) {
      if (document.isEncrypted()) {
        throw new UnacceptableDocumentException("ethics-approval-encrypted",
            "The PDF is encrypted or password-protected: upload it without protection.", false);
      }
      pages = document.getNumberOfPages();
    } catch (InvalidPasswordException e) {
      throw new UnacceptableDocumentException("ethics-approval-encrypted",
          "The PDF is encrypted or password-protected: upload it without protection.", false);
    } catch (IOException | RuntimeException e) {
      if (e instanceof UnacceptableDocumentException refused) {
        throw refused;
      }
      throw new UnacceptableDocumentException("ethics-approval-unreadable", "The PDF cannot be read: it is damaged or not a PDF.", false);
    }
    if (pages < 1) {
      throw new UnacceptableDocumentException("ethics-approval-no-pages", "The PDF has no pages.", false);
    }
    return new EthicsDocument(sha256(bytes), bytes.length, pages, bytes.clone());
  }

  private static boolean startsWith(byte[] bytes, String prefix) {
    if (bytes.length < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (bytes[i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
