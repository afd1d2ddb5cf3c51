package optout.pseudonymizer.custody;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import optout.pseudonymizer.id.ProjectId;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The keys that reverse pseudonyms (warehouse keys for layer 1, project pseudonym keys for layer 2),
 * held for re-identification under two custodians (2-of-2). They are a BCFKS keystore whose passphrase
 * is HKDF-SHA256 over both custodians' {@link CustodianShare}s, so neither share alone, nor the file
 * with the trust centre's configuration and database, opens it. Beside it, {@code <file>.custodians}
 * lists what is not secret: the two shares' fingerprints (in derivation order), the projects and the
 * warehouse key versions inside.
 */
public final class ReidentificationKeys {

  private static final byte[] SALT = "nhi-optout re-identification keys".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] INFO = "bcfks passphrase v1".getBytes(StandardCharsets.US_ASCII);

  /** What the sidecar says: not secret, and only a convenience (the keystore itself decides). */
  public record Description(String firstShare, String secondShare, Set<ProjectId> projects, Set<Integer> warehouseVersions) {

    /** 1 or 2 for a share of this custody, 0 for any other. */
    public int slotOf(CustodianShare share) {
      String fingerprint = share.fingerprint();
      return fingerprint.equals(firstShare) ? 1 : fingerprint.equals(secondShare) ? 2 : 0;
    }
  }

  private ReidentificationKeys() {}

  /**
   * Copies the reversing keys of {@code sources} (BCFKS custodies: a key on a token cannot leave it)
   * into the re-identification keystore, creating it under the two shares if it does not exist. Both
   * custodians must be present: this is the ceremony that adds a project or a warehouse key version.
   */
  public static Description seal(Path file, CustodianShare first, CustodianShare second, KeyCustody... sources)
      throws GeneralSecurityException, IOException {
    if (Arrays.equals(first.bytes(), second.bytes())) {
      throw new GeneralSecurityException("Cannot seal the re-identification keys: the two custodians' shares must differ");
    }
    boolean exists = Files.exists(file);
    CustodianShare one = first;
    CustodianShare two = second;
    if (exists) {
      Description described = describe(file);
      if (described.slotOf(first) == 2) {
        one = second;
        two = first;
      }
    }
    try (KeyStoreCustody target = new KeyStoreCustody(exists
        ? BcfksFileStorage.open(file, passphrase(one, two))
        : BcfksFileStorage.create(file, passphrase(one, two)))) {
      for (KeyCustody source : sources) {
        if (!(source instanceof KeyStoreCustody keyStore)) {
          throw new GeneralSecurityException("Cannot seal the re-identification keys: " + source + " is not a key custody of this library");
        }
        keyStore.copyReversingKeysTo(target);
      }
      Description description = new Description(one.fingerprint(), two.fingerprint(), target.projectsWithPseudonymKeys(),
          target.warehouseVersions());
      writeDescription(file, description);
      return description;
    }
  }

  /** The sidecar of a re-identification keystore. */
  public static Description describe(Path file) throws IOException {
    Path sidecar = sidecar(file);
    if (!Files.isRegularFile(sidecar) || !Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null,
          "no re-identification keys here: the custodians create them with `./optout keys reidentification-seal`");
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(sidecar, StandardCharsets.UTF_8)) {
      properties.load(in);
    }
    Set<ProjectId> projects = split(properties.getProperty("projects", "")).stream().map(ProjectId::of)
        .collect(Collectors.toCollection(() -> new TreeSet<>(java.util.Comparator.comparing(ProjectId::value))));
    Set<Integer> versions = split(properties.getProperty("warehouse-versions", "")).stream().map(Integer::valueOf)
        .collect(Collectors.toCollection(TreeSet::new));
    return new Description(properties.getProperty("share.1", ""), properties.getProperty("share.2", ""), projects, versions);
  }

  /**
   * Opens the keys with both custodians' shares, in either order. Close it as soon as the request is
   * done: the unwrapped keys live only in this custody.
   *
   * @throws GeneralSecurityException if the two are not this keystore's two different shares
   */
  public static KeyCustody open(Path file, CustodianShare one, CustodianShare other) throws GeneralSecurityException, IOException {
    Description description = describe(file);
    int slotOne = description.slotOf(one);
    int slotOther = description.slotOf(other);
    if (slotOne == 0 || slotOther == 0 || slotOne == slotOther) {
      throw new GeneralSecurityException("Cannot open the re-identification keys: they need both custodians' shares");
    }
    return slotOne == 1
        ? new KeyStoreCustody(BcfksFileStorage.open(file, passphrase(one, other)))
        : new KeyStoreCustody(BcfksFileStorage.open(file, passphrase(other, one)));
  }

  /** HKDF-SHA256 over both shares (RFC 5869), as the keystore passphrase. */
  private static Passphrase passphrase(CustodianShare first, CustodianShare second) {
    byte[] ikm = new byte[CustodianShare.BYTES * 2];
    byte[] derived = new byte[32];
    try {
      System.arraycopy(first.bytes(), 0, ikm, 0, CustodianShare.BYTES);
      System.arraycopy(second.bytes(), 0, ikm, CustodianShare.BYTES, CustodianShare.BYTES);
      HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
      hkdf.init(new HKDFParameters(ikm, SALT, INFO));
      hkdf.generateBytes(derived, 0, derived.length);
      char[] characters = Base64.getEncoder().withoutPadding().encodeToString(derived).toCharArray();
      try {
        return Passphrase.of(characters);
      } finally {
        Arrays.fill(characters, '\0');
      }
    } finally {
      Arrays.fill(ikm, (byte) 0);
      Arrays.fill(derived, (byte) 0);
    }
  }

  private static void writeDescription(Path file, Description description) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("share.1", description.firstShare());
    properties.setProperty("share.2", description.secondShare());
    properties.setProperty("projects", description.projects().stream().map(ProjectId::value).collect(Collectors.joining(",")));
    properties.setProperty("warehouse-versions", description.warehouseVersions().stream().map(String::valueOf).collect(Collectors.joining(",")));
    Path sidecar = sidecar(file);
    Path temporary = Files.createTempFile(sidecar.toAbsolutePath().getParent(), ".custodians", ".new",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
        properties.store(out, "Not secret: which custodian shares open " + file.getFileName() + ", and what it holds");
      }
      Files.move(temporary, sidecar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static Path sidecar(Path file) {
    return file.resolveSibling(file.getFileName() + ".custodians");
  }

  private static java.util.List<String> split(String list) {
    return Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
  }
}
