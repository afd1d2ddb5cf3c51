package optout.registry.event;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An event as its transparency-log leaf: canonical UTF-8 text, one {@code name value} line each, in
 * this order, every line ending in {@code \n}:
 *
 * <pre>
 * nhi-optout-registry-event/1
 * id 0d5c...-uuid
 * type opt-out-filed | opt-out-withdrawn | scopes-changed
 * person &lt;64 hex: SHA-256("nhi-optout-person/1" 0x00 salt(16 bytes) pseudonym as 8 bytes big-endian)&gt;
 * scopes academic-research,commercial-use      (sorted, comma-separated)
 * channel counter | online | proxy
 * proxy none | &lt;relation&gt; &lt;64 hex: SHA-256 of the evidence reference&gt;
 * document &lt;64 hex: SHA-256 of the signed PDF&gt;
 * effective 2026-11-25T03:04:05.123456Z          (ISO-8601 UTC, as java.time.Instant prints it)
 * recorded 2026-11-25T03:04:05.654321Z
 * filed-by clerk | citizen | consent-service
 * </pre>
 *
 * Format {@code nhi-optout-registry-event/2} (every sealed filing since the consent service signs them)
 * is the same with {@code /2} in the first line and one more line at the end: who filed at the consent
 * service, by role and keyed pseudonym of their account ({@link FilerPseudonyms}), never the account:
 *
 * <pre>
 * filer clerk | citizen &lt;32 hex: the account's pseudonym&gt;
 * </pre>
 *
 * An event without a filer (stored before format 2) keeps its format 1 leaf, so old leaves verify as
 * they were logged.
 *
 * The person is a salted commitment: the log tells nobody who opted out, yet a citizen given the salt
 * and their pseudonym (their receipt carries both) can check that a leaf is theirs. Document and
 * evidence references are not in the leaf, only hashes.
 */
public final class EventLeaf {

  /** The format of events recorded before the filer was kept. */
  public static final String FORMAT_1 = "nhi-optout-registry-event/1";
  /** The format of events with their filer's pseudonym. */
  public static final String FORMAT = "nhi-optout-registry-event/2";
  private static final byte[] PERSON_CONTEXT = "nhi-optout-person/1".getBytes(StandardCharsets.US_ASCII);

  private EventLeaf() {}

  public static byte[] encode(RegistryEvent event) {
    StringBuilder text = new StringBuilder(512)
        .append(event.filer().isPresent() ? FORMAT : FORMAT_1).append('\n')
        .append("id ").append(event.id()).append('\n')
        .append("type ").append(event.type().code()).append('\n')
        .append("person ").append(HexFormat.of().formatHex(personCommitment(event.personSalt(), event.person()))).append('\n')
        .append("scopes ").append(String.join(",", event.scopes())).append('\n')
        .append("channel ").append(event.channel().code()).append('\n')
        .append("proxy ").append(event.proxy().map(p -> p.relation().code() + " "
            + HexFormat.of().formatHex(sha256(p.evidenceReference().getBytes(StandardCharsets.UTF_8)))).orElse("none")).append('\n')
        .append("document ").append(event.document().sha256()).append('\n')
        .append("effective ").append(event.effectiveAt()).append('\n')
        .append("recorded ").append(event.recordedAt()).append('\n')
        .append("filed-by ").append(event.filedBy()).append('\n');
    event.filer().ifPresent(filer -> text.append("filer ").append(filer.role()).append(' ').append(filer.pseudonym()).append('\n'));
    return text.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** SHA-256("nhi-optout-person/1" || 0x00 || salt || pseudonym as 8 bytes, big-endian). */
  public static byte[] personCommitment(byte[] salt, long pseudonym) {
    ByteBuffer input = ByteBuffer.allocate(PERSON_CONTEXT.length + 1 + salt.length + Long.BYTES);
    input.put(PERSON_CONTEXT).put((byte) 0).put(salt).putLong(pseudonym);
    return sha256(input.array());
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
