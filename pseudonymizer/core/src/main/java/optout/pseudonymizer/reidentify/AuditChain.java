package optout.pseudonymizer.reidentify;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * The audit events as a hash chain: each event's hash is SHA-256 over the previous event's hash, its
 * sequence number and its fields, so a changed, inserted, reordered or deleted event breaks every hash
 * after it. An auditor who keeps the head (hash and count) from time to time also sees the newest events
 * cut off. Times count in microseconds, as PostgreSQL stores them.
 */
public final class AuditChain {

  /** The "previous hash" of the first event. */
  public static final byte[] GENESIS = new byte[32];

  /** An event as stored, with its sequence number (1, 2, 3, ... without gaps) and the hash stored with it. */
  public record Linked(long sequence, AuditEvent event, byte[] hash) {}

  /** The outcome of a verification: valid, or the first event where it breaks and why. */
  public record Verification(boolean valid, long events, String head, Optional<Long> brokenAt, Optional<String> problem) {}

  private AuditChain() {}

  public static Instant precision(Instant at) {
    return at.truncatedTo(ChronoUnit.MICROS);
  }

  public static byte[] link(byte[] previous, long sequence, AuditEvent event) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update("nhi-optout audit chain v1".getBytes(StandardCharsets.US_ASCII));
      digest.update(previous);
      digest.update(ByteBuffer.allocate(8).putLong(sequence).array());
      Instant at = precision(event.at());
      long micros = Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1_000);
      for (String field : new String[] {event.type().name(), event.request().toString(), event.actor(), event.project(), event.note()}) {
        byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        digest.update(bytes);
      }
      digest.update(ByteBuffer.allocate(12).putInt(event.pseudonymCount()).putLong(micros).array());
      return digest.digest();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Recomputes the chain over events in their order; a gap in the sequence counts as a deletion. */
  public static Verification verify(Iterable<Linked> events) {
    byte[] previous = GENESIS;
    long count = 0;
    long lastSequence = 0;
    for (Linked linked : events) {
      if (linked.hash() == null) {
        return broken(count, previous, linked.sequence(), "the event has no hash: it was added around the chain");
      }
      if (linked.sequence() != lastSequence + 1) {
        return broken(count, previous, linked.sequence(), "events before it are missing (the sequence jumps from " + lastSequence + ")");
      }
      if (!Arrays.equals(link(previous, linked.sequence(), linked.event()), linked.hash())) {
        return broken(count, previous, linked.sequence(), "its hash does not match: it, or an event before it, was changed or removed");
      }
      previous = linked.hash();
      lastSequence = linked.sequence();
      count++;
    }
    return new Verification(true, count, HexFormat.of().formatHex(previous), Optional.empty(), Optional.empty());
  }

  private static Verification broken(long count, byte[] previous, long sequence, String problem) {
    return new Verification(false, count, HexFormat.of().formatHex(previous), Optional.of(sequence), Optional.of(problem));
  }
}
