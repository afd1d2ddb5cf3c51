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
   * The duties keys serve, each to be given only to the components that need it: the warehouse key
   * (layer 1: ingest, the registry, a citizen's own pseudonym), the release keys (project pseudonym and
   * token keys: extract and propagation jobs) and the identity key (the registry's sealed IDs).
   */
  public enum Duty {
    WAREHOUSE,
    RELEASE,
    IDENTITY
  }

  /**
   * Copies one duty's keys from a BCFKS custody into a keystore of their own under its own passphrase,
   * creating it, or adding what it lacks (a new warehouse key version, a new project), so a component
   * can be given that duty's keys and no others. Keys on a PKCS#11 token never leave it: refused.
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
