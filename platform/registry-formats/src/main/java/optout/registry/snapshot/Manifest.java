package optout.registry.snapshot;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import optout.registry.log.Checkpoint;
import optout.registry.log.Hash;
import optout.registry.log.NoteException;
import optout.registry.log.NoteSigner;
import optout.registry.log.NoteVerifier;
import optout.registry.log.SignedNote;

/**
 * The signed statement that goes with a snapshot file: which purpose, exemption and checkpoint it
 * is the exclusion set of, how many pseudonyms, their set hash and the file's hash. Signed as a
 * C2SP signed note by the registry's log key, which verifiers of the log already trust, so no new
 * key needs distributing. The text, exactly (each line ends in a newline, single spaces):
 *
 * <pre>
 * nhi-optout-registry/exclusion-snapshot/1
 * purpose &lt;scope code&gt;
 * exemption &lt;legal exemption code, or "none"&gt;
 * checkpoint &lt;log origin&gt; &lt;tree size&gt; &lt;root hash, standard base64 with padding&gt;
 * count &lt;number of pseudonyms&gt;
 * set-sha256 &lt;64 lower-case hex digits&gt;
 * file-sha256 &lt;64 lower-case hex digits&gt;
 * created &lt;UTC time, yyyy-mm-ddThh:mm:ssZ&gt;
 * </pre>
 *
 * Format {@code nhi-optout-registry/exclusion-snapshot/2} (every snapshot since the registry records key
 * versions) is the same with {@code /2} in the first line and one more line after the checkpoint:
 *
 * <pre>
 * warehouse-key-version &lt;the warehouse key version the pseudonyms are under, canonical decimal, at least 1&gt;
 * </pre>
 *
 * A snapshot's pseudonyms mean something only under the warehouse key that made them: one compared with
 * tables of another version misses every opt-out without any error, so consumers compare the two
 * ({@link #warehouseKeyVersion}); a format 1 manifest does not say, and {@link #warehouseKeyVersion} is 0.
 *
 * Numbers are canonical decimal (no sign, no leading zeros). The origin may contain spaces, so the
 * checkpoint line is read from the right: the last two fields are size and root hash. Parsing is
 * strict: exactly these lines in this order, nothing else, so that one manifest has one text.
 *
 * <p>The same key also signs checkpoints; the two cannot be confused: a checkpoint's second line is
 * a tree size in decimal, a manifest's starts with "purpose ", so neither parses as the other.
 *
 * <p>A manifest is only as good as the checkpoint it names: a verifier checks that the log published
 * a checkpoint with this origin, size and root hash ({@link #requireCheckpoint}), or that one it
 * trusts is consistent with it, before relying on the exclusion set.
 *
 * @param description purpose, exemption and checkpoint
 * @param count the number of pseudonyms
 * @param setSha256 SHA-256 over the sorted pseudonyms, 8 bytes big-endian each
 * @param fileSha256 SHA-256 over the Parquet file's bytes
 * @param created when the snapshot was made, whole seconds
 * @param warehouseKeyVersion the warehouse key version of the pseudonyms, or 0 where the manifest does not
 *     say (format 1)
 */
