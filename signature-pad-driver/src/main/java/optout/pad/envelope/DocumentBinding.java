package optout.pad.envelope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Finds the part of a document an envelope is bound to. A form is sealed for the SHA-256 of its first
 * revision, and later revisions (the envelope itself, the seal, revocation data, document timestamps)
 * are appended, so the bound bytes are an exact prefix of the archived file ending at an end-of-file
 * marker. Every such prefix is tried, and the whole file (a document that was never updated); nothing
 * recorded in the file is trusted, only the hash decides.
 */
public final class DocumentBinding {

  /** The bound prefix: its length, and which revision it is (1 the first; 0 the whole file without a marker). */
  public record Bound(int length, int revision) {}

  private static final byte[] EOF_MARKER = "%%EOF".getBytes(StandardCharsets.US_ASCII);

  private DocumentBinding() {}

  /** The prefix of {@code document} whose SHA-256 is the envelope's, if there is one. */
  public static Optional<Bound> find(byte[] document, SealedContent content) {
    return find(document, content.documentSha256());
  }

  /** The prefix of {@code document} whose SHA-256 is {@code expected}, if there is one. */
  public static Optional<Bound> find(byte[] document, byte[] expected) {
    MessageDigest digest = sha256();
    int revision = 0;
    for (int at = indexOf(document, EOF_MARKER, 0); at >= 0; at = indexOf(document, EOF_MARKER, at + 1)) {
      revision++;
      int end = at + EOF_MARKER.length;
      if (end < document.length && document[end] == '\r') {
        end++;
      }
      if (end < document.length && document[end] == '\n') {
        end++;
      }
      digest.reset();
      digest.update(document, 0, end);
      if (MessageDigest.isEqual(digest.digest(), expected)) {
        return Optional.of(new Bound(end, revision));
      }
    }
    digest.reset();
    return MessageDigest.isEqual(digest.digest(document), expected) ? Optional.of(new Bound(document.length, 0)) : Optional.empty();
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
