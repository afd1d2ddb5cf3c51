package optout.platform.seal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.GeneralSecurityException;
import java.security.InvalidParameterException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.ProviderException;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.security.auth.login.LoginException;

/**
 * The agency's seal key on a PKCS#11 token (an HSM in production, SoftHSM2 in tests), through the
 * JDK's SunPKCS11 provider. The token signs; the key never leaves it. The certificate chain is read
 * from the token, where it is stored with the key under the same alias (as {@code keytool} or
 * {@link KeyStore#setKeyEntry} put it there).
 */
public final class Pkcs11SealingKey implements SealingKey, AutoCloseable {

  private final Provider provider;
  private final String alias;
  private final JcaSealingKey key;

  private Pkcs11SealingKey(Provider provider, String alias, JcaSealingKey key) {
    this.provider = provider;
    this.alias = alias;
    this.key = key;
  }

  /**
   * Logs in to the token and finds the seal key.
   *
   * @param configuration a SunPKCS11 configuration file ({@code name}, {@code library}, {@code slot})
   * @param pin the token's user PIN; the caller may clear it afterwards
   * @param alias the label of the key and its certificate on the token
   */
  public static Pkcs11SealingKey open(Path configuration, char[] pin, String alias) throws GeneralSecurityException, IOException {
    if (!Files.isRegularFile(configuration)) {
      throw new IOException("Cannot use PKCS#11: no SunPKCS11 configuration at " + configuration);
    }
    Provider base = Security.getProvider("SunPKCS11");
    if (base == null) {
      throw new GeneralSecurityException("Cannot use PKCS#11: this Java runtime has no SunPKCS11 provider");
    }
    Provider provider;
    try {
      provider = base.configure(configuration.toString());
    } catch (InvalidParameterException | ProviderException e) {
      throw new GeneralSecurityException("Cannot use PKCS#11: the token or its library cannot be loaded with " + configuration, e);
    }
    KeyStore token = KeyStore.getInstance("PKCS11", provider);
    try {
      token.load(null, pin);
    } catch (IOException e) {
      throw new GeneralSecurityException("Cannot log in to the PKCS#11 token: wrong PIN, or the token is not there", e);
    }
    Key found;
    try {
      found = token.getKey(alias, null);
    } catch (UnrecoverableKeyException e) {
      throw new GeneralSecurityException("Cannot use the seal key '" + alias + "' on the PKCS#11 token: " + e.getMessage(), e);
    }
    if (!(found instanceof PrivateKey privateKey)) {
      throw new GeneralSecurityException("Cannot use PKCS#11: the token has no private key labelled '" + alias + "'");
    }
    Certificate[] stored = token.getCertificateChain(alias);
    if (stored == null || stored.length == 0) {
      throw new GeneralSecurityException("Cannot use PKCS#11: the key '" + alias + "' has no certificate on the token");
    }
    List<X509Certificate> chain = new ArrayList<>();
    for (Certificate certificate : Arrays.asList(stored)) {
      chain.add((X509Certificate) certificate);
    }
    return new Pkcs11SealingKey(provider, alias, JcaSealingKey.of(privateKey, provider, chain));
  }

  @Override
  public List<X509Certificate> certificateChain() {
    return key.certificateChain();
  }

  @Override
  public String signatureAlgorithm() {
    return key.signatureAlgorithm();
  }

  @Override
  public byte[] sign(byte[] data) throws GeneralSecurityException {
    return key.sign(data);
  }

  /** Logs out of the token: PKCS#11 keeps one login per process and token until then. */
  @Override
  public void close() {
    if (provider instanceof AuthProvider auth) {
      try {
        auth.logout();
      } catch (LoginException e) {
        // Already logged out, or the token is gone: nothing is left logged in either way.
      }
    }
  }

  @Override
  public String toString() {
    return "Pkcs11SealingKey[" + alias + " on " + provider.getName() + ", " + key.certificate().getSubjectX500Principal().getName() + "]";
  }
}