public record Manifest(SnapshotDescription description, long count, Hash setSha256, Hash fileSha256, Instant created,
    int warehouseKeyVersion) {

  /** The first line of a manifest that does not name its warehouse key version. */
  public static final String FORMAT_1 = "nhi-optout-registry/exclusion-snapshot/1";
  /** The first line of a manifest that names its warehouse key version. */
  public static final String FORMAT = "nhi-optout-registry/exclusion-snapshot/2";

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Pattern TIME_SHAPE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
  private static final Instant EARLIEST = Instant.EPOCH;
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
  private static final int LINES_1 = 8;

  public Manifest {
    Objects.requireNonNull(description, "Cannot make a manifest: the description is missing");
    if (count < 0) {
      throw new IllegalArgumentException("Cannot make a manifest: the count " + count + " is negative");
    }
    Objects.requireNonNull(setSha256, "Cannot make a manifest: the set hash is missing");
    Objects.requireNonNull(fileSha256, "Cannot make a manifest: the file hash is missing");
    Objects.requireNonNull(created, "Cannot make a manifest: the creation time is missing");
    if (created.getNano() != 0 || created.isBefore(EARLIEST) || created.isAfter(LATEST)) {
      throw new IllegalArgumentException(
          "Cannot make a manifest: the creation time must be whole seconds between 1970 and 9999 (see Manifest.of)");
    }
    if (warehouseKeyVersion < 0) {
      throw new IllegalArgumentException("Cannot make a manifest: the warehouse key version " + warehouseKeyVersion + " is negative");
    }
  }

  /** A format 1 manifest, which does not name the warehouse key version of its pseudonyms. */
  public Manifest(SnapshotDescription description, long count, Hash setSha256, Hash fileSha256, Instant created) {
    this(description, count, setSha256, fileSha256, created, 0);
  }

  /**
   * The manifest of a written snapshot whose pseudonyms are under warehouse key {@code warehouseKeyVersion};
   * {@code created} is truncated to whole seconds.
   */
  public static Manifest of(SnapshotDescription description, SnapshotSummary summary, int warehouseKeyVersion, Instant created) {
    Objects.requireNonNull(summary, "Cannot make a manifest: the snapshot summary is missing");
    Objects.requireNonNull(created, "Cannot make a manifest: the creation time is missing");
    if (warehouseKeyVersion < 1) {
      throw new IllegalArgumentException("Cannot make a manifest: the warehouse key version must be at least 1, it is " + warehouseKeyVersion);
    }
    return new Manifest(description, summary.count(), summary.setSha256(), summary.fileSha256(),
        created.truncatedTo(ChronoUnit.SECONDS), warehouseKeyVersion);
  }

  /**
   * Checks that this snapshot's pseudonyms are under warehouse key {@code version}, the version of the
   * data it is applied to.
   *
   * @throws ManifestException {@link ManifestException.Reason#MISMATCH} if the manifest names another
   *     version or none (format 1)
   */
  public void requireWarehouseKeyVersion(int version) throws ManifestException {
    if (warehouseKeyVersion != version) {
      throw mismatch("Cannot apply the exclusion snapshot: its pseudonyms are under warehouse key "
          + (warehouseKeyVersion == 0 ? "an unstated version (a format 1 manifest)" : "version " + warehouseKeyVersion)
          + ", the data under version " + version + "; its opt-outs would match no one");
    }
  }

  /** Count, set hash and file hash. */
  public SnapshotSummary summary() {
    return new SnapshotSummary(count, setSha256, fileSha256);
  }

  /** The manifest text that is signed, ending in a newline. */
  public String text() {
    return (warehouseKeyVersion == 0 ? FORMAT_1 : FORMAT) + "\n"
        + "purpose " + description.purpose() + "\n"
        + "exemption " + description.exemptionCode() + "\n"
        + "checkpoint " + description.checkpointValue() + "\n"
        + (warehouseKeyVersion == 0 ? "" : "warehouse-key-version " + warehouseKeyVersion + "\n")
        + "count " + count + "\n"
        + "set-sha256 " + setSha256.hex() + "\n"
        + "file-sha256 " + fileSha256.hex() + "\n"
        + "created " + TIME.format(created) + "\n";
  }

  /** The signed note: the text, a blank line and the signature line, ready to publish beside the file. */
  public String sign(NoteSigner signer) {
    Objects.requireNonNull(signer, "Cannot sign a manifest: the signer is missing");
    return SignedNote.sign(text(), signer).encoded();
  }

  /** The manifest in this signed note, if {@code trusted} signed it. */
  public static Manifest verify(String signedManifest, NoteVerifier trusted) throws ManifestException {
    return verify(signedManifest, List.of(Objects.requireNonNull(trusted, "Cannot verify a manifest: the trusted key is missing")));
  }

  /**
   * The manifest in this signed note, if at least one of {@code trusted} signed it and no trusted
   * key's signature fails (c2sp.org/signed-note; signatures by other keys are ignored).
   *
   * @throws ManifestException {@link ManifestException.Reason#MALFORMED} if the note or the text is
   *     malformed, {@link ManifestException.Reason#UNTRUSTED} if the signatures do not hold
   */
  public static Manifest verify(String signedManifest, Collection<? extends NoteVerifier> trusted)
      throws ManifestException {
    Objects.requireNonNull(signedManifest, "Cannot verify a manifest: the signed text is missing");
    SignedNote note;
    try {
      note = SignedNote.parse(signedManifest);
    } catch (NoteException e) {
      throw new ManifestException(ManifestException.Reason.MALFORMED,
          "Cannot verify exclusion snapshot manifest: " + e.getMessage(), e);
    }
    try {
      note.verify(trusted);
    } catch (NoteException e) {
      throw new ManifestException(ManifestException.Reason.UNTRUSTED,
          "Cannot verify exclusion snapshot manifest: " + e.getMessage(), e);
    }
    return parse(note.text());
  }

  /**
   * Parses a manifest text (without signatures) strictly; says nothing about who wrote it. Use
   * {@link #verify} for a signed manifest.
   *
   * @throws ManifestException {@link ManifestException.Reason#MALFORMED}, saying which line is wrong
   */
  public static Manifest parse(String text) throws ManifestException {
    Objects.requireNonNull(text, "Cannot parse a manifest: the text is missing");
    if (!text.endsWith("\n")) {
      throw malformed("the text must end in a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    boolean versioned = lines[0].equals(FORMAT);
    if (!versioned && !lines[0].equals(FORMAT_1)) {
      throw malformed("line 1 must be " + FORMAT + " (or " + FORMAT_1 + "), it is " + excerpt(lines[0]));
    }
    int expected = versioned ? LINES_1 + 1 : LINES_1;
    if (lines.length != expected) {
      throw malformed("it has " + lines.length + " lines, a manifest of its format has " + expected);
    }
    String purpose = value(lines, 1, "purpose", "a scope code");
    String exemption = value(lines, 2, "exemption", "an exemption code or " + SnapshotDescription.NO_EXEMPTION);
    Checkpoint checkpoint = checkpoint(value(lines, 3, "checkpoint", "<origin> <tree size> <base64 root hash>"));
    int next = 4;
    int keyVersion = 0;
    if (versioned) {
      long version = decimal(value(lines, next, "warehouse-key-version", "a canonical decimal number"), next + 1);
      if (version < 1 || version > Integer.MAX_VALUE) {
        throw malformed("line 5: the warehouse key version " + version + " is not between 1 and " + Integer.MAX_VALUE);
      }
      keyVersion = (int) version;
      next++;
    }
    long count = decimal(value(lines, next, "count", "a canonical decimal number"), next + 1);
    Hash setSha256 = sha256(value(lines, next + 1, "set-sha256", "64 lower-case hex digits"), next + 2);
    Hash fileSha256 = sha256(value(lines, next + 2, "file-sha256", "64 lower-case hex digits"), next + 3);
    Instant created = time(value(lines, next + 3, "created", "a UTC time yyyy-mm-ddThh:mm:ssZ"), next + 4);
    if (!SnapshotDescription.isCode(purpose)) {
      throw malformed("line 2: the purpose " + excerpt(purpose) + " is not a scope code");
    }
    if (!SnapshotDescription.isCode(exemption)) {
      throw malformed("line 3: the exemption " + excerpt(exemption) + " is not an exemption code or none");
    }
    try {
      SnapshotDescription description = new SnapshotDescription(purpose,
          exemption.equals(SnapshotDescription.NO_EXEMPTION) ? Optional.empty() : Optional.of(exemption), checkpoint);
      return new Manifest(description, count, setSha256, fileSha256, created, keyVersion);
    } catch (IllegalArgumentException e) {
      throw malformed(e.getMessage());
    }
  }

  /**
   * Checks that this manifest names exactly this checkpoint (origin, tree size, root hash), which
   * the caller verified with {@link optout.registry.log.CheckpointVerifier} from the log's own
   * published checkpoints.
   */
  public void requireCheckpoint(Checkpoint published) throws ManifestException {
    Objects.requireNonNull(published, "Cannot compare a manifest with a checkpoint: the checkpoint is missing");
    Checkpoint named = description.checkpoint();
    if (!named.origin().equals(published.origin()) || named.size() != published.size()
        || !named.rootHash().equals(published.rootHash())) {
      throw new ManifestException(ManifestException.Reason.MISMATCH, "Cannot match the manifest to the checkpoint: it names "
          + description.checkpointValue() + ", the checkpoint is " + published.origin() + " " + published.size() + " "
          + published.rootHash().base64());
    }
  }

  /** Checks a file's description and summary against this manifest, naming the first difference. */
  void requireMatches(SnapshotDescription fileDescription, SnapshotSummary fileSummary) throws ManifestException {
    String action = "Cannot match the snapshot file to its manifest: ";
    if (!fileSummary.fileSha256().equals(fileSha256)) {
      throw mismatch(action + "the file's SHA-256 is " + fileSummary.fileSha256().hex() + ", the manifest says " + fileSha256.hex());
    }
    if (!fileDescription.equals(description)) {
      throw mismatch(action + "the file describes purpose " + fileDescription.purpose() + ", exemption "
          + fileDescription.exemptionCode() + ", checkpoint " + fileDescription.checkpointValue() + "; the manifest purpose "
          + description.purpose() + ", exemption " + description.exemptionCode() + ", checkpoint " + description.checkpointValue());
    }
    if (fileSummary.count() != count) {
      throw mismatch(action + "the file holds " + fileSummary.count() + " pseudonyms, the manifest says " + count);
    }
    if (!fileSummary.setSha256().equals(setSha256)) {
      throw mismatch(action + "the file's set hash is " + fileSummary.setSha256().hex() + ", the manifest says " + setSha256.hex());
    }
  }

  /** A canonical decimal (digits only, "0" or no leading zero) up to 2^63-1, or -1 if it is not one. */
  static long parseCanonicalDecimal(String text) {
    if (text.isEmpty() || text.length() > 19 || text.length() > 1 && text.charAt(0) == '0'
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  static boolean isLowerHexSha256(String text) {
    return SHA256_HEX.matcher(text).matches();
  }

  private static String value(String[] lines, int index, String key, String what) throws ManifestException {
    String line = lines[index];
    String prefix = key + " ";
    if (!line.startsWith(prefix) || line.length() == prefix.length()) {
      throw malformed("line " + (index + 1) + " must be \"" + key + " <" + what + ">\", it is " + excerpt(line));
    }
    return line.substring(prefix.length());
  }

  private static Checkpoint checkpoint(String value) throws ManifestException {
    int rootStart = value.lastIndexOf(' ');
    int sizeStart = rootStart <= 0 ? -1 : value.lastIndexOf(' ', rootStart - 1);
    if (sizeStart <= 0) {
      throw malformed("line 4 must be \"checkpoint <origin> <tree size> <base64 root hash>\"");
    }
    long size = decimal(value.substring(sizeStart + 1, rootStart), 4);
    try {
      return new Checkpoint(value.substring(0, sizeStart), size, Hash.fromBase64(value.substring(rootStart + 1)), List.of());
    } catch (IllegalArgumentException e) {
      throw malformed("line 4: " + e.getMessage());
    }
  }

  private static long decimal(String text, int line) throws ManifestException {
    long value = parseCanonicalDecimal(text);
    if (value < 0) {
      throw malformed("line " + line + ": " + excerpt(text) + " is not a canonical decimal number up to 2^63-1");
    }
    return value;
  }

  private static Hash sha256(String text, int line) throws ManifestException {
    if (!isLowerHexSha256(text)) {
      throw malformed("line " + line + ": a SHA-256 is written as 64 lower-case hex digits");
    }
    return Hash.fromHex(text);
  }

  private static Instant time(String text, int line) throws ManifestException {
    Instant parsed = null;
    if (TIME_SHAPE.matcher(text).matches()) {
      try {
        parsed = Instant.parse(text);
      } catch (DateTimeParseException e) {
        parsed = null;
      }
    }
    if (parsed == null || !TIME.format(parsed).equals(text)) {
      throw malformed("line " + line + ": " + excerpt(text) + " is not a valid UTC time yyyy-mm-ddThh:mm:ssZ");
    }
    return parsed;
  }

  private static String excerpt(String text) {
    return text.length() <= 60 ? '"' + text + '"' : '"' + text.substring(0, 60) + "\"...";
  }

  private static ManifestException malformed(String reason) {
    return new ManifestException(ManifestException.Reason.MALFORMED, "Cannot parse exclusion snapshot manifest: " + reason);
  }

  private static ManifestException mismatch(String message) {
    return new ManifestException(ManifestException.Reason.MISMATCH, message);
  }
}
