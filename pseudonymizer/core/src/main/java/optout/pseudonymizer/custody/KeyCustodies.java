package optout.pseudonymizer.custody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;

/** Opens key custodies. */
public final class KeyCustodies {

  /** Names the keystore file; see {@link Passphrase} for its passphrase. */
  public static final String KEYSTORE_VARIABLE = "OPTOUT_KEYSTORE";

  private KeyCustodies() {}

  /** Creates a new, empty BCFKS keystore file; refused if the file exists. */
  public static KeyCustody createBcfks(Path file, Passphrase passphrase) throws GeneralSecurityException, IOException {
    return new KeyStoreCustody(BcfksFileStorage.create(file, passphrase));
  }

  /** Opens an existing BCFKS keystore file; a wrong passphrase fails here. */
  public static KeyCustody openBcfks(Path file, Passphrase passphrase) throws GeneralSecurityException, IOException {
    return new KeyStoreCustody(BcfksFileStorage.open(file, passphrase));
  }

  /**
   * Opens a PKCS#11 token through a SunPKCS11 configuration file (its {@code library} and slot).
   * Keys are generated on the token and never leave it.
   */
  public static KeyCustody openPkcs11(Path configuration, Passphrase pin) throws GeneralSecurityException, IOException {
    return new KeyStoreCustody(Pkcs11TokenStorage.open(configuration, pin));
  }

  /**
   * The duties keys serve, each in a custody of its own (its own keystore file and passphrase, or its own
   * PKCS#11 token and PIN), given only to the components that need it: the warehouse key (layer 1:
   * ingest and the registry's pseudonymisation; with the warehouse's own hospital tokens, project
   * {@value #WAREHOUSE_TOKENS}), the release keys (project pseudonym and token keys: extract and
   * propagation jobs) and the identity key (the registry's sealed IDs, for a citizen's own view).
   * Each duty is named by its own variables: {@code OPTOUT_<DUTY>_KEYSTORE} (or
   * {@code OPTOUT_<DUTY>_PKCS11_CONFIG}) and {@code OPTOUT_<DUTY>_KEYSTORE_PASSWORD} (or {@code _FILE}).
   */
  public enum Duty {
    WAREHOUSE,
    RELEASE,
    IDENTITY;

    private String prefix() {
      return "OPTOUT_" + name() + "_";
    }

    public String keystoreVariable() {
      return prefix() + "KEYSTORE";
    }

    public String pkcs11ConfigVariable() {
      return prefix() + "PKCS11_CONFIG";
    }

    public String passphraseVariable() {
      return prefix() + "KEYSTORE_PASSWORD";
    }

    public String passphraseFileVariable() {
      return prefix() + "KEYSTORE_PASSWORD_FILE";
    }

    /** Every variable that names this duty's custody. */
    public List<String> variables() {
      return List.of(keystoreVariable(), pkcs11ConfigVariable(), passphraseVariable(), passphraseFileVariable());
    }

    public String lowerCaseName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The duty a key serves. */
    public static Duty of(KeyInfo key) {
      return switch (key.purpose()) {
        case WAREHOUSE_PSEUDONYM -> WAREHOUSE;
        case SEALED_PERSON_ID -> IDENTITY;
        case PROJECT_PSEUDONYM, PROJECT_TOKEN, DESTROYED_PROJECT ->
            key.project().filter(WAREHOUSE_TOKENS_PROJECT::equals).isPresent() ? WAREHOUSE : RELEASE;
      };
    }
  }

  /**
   * The project whose token key makes the warehouse's own hospital and insured-unit tokens at ingest: a
   * warehouse key, not a release key, though it is stored like a project's.
   */
  public static final String WAREHOUSE_TOKENS = "nhi-warehouse";

  static final optout.pseudonymizer.id.ProjectId WAREHOUSE_TOKENS_PROJECT = optout.pseudonymizer.id.ProjectId.of(WAREHOUSE_TOKENS);

