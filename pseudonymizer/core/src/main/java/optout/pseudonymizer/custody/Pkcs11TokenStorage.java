package optout.pseudonymizer.custody;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;

/**
 * A PKCS#11 token (an HSM; SoftHSM2 in tests) through the JDK's SunPKCS11 provider. Keys are generated
 * on the token and never leave it: the token runs AES and HMAC itself, and destroying an entry is the
 * token's own C_DestroyObject. Every change is immediate on the token, so there is nothing to lock or
 * write; the key store is reloaded before each use to see other processes' changes.
 */
final class Pkcs11TokenStorage implements KeyStoreStorage {

  /**
   * SunPKCS11 sets neither CKA_SENSITIVE nor CKA_EXTRACTABLE when it generates a secret key, so the
   * token's defaults would decide; this asks for both. The key is generated as a session object and
   * copied to the token (C_CopyObject), which keeps the two.
   */
  static final String GENERATED_SECRET_KEYS = """
      attributes(generate, CKO_SECRET_KEY, *) = {
        CKA_SENSITIVE = true
        CKA_EXTRACTABLE = false
      }
      """;

  private final Provider provider;
  private final Passphrase pin;
  private KeyStore keyStore;

  private Pkcs11TokenStorage(Provider provider, Passphrase pin) {
    this.provider = provider;
    this.pin = pin;
  }

  /**
   * @param configuration a SunPKCS11 configuration file (library, slot), see the README
   * @param pin the token's user PIN
   */
  static Pkcs11TokenStorage open(Path configuration, Passphrase pin) throws GeneralSecurityException, IOException {
    if (!Files.isRegularFile(configuration)) {
      throw new IOException("Cannot use PKCS#11: no SunPKCS11 configuration at " + configuration);
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new GeneralSecurityException("Cannot use PKCS#11: this Java runtime has no SunPKCS11 provider");
    }
    Provider provider;
    try {
      // The deployment's configuration (library, slot), plus our template for the keys we generate.
      provider = base.configure("--" + Files.readString(configuration) + "\n" + GENERATED_SECRET_KEYS);
    } catch (java.security.InvalidParameterException | java.security.ProviderException e) {
      throw new GeneralSecurityException("Cannot use PKCS#11: the token or its library cannot be loaded with " + configuration, e);
    }
    Pkcs11TokenStorage storage = new Pkcs11TokenStorage(provider, pin);
    storage.current();
    return storage;
  }

  @Override
  public synchronized KeyStore current() throws GeneralSecurityException, IOException {
    KeyStore fresh = KeyStore.getInstance("PKCS11", provider);
    try {
      fresh.load(null, pin.characters());
    } catch (IOException e) {
      throw new GeneralSecurityException("Cannot log in to the PKCS#11 token: wrong PIN, or the token is not there", e);
    }
    keyStore = fresh;
    return keyStore;
  }

  @Override
  public synchronized <T> T modify(Change<T> change) throws GeneralSecurityException, IOException {
    return change.apply(current());
  }

  @Override
  public KeyStore.ProtectionParameter protection() {
    return null; // the token login protects every entry
  }

  @Override
  public Provider keyProvider() {
    return provider;
  }

  /**
   * Logs out of the token. PKCS#11 keeps one login per process and token: until this runs, another
   * login in this process is not checked against its PIN.
   */
  @Override
  public void close() {
    pin.close();
    if (provider instanceof java.security.AuthProvider auth) {
      try {
        auth.logout();
      } catch (javax.security.auth.login.LoginException e) {
        // Already logged out, or the token is gone: nothing is left logged in either way.
      }
    }
  }
}
