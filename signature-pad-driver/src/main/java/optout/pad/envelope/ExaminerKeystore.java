package optout.pad.envelope;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The escrow examiner's key store: one EC P-256 key (key agreement, for the envelope's ECDH) with its
 * certificate, in a PKCS#12 file of its own under a generated passphrase kept in a file beside it
 * (both 0600). It is the examiner's, never a service's: the consent service gets only the certificate
 * (PEM) and seals envelopes for it. The local demo makes one under {@code var/keys}; a real deployment
 * configures the certificate of an examiner whose key lives elsewhere.
 */
public final class ExaminerKeystore {

  /** The key's alias in the store. */
  public static final String ALIAS = "escrow-examiner";
  private static final Duration VALIDITY = Duration.ofDays(1096);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An opened key store: the certificate envelopes are sealed for and the key that opens them. */
  public record Examiner(X509Certificate certificate, PrivateKey key) {
    /** Names the certificate only: the key never goes into a log line. */
    @Override
    public String toString() {
      return "Examiner[" + certificate.getSubjectX500Principal().getName() + "]";
    }
  }

  private ExaminerKeystore() {}

  /**
   * Makes the key store, its passphrase file and the certificate's PEM file; refuses if any exists, so
   * an examiner's key is never replaced (envelopes sealed for it would become unopenable).
   *
   * @param commonName the certificate's subject CN
   * @return the certificate
   */
  public static X509Certificate create(Path keystore, Path passphraseFile, Path certificatePem, String commonName, Instant now)
      throws IOException, GeneralSecurityException {
    for (Path file : List.of(keystore, passphraseFile, certificatePem)) {
      if (Files.exists(file)) {
        throw new FileAlreadyExistsException(file.toString(), null, "an examiner key store is never replaced");
      }
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    char[] passphrase = Base64.getUrlEncoder().withoutPadding().encodeToString(secret).toCharArray();
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    KeyPair pair = generator.generateKeyPair();
    X509Certificate certificate = selfSigned(pair, commonName, now);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, passphrase);
    store.setKeyEntry(ALIAS, pair.getPrivate(), passphrase, new Certificate[] {certificate});
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    store.store(bytes, passphrase);
    write(passphraseFile, new String(passphrase).getBytes(StandardCharsets.US_ASCII), "rw-------");
    write(keystore, bytes.toByteArray(), "rw-------");
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(certificate);
    }
    write(certificatePem, pem.toString().getBytes(StandardCharsets.US_ASCII), "rw-r--r--");
    java.util.Arrays.fill(passphrase, '\0');
    return certificate;
  }

  /**
   * Opens the key store with the passphrase in {@code passphraseFile}.
   *
   * @throws GeneralSecurityException if the passphrase is wrong, the file is not a PKCS#12 store, or it
   *     holds no examiner key
   */
  public static Examiner open(Path keystore, Path passphraseFile) throws IOException, GeneralSecurityException {
    char[] passphrase = Files.readString(passphraseFile, StandardCharsets.US_ASCII).strip().toCharArray();
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, passphrase);
    } catch (IOException e) {
      throw new GeneralSecurityException("Cannot open the examiner key store " + keystore + ": wrong passphrase, or not a PKCS#12 key store", e);
    }
    for (String alias : Collections.list(store.aliases())) {
      if (store.isKeyEntry(alias) && store.getCertificate(alias) instanceof X509Certificate certificate) {
        PrivateKey key = (PrivateKey) store.getKey(alias, passphrase);
        java.util.Arrays.fill(passphrase, '\0');
        return new Examiner(certificate, key);
      }
    }
    throw new GeneralSecurityException("Cannot open the examiner key store " + keystore + ": it holds no key with a certificate");
  }

  private static X509Certificate selfSigned(KeyPair pair, String commonName, Instant now) throws GeneralSecurityException {
    X500Name name = new X500Name("CN=" + commonName + ",O=NHI opt-out escrow,C=TW");
    try {
      JcaX509ExtensionUtils utilities = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(127, RANDOM).setBit(126),
          Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(VALIDITY)), name, pair.getPublic());
      builder.addExtension(Extension.subjectKeyIdentifier, false, utilities.createSubjectKeyIdentifier(pair.getPublic()));
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyAgreement));
      return new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("Cannot make the examiner's certificate: " + e.getMessage(), e);
    }
  }

  /** Written to a temporary file with its permissions first, then moved into place: never readable by others. */
  private static void write(Path target, byte[] bytes, String permissions) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    Path temporary = posix
        ? Files.createTempFile(directory, "." + target.getFileName(), ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
        : Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
    try {
      Files.write(temporary, bytes);
      if (posix) {
        Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(permissions));
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
