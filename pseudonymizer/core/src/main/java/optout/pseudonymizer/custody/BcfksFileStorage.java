package optout.pseudonymizer.custody;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.util.Objects;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A Bouncy Castle FIPS keystore (BCFKS) file. Entries are wrapped with a key derived from the
 * passphrase (PBKDF2, AES-CCM), so no key is ever on disk in clear. Changes are made under an
 * exclusive lock on a lock file beside it and written to a new file that atomically replaces the old
 * one, owner-only (0600), so a crash never leaves half a keystore.
 */
final class BcfksFileStorage implements KeyStoreStorage {

  static final String TYPE = "BCFKS";
  private static final Provider BOUNCY_CASTLE = new BouncyCastleProvider();

  private final Path file;
  private final Path lockFile;
  private final Passphrase passphrase;
  private final KeyStore.PasswordProtection protection;
  private KeyStore cached;
  private Object cachedVersion;

  private BcfksFileStorage(Path file, Passphrase passphrase) {
    this.file = file.toAbsolutePath();
    this.lockFile = this.file.resolveSibling(this.file.getFileName() + ".lock");
    this.passphrase = passphrase;
    this.protection = new KeyStore.PasswordProtection(passphrase.characters());
  }

  /** Opens an existing keystore; a wrong passphrase or a damaged file fails here. */
  static BcfksFileStorage open(Path file, Passphrase passphrase) throws GeneralSecurityException, IOException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no keystore here: create it with `./optout keys init`");
    }
    BcfksFileStorage storage = new BcfksFileStorage(file, passphrase);
    storage.current();
    return storage;
  }

  /** Creates an empty keystore; refused if one exists. */
  static BcfksFileStorage create(Path file, Passphrase passphrase) throws GeneralSecurityException, IOException {
    if (Files.exists(file)) {
      throw new FileAlreadyExistsException(file.toString(), null, "a keystore exists already");
    }
    Path directory = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(directory)) {
      Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    BcfksFileStorage storage = new BcfksFileStorage(file, passphrase);
    try (FileChannel lock = FileChannel.open(storage.lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString(), null, "a keystore exists already");
      }
      KeyStore empty = KeyStore.getInstance(TYPE, BOUNCY_CASTLE);
      empty.load(null, null);
      storage.write(empty);
    }
    storage.current();
    return storage;
  }

  @Override
  public synchronized KeyStore current() throws GeneralSecurityException, IOException {
    Object version = version();
    if (cached == null || !Objects.equals(version, cachedVersion)) {
      cached = read();
      cachedVersion = version;
    }
    return cached;
  }

  @Override
  public synchronized <T> T modify(Change<T> change) throws GeneralSecurityException, IOException {
    try (FileChannel lock = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      KeyStore fresh = read();
      T result = change.apply(fresh);
      write(fresh);
      cached = fresh;
      cachedVersion = version();
      return result;
    }
  }

  private KeyStore read() throws GeneralSecurityException, IOException {
    KeyStore keyStore = KeyStore.getInstance(TYPE, BOUNCY_CASTLE);
    try (InputStream in = Files.newInputStream(file)) {
      try {
        keyStore.load(in, passphrase.characters());
      } catch (IOException e) {
        // Bouncy Castle reports a wrong passphrase as a failed MAC, an IOException.
        throw new GeneralSecurityException("Cannot open the keystore: wrong passphrase, or the file is damaged", e);
      }
    }
    return keyStore;
  }

  private void write(KeyStore keyStore) throws GeneralSecurityException, IOException {
    Path temporary = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".new",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        keyStore.store(out, passphrase.characters());
        out.flush();
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private Object version() throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return attributes.lastModifiedTime().toMillis() + ":" + attributes.size() + ":" + attributes.fileKey();
  }

  @Override
  public KeyStore.ProtectionParameter protection() {
    return protection;
  }

  @Override
  public Provider keyProvider() {
    return null;
  }

  @Override
  public void close() {
    passphrase.close();
    try {
      protection.destroy();
    } catch (javax.security.auth.DestroyFailedException e) {
      // The copy inside PasswordProtection could not be wiped; nothing else holds it.
    }
  }
}
