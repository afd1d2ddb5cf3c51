package optout.registry.sealedfiling;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * A filing as the consent service signs it and the registry checks it before storing anything: the
 * text of a signed note (c2sp.org/signed-note), canonical UTF-8, one {@code name value} line each, in
 * this order, every line ending in {@code \n}:
 *
 * <pre>
 * nhi-optout-filing/1
 * filing CS-20261120-ABCDEFGHJK                 (the idempotency key: the consent service's filing ID)
 * type opt-out-filed | opt-out-withdrawn | scopes-changed
 * person &lt;64 hex: SHA-256("nhi-optout-filing-person/1" 0x00 salt(32 bytes) national ID in ASCII)&gt;
 * scopes academic-research,commercial-use        (sorted, comma-separated)
 * channel counter | online | proxy
 * proxy none | &lt;relation&gt; &lt;64 hex: SHA-256 of the evidence reference&gt;
 * effective 2026-11-20T03:00:00.123456Z         (java.time.Instant, truncated to microseconds)
 * form &lt;64 hex: SHA-256 of the sealed PDF&gt;
 * filer clerk | citizen &lt;account at the consent service&gt;
 * </pre>
 *
 * The person is a commitment under a fresh random salt that travels beside the filing: the registry,
 * which receives the national ID with the filing, recomputes it, but a signature kept without the
 * salt names nobody (a national ID's plain hash could be found by trying every ID).
 */
public record CanonicalFiling(String filingId, String type, byte[] person, SortedSet<String> scopes, String channel,
    Optional<Proxy> proxy, Instant effectiveAt, String formSha256, String filerRole, String filerAccount) {

  public static final String FORMAT = "nhi-optout-filing/1";
  /** Bytes of the person commitment's salt. */
  public static final int SALT_BYTES = 32;

  private static final byte[] PERSON_CONTEXT = "nhi-optout-filing-person/1".getBytes(StandardCharsets.US_ASCII);
  private static final Pattern FILING_ID = Pattern.compile("[A-Za-z0-9._-]{8,128}");
  private static final Pattern CODE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");
  private static final Pattern REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");
  private static final Pattern NATIONAL_ID = Pattern.compile("[A-Z][0-9A-D][0-9]{8}");

  /** A representative's filing: the relation, and the reference of its evidence (only its hash is signed). */
  public record Proxy(String relation, String evidenceReference) {
    public Proxy {
      require(relation != null && CODE.matcher(relation).matches(), "the proxy's relation must be a lower-case code");
      require(evidenceReference != null && REFERENCE.matcher(evidenceReference).matches(),
          "the evidence reference must be 1 to 128 letters, digits or ._:/-");
    }
  }

  public CanonicalFiling {
    require(filingId != null && FILING_ID.matcher(filingId).matches(), "the filing ID must be 8 to 128 letters, digits, '.', '_' or '-'");
    require(type != null && CODE.matcher(type).matches(), "the type must be a lower-case code");
    require(person != null && person.length == 32, "the person commitment must be 32 bytes");
    require(scopes != null && !scopes.isEmpty(), "it must name at least one scope");
    scopes.forEach(scope -> require(scope != null && CODE.matcher(scope).matches(), "every scope must be a lower-case code"));
    require(channel != null && CODE.matcher(channel).matches(), "the channel must be a lower-case code");
    require(proxy != null, "the proxy must be given, or empty");
    require(effectiveAt != null, "the effective time is missing");
    require(formSha256 != null && SHA256.matcher(formSha256).matches(), "the form's SHA-256 must be 64 lower-case hex digits");
    require("clerk".equals(filerRole) || "citizen".equals(filerRole), "the filer's role must be clerk or citizen");
    require(filerAccount != null && ACCOUNT.matcher(filerAccount).matches(),
        "the filer's account must be 1 to 128 letters, digits or ._:@-");
    person = person.clone();
    scopes = new TreeSet<>(scopes);
    effectiveAt = effectiveAt.truncatedTo(ChronoUnit.MICROS);
  }

  @Override
  public byte[] person() {
    return person.clone();
  }

  @Override
  public SortedSet<String> scopes() {
    return new TreeSet<>(scopes);
  }

  /** The text that is signed, as specified above. */
  public String text() {
    return new StringBuilder(512)
        .append(FORMAT).append('\n')
        .append("filing ").append(filingId).append('\n')
        .append("type ").append(type).append('\n')
        .append("person ").append(HexFormat.of().formatHex(person)).append('\n')
        .append("scopes ").append(String.join(",", scopes)).append('\n')
        .append("channel ").append(channel).append('\n')
        .append("proxy ").append(proxy.map(p -> p.relation() + " "
            + HexFormat.of().formatHex(sha256(p.evidenceReference().getBytes(StandardCharsets.UTF_8)))).orElse("none")).append('\n')
        .append("effective ").append(effectiveAt).append('\n')
        .append("form ").append(formSha256).append('\n')
        .append("filer ").append(filerRole).append(' ').append(filerAccount).append('\n')
        .toString();
  }

  /** SHA-256("nhi-optout-filing-person/1" || 0x00 || salt || national ID in ASCII). */
  public static byte[] personCommitment(byte[] salt, String nationalId) {
    require(salt != null && salt.length == SALT_BYTES, "the person's salt must be " + SALT_BYTES + " bytes");
    require(nationalId != null && NATIONAL_ID.matcher(nationalId).matches(),
        "the national ID must be an upper-case letter and nine characters");
    byte[] id = nationalId.getBytes(StandardCharsets.US_ASCII);
    ByteBuffer input = ByteBuffer.allocate(PERSON_CONTEXT.length + 1 + SALT_BYTES + id.length);
    input.put(PERSON_CONTEXT).put((byte) 0).put(salt).put(id);
    return sha256(input.array());
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  private static void require(boolean condition, String reason) {
    if (!condition) {
      throw new IllegalArgumentException("Cannot make a canonical filing: " + reason);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CanonicalFiling that && text().equals(that.text());
  }

  @Override
  public int hashCode() {
    return Objects.hash(filingId, type, scopes);
  }

  /** Names no person: the commitment and the account stay out of logs. */
  @Override
  public String toString() {
    return "CanonicalFiling[" + filingId + ", " + type + ", " + scopes + ", " + channel + "]";
  }
}