  /**
   * Opens one duty's custody from the variables that name it (see {@link Duty}). The custody answers
   * only for its duty, and it is refused if it holds another duty's keys: a component must not be able
   * to do more than its duty by being given a keystore that holds everything.
   */
  public static KeyCustody openForDuty(Duty duty, Map<String, String> environment) throws GeneralSecurityException, IOException {
    String pkcs11 = environment.get(duty.pkcs11ConfigVariable());
    String keystore = environment.get(duty.keystoreVariable());
    boolean token = pkcs11 != null && !pkcs11.isBlank();
    if (!token && (keystore == null || keystore.isBlank())) {
      throw new KeyUnavailableException("Cannot find the " + duty.lowerCaseName() + " keys: set " + duty.keystoreVariable()
          + " (or " + duty.pkcs11ConfigVariable() + ") and " + duty.passphraseVariable() + " (or " + duty.passphraseFileVariable() + ")");
    }
    if (!token && !Files.exists(Path.of(keystore))) {
      throw new KeyUnavailableException("Cannot open the " + duty.lowerCaseName() + " keys: there is no keystore at " + keystore
          + " (" + duty.keystoreVariable() + "); the key ceremony makes it with ./optout keys split --duty " + duty.lowerCaseName());
    }
    // The storage keeps the passphrase (it reopens the file after every change) and wipes it when closed.
    Passphrase passphrase = Passphrase.fromEnvironment(environment, duty.passphraseVariable(), duty.passphraseFileVariable());
    KeyCustody custody = token ? openPkcs11(Path.of(pkcs11), passphrase) : openBcfks(Path.of(keystore), passphrase);
    try {
      for (KeyInfo key : custody.keys()) {
        Duty other = Duty.of(key);
        if (other != duty) {
          throw new KeyUnavailableException("Cannot use " + (token ? duty.pkcs11ConfigVariable() : duty.keystoreVariable())
              + " as the " + duty.lowerCaseName() + " custody: it also holds " + other.lowerCaseName()
              + " keys; give each duty a keystore of its own (./optout keys split)");
        }
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      custody.close();
      throw e;
    }
    return new DutyCustody(duty, custody);
  }

  /**
   * Copies one duty's keys from a BCFKS custody into a keystore of their own under its own passphrase,
   * creating it, or bringing it up to date: it gains what it lacks (a new warehouse key version, a new
   * project), and a project the source destroyed is destroyed in the copy too (its keys go, its tombstone
   * comes); nothing else is removed. A component can then be given that duty's keys and no others.
   * Keys on a PKCS#11 token never leave it: refused.
   */
  public static List<KeyInfo> split(KeyCustody source, Duty duty, Path target, Passphrase passphrase)
      throws GeneralSecurityException, IOException {
    if (!(source instanceof KeyStoreCustody keyStore)) {
      throw new GeneralSecurityException("Cannot split " + source + ": it is not a key custody of this library");
    }
    try (KeyStoreCustody copy = new KeyStoreCustody(Files.exists(target)
        ? BcfksFileStorage.open(target, passphrase)
        : BcfksFileStorage.create(target, passphrase))) {
      keyStore.copyDutyTo(duty, copy);
      return copy.keys();
    }
  }

  /** Names a SunPKCS11 configuration file; when set, the keys live on that token, not in a keystore file. */
  public static final String PKCS11_CONFIG_VARIABLE = "OPTOUT_PKCS11_CONFIG";

  /**
   * The custody the environment names: the PKCS#11 token of {@value #PKCS11_CONFIG_VARIABLE} if set,
   * else the BCFKS file of {@value #KEYSTORE_VARIABLE}. The passphrase variables give the keystore's
   * passphrase or the token's PIN.
   */
  public static KeyCustody openFromEnvironment(Map<String, String> environment) throws GeneralSecurityException, IOException {
    String pkcs11 = environment.get(PKCS11_CONFIG_VARIABLE);
    if (pkcs11 != null && !pkcs11.isBlank()) {
      return openPkcs11(Path.of(pkcs11), Passphrase.fromEnvironment(environment));
    }
    return openBcfks(keystorePath(environment), Passphrase.fromEnvironment(environment));
  }

  public static boolean usesPkcs11(Map<String, String> environment) {
    String pkcs11 = environment.get(PKCS11_CONFIG_VARIABLE);
    return pkcs11 != null && !pkcs11.isBlank();
  }

  /** The keystore file named by {@value #KEYSTORE_VARIABLE}. */
  public static Path keystorePath(Map<String, String> environment) {
    String path = environment.get(KEYSTORE_VARIABLE);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("Cannot find the keystore: set " + KEYSTORE_VARIABLE + " to its file");
    }
    return Path.of(path);
  }
}
