package optout.registry.exemption;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * An auditor's grant or revocation of a legal exemption as its log leaf, so that which releasing service
 * held which exemption at a checkpoint can be read from the log itself. Canonical UTF-8 text, every line
 * ending in {@code \n}, in this order:
 *
 * <pre>
 * nhi-optout-registry-exemption-decision/1
 * exemption communicable-disease-control
 * grantee optout-portal                           (the releasing service's client ID)
 * action grant | revoke
 * approval &lt;64 hex: SHA-256 of the approval reference, UTF-8&gt;
 * decided-by auditor &lt;32 hex: keyed pseudonym of the auditor's account&gt;
 * decided 2026-11-25T03:04:05.123456Z            (ISO-8601 UTC, as java.time.Instant prints it)
 * </pre>
 *
 * The approval reference is public in the register of exemptions; the leaf holds its hash, as event
 * leaves hold hashes of references. The auditor appears only as a pseudonym, like filers in events.
 *
 * @param exemption the legal exemption's code
 * @param grantee the releasing service's client ID
 * @param grant true for a grant, false for a revocation
 * @param approvalSha256 SHA-256 of the approval reference, 64 lower-case hex digits
 * @param auditorPseudonym the deciding auditor's account pseudonym, 32 lower-case hex digits
 * @param decidedAt when the decision was recorded
 */
public record DecisionLeaf(String exemption, String grantee, boolean grant, String approvalSha256, String auditorPseudonym,
    Instant decidedAt) {

  /** The first line: names the format and its version. */
  public static final String FORMAT = "nhi-optout-registry-exemption-decision/1";
  private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9]*(-[a-z0-9]+)*");
  private static final Pattern CLIENT = Pattern.compile("[a-z][a-z0-9-]{2,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern PSEUDONYM = Pattern.compile("[0-9a-f]{32}");
  private static final String[] KEYS = {"exemption", "grantee", "action", "approval", "decided-by", "decided"};

  public DecisionLeaf {
    if (exemption == null || exemption.length() > 64 || !CODE.matcher(exemption).matches()) {
      throw new IllegalArgumentException("Cannot log an exemption decision: the exemption must be a code");
    }
    if (grantee == null || !CLIENT.matcher(grantee).matches()) {
      throw new IllegalArgumentException("Cannot log an exemption decision: the grantee must be a service's client ID");
    }
    if (approvalSha256 == null || !SHA256.matcher(approvalSha256).matches()) {
      throw new IllegalArgumentException("Cannot log an exemption decision: the approval's hash must be 64 lower-case hex digits");
    }
    if (auditorPseudonym == null || !PSEUDONYM.matcher(auditorPseudonym).matches()) {
      throw new IllegalArgumentException("Cannot log an exemption decision: the auditor's pseudonym must be 32 lower-case hex digits");
    }
    if (decidedAt == null) {
      throw new IllegalArgumentException("Cannot log an exemption decision: the time is missing");
    }
  }

  /** SHA-256 of an approval reference (UTF-8), as the leaf names it. */
  public static String approvalHash(String approvalReference) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(approvalReference.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }

  public String action() {
    return grant ? "grant" : "revoke";
  }

  public byte[] encode() {
    return (FORMAT + "\n"
        + "exemption " + exemption + "\n"
        + "grantee " + grantee + "\n"
        + "action " + action() + "\n"
        + "approval " + approvalSha256 + "\n"
        + "decided-by auditor " + auditorPseudonym + "\n"
        + "decided " + decidedAt + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a leaf strictly: exactly the text {@link #encode} gives.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static DecisionLeaf parse(byte[] leaf) {
    String text = new String(leaf, StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    if (lines.length != KEYS.length + 2 || !lines[0].equals(FORMAT) || !lines[lines.length - 1].isEmpty()) {
      throw new IllegalArgumentException("Cannot read an exemption decision: it must be " + FORMAT + " and " + KEYS.length
          + " lines, each ending in a newline");
    }
    String[] values = new String[KEYS.length];
    for (int i = 0; i < KEYS.length; i++) {
      if (!lines[i + 1].startsWith(KEYS[i] + " ")) {
        throw new IllegalArgumentException("Cannot read an exemption decision: line " + (i + 2) + " must start with \"" + KEYS[i] + " \"");
      }
      values[i] = lines[i + 1].substring(KEYS[i].length() + 1);
    }
    if (!values[2].equals("grant") && !values[2].equals("revoke")) {
      throw new IllegalArgumentException("Cannot read an exemption decision: the action must be grant or revoke");
    }
    if (!values[4].startsWith("auditor ")) {
      throw new IllegalArgumentException("Cannot read an exemption decision: decided-by must be \"auditor <pseudonym>\"");
    }
    Instant decided;
    try {
      decided = Instant.parse(values[5]);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Cannot read an exemption decision: the time is not an ISO-8601 UTC instant", e);
    }
    DecisionLeaf decision = new DecisionLeaf(values[0], values[1], values[2].equals("grant"), values[3],
        values[4].substring("auditor ".length()), decided);
    if (!Arrays.equals(decision.encode(), leaf)) {
      throw new IllegalArgumentException("Cannot read an exemption decision: the text is not canonical");
    }
    return decision;
  }
}
