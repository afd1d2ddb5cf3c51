package optout.pad.envelope;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * What a biometric envelope seals: the biometric record, the name of its format, and the SHA-256 of
 * the document the signature was given for, so that an opened envelope proves which document it
 * belongs to.
 */
public final class SealedContent {

  private final String recordFormat;
  private final byte[] documentSha256;
  private final byte[] record;

  public SealedContent(String recordFormat, byte[] documentSha256, byte[] record) {
    if (recordFormat == null || recordFormat.isBlank() || recordFormat.length() > 100) {
      throw new IllegalArgumentException("Cannot seal: name the record's format (at most 100 characters)");
    }
    if (documentSha256 == null || documentSha256.length != 32) {
      throw new IllegalArgumentException("Cannot seal: the document's SHA-256 must be 32 bytes");
    }
    if (record == null || record.length == 0) {
      throw new IllegalArgumentException("Cannot seal: the biometric record is empty");
    }
    this.recordFormat = recordFormat;
    this.documentSha256 = documentSha256.clone();
    this.record = record.clone();
  }

  /** Seals {@code record} for the document whose bytes are given. */
  public static SealedContent forDocument(String recordFormat, byte[] document, byte[] record) {
    return new SealedContent(recordFormat, sha256(document), record);
  }

  public String recordFormat() {
    return recordFormat;
  }

  public byte[] documentSha256() {
    return documentSha256.clone();
  }

  public byte[] record() {
    return record.clone();
  }

  /** Whether this content was sealed for exactly this document. */
  public boolean belongsTo(byte[] document) {
    return MessageDigest.isEqual(documentSha256, sha256(document));
  }

  static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SealedContent content && recordFormat.equals(content.recordFormat)
        && Arrays.equals(documentSha256, content.documentSha256) && Arrays.equals(record, content.record);
  }

  @Override
  public int hashCode() {
    return 31 * recordFormat.hashCode() + Arrays.hashCode(documentSha256);
  }

  /** Never the record: it is biometric data. */
  @Override
  public String toString() {
    return "SealedContent[" + recordFormat + ", " + record.length + " bytes, for document sha256 "
        + java.util.HexFormat.of().formatHex(documentSha256) + "]";
  }
}
