package optout.registry.snapshot;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import optout.registry.log.Hash;

/**
 * Computes the set hash, SHA-256 over the values as 8-byte big-endian integers, concatenated. Feeds
 * the digest in 8 KiB blocks: one {@code update} per value would cost more than the hashing itself.
 */
final class SetHasher {

  private final MessageDigest digest = sha256();
  private final ByteBuffer block = ByteBuffer.allocate(8192);

  void add(long value) {
    if (!block.hasRemaining()) {
      drain();
    }
    block.putLong(value);
  }

  Hash finish() {
    drain();
    return Hash.of(digest.digest());
  }

  private void drain() {
    digest.update(block.array(), 0, block.position());
    block.clear();
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Cannot hash a snapshot: this JDK has no SHA-256", e);
    }
  }
}
