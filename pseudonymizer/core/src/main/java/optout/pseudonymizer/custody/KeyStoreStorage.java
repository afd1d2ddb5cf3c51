package optout.pseudonymizer.custody;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;

/** Where a {@link KeyStoreCustody} keeps its {@link KeyStore}: a BCFKS file, or a PKCS#11 token. */
interface KeyStoreStorage extends AutoCloseable {

  /** The current contents, reloaded if another process changed them. */
  KeyStore current() throws GeneralSecurityException, IOException;

  /** Applies a change to fresh contents under an exclusive lock and persists it atomically. */
  <T> T modify(Change<T> change) throws GeneralSecurityException, IOException;

  KeyStore.ProtectionParameter protection();

  /** The provider that generates keys and runs ciphers with them (null: the default providers). */
  Provider keyProvider();

  @Override
  void close();

  @FunctionalInterface
  interface Change<T> {
    T apply(KeyStore keyStore) throws GeneralSecurityException;
  }
}
