package optout.platform.seal.pki;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.HexFormat;

/**
 * LOCAL DEMO ONLY: gives another platform service a seal of its own under the demo PKI (as {@code ./optout up} does
 * for the research portal's citizen reports): a new ECDSA P-256 key and a seal certificate from the demo root with the
 * agency seal's profile, written as a PKCS#12 key store (0600, alias {@code seal}, chain: the certificate and the root)
 * under a random passphrase written beside it (0600). The demo root's key stays in the demo PKI's own key store.
 *
 * <p>{@code DemoSealCertificate <demo-pki-directory> <key-store.p12> <passphrase-file> <common name>}; does nothing when
 * the key store exists.
 */
public final class DemoSealCertificate {

  /** The key store's one entry. */
  public static final String ALIAS = "seal";

  private DemoSealCertificate() {}

  public static void main(String[] args) throws IOException, GeneralSecurityException {
    if (args.length != 4) {
      System.err.println("Usage: DemoSealCertificate <demo-pki-directory> <key-store.p12> <passphrase-file> <common name>");
      System.exit(2);
    }
    Path keystore = Path.of(args[1]);
    if (Files.exists(keystore)) {
      return;
    }
    DemoPki pki = DemoPki.openOrCreate(Path.of(args[0]), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    issue(pki, keystore, Path.of(args[2]), args[3]);
  }

  /** Issues the seal and writes the key store and its passphrase file. */
  public static X509Certificate issue(DemoPki pki, Path keystore, Path passphraseFile, String commonName)
      throws IOException, GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    X509Certificate certificate = pki.issueSealCertificate(pair.getPublic(), commonName);
    byte[] secret = new byte[24];
    new SecureRandom().nextBytes(secret);
    char[] passphrase = HexFormat.of().formatHex(secret).toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry(ALIAS, pair.getPrivate(), passphrase, new Certificate[] {certificate, pki.rootCertificate()});
    Path directory = keystore.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    write(passphraseFile, new String(passphrase).getBytes(StandardCharsets.US_ASCII));
    Path temporary = Files.createTempFile(directory, ".seal", ".p12", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(temporary)) {
      store.store(out, passphrase);
    }
    Files.move(temporary, keystore, StandardCopyOption.ATOMIC_MOVE);
    return certificate;
  }

  private static void write(Path file, byte[] content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temporary = Files.createTempFile(directory, ".seal", ".pass", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.write(temporary, content);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
  }
}
