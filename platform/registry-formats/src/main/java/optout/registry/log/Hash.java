package optout.registry.log;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A SHA-256 hash of the log: a leaf hash, a node hash or a root hash. Immutable; the bytes are
 * copied in and out so that no caller can change a hash another part of the log relies on.
 *
 * <p>{@link #equals} runs in constant time: roots and proof hashes are compared with it, and a
 * comparison that stops at the first differing byte would tell an attacker how close a forgery is.
 */
public final class Hash {

  /** The length of a SHA-256 hash in bytes. */
  public static final int LENGTH = 32;

  private static final HexFormat HEX = HexFormat.of();

  private final byte[] bytes;

  private Hash(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A hash of these 32 bytes (copied). */
  public static Hash of(byte[] bytes) {
    Objects.requireNonNull(bytes, "Cannot make a hash: the bytes are missing");
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException(
          "Cannot make a hash: it has " + bytes.length + " bytes, a SHA-256 hash has " + LENGTH);
    }
    return new Hash(bytes.clone());
  }

  /** A hash from 64 hexadecimal digits (either case). */
  public static Hash fromHex(String hex) {
    Objects.requireNonNull(hex, "Cannot make a hash: the hex text is missing");
    if (hex.length() != 2 * LENGTH) {
      throw new IllegalArgumentException(
          "Cannot make a hash: it has " + hex.length() + " hex digits, a SHA-256 hash has " + 2 * LENGTH);
    }
    try {
      return new Hash(HEX.parseHex(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Cannot make a hash: the text is not hexadecimal", e);
    }
  }

  /** A hash from its canonical standard base64 encoding (RFC 4648 section 4, with padding). */
  public static Hash fromBase64(String base64) {
    Objects.requireNonNull(base64, "Cannot make a hash: the base64 text is missing");
    byte[] decoded = Encodings.decodeCanonicalBase64(base64);
    if (decoded == null) {
      throw new IllegalArgumentException("Cannot make a hash: the text is not canonical base64");
    }
    return of(decoded);
  }

  /** Wraps bytes the caller will never touch again; for hashes this package computes itself. */
  static Hash wrap(byte[] digest) {
    return new Hash(digest);
  }

  /** A copy of the 32 bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** The 64 lower-case hexadecimal digits. */
  public String hex() {
    return HEX.formatHex(bytes);
  }

  /** The standard base64 encoding with padding, as in checkpoints. */
  public String base64() {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** Feeds the bytes to a digest without copying them. */
  void updateDigest(MessageDigest digest) {
    digest.update(bytes);
  }

  /** Copies the bytes into {@code target} at {@code offset}, for stores that pack hashes. */
  void copyInto(byte[] target, int offset) {
    System.arraycopy(bytes, 0, target, offset, LENGTH);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Hash that && MessageDigest.isEqual(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    // SHA-256 output is uniform, so the first four bytes are as good as all of them.
    return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
  }

  /** The hex digits: log hashes are public, so showing them is safe and helps debugging. */
  @Override
  public String toString() {
    return hex();
  }
}
