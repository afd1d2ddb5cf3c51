package optout.pseudonymizer.custody;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
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

  /** The keystore file named by {@value #KEYSTORE_VARIABLE}. */
  public static Path keystorePath(Map<String, String> environment) {
    String path = environment.get(KEYSTORE_VARIABLE);
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("Cannot find the keystore: set " + KEYSTORE_VARIABLE + " to its file");
    }
    return Path.of(path);
  }
}
