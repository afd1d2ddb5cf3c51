package optout.platform.seal.pki;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import optout.platform.seal.JcaSealingKey;
import optout.platform.seal.LocalTimestampAuthority;
import optout.platform.seal.RevocationSource;
import optout.platform.seal.SealingKey;

/**
 * The demo PKI that lets the platform seal forms with no outside CA: made on first use in a directory
 * of the caller's choice and loaded from there afterwards. LOCAL DEMO ONLY: its root is trusted by
 * nobody but the platform's own checks and whoever imports {@value #ROOT_FILE}.
 *
 * <p>Profile (every key ECDSA P-256 with SHA-256, which NSS/pdfsig, OpenSSL and the JDK all accept;
 * serial numbers random, 127 bits; subject and authority key identifiers on every certificate):
 * <ul>
 *   <li>root CA, 10 years: basicConstraints critical CA pathLen 0, keyUsage critical keyCertSign cRLSign;
 *   <li>agency seal, 3 years: basicConstraints critical not CA, keyUsage critical digitalSignature
 *       nonRepudiation, extendedKeyUsage emailProtection (NSS, and so pdfsig, checks a PDF signer as
 *       an S/MIME signer, "certUsageEmailSigner") and documentSigning (RFC 9336);
 *   <li>timestamp authority, 5 years: keyUsage critical digitalSignature, extendedKeyUsage critical
 *       timeStamping and nothing else (RFC 3161 section 2.3; OpenSSL insists on both).
 * </ul>
 * The escrow examiner is not part of it: the examiner's key must never be in the service's key store,
 * so the service is configured with the examiner's certificate only (the local demo's examiner key
 * store is the signature-pad driver's {@code ExaminerKeystore}, under {@code var/keys}). A key store
 * made before that still holds an entry {@value #LEGACY_EXAMINER}; it is never read, and its presence
 * is reported ({@link #holdsLegacyExaminerKey()}).
 * Revocation is by CRL only, with no distribution point and no OCSP (nothing to fetch): the root
 * issues an empty CRL, valid for 7 days, each time {@link #currentCrl()} is called, and the sealer
 * embeds it in the PDF's DSS (B-LT). A certificate about to expire (30 days) is renewed with a new key
 * when the PKI is opened.
 *
 * <p>Files, written atomically (temporary file, then rename) in a 0700 directory under a lock, so two
 * processes starting at once make one PKI: {@value #KEYSTORE_FILE} (0600, a PKCS#12 key store under the
 * caller's passphrase holding the three keys and their chains, encrypted as the JDK 17 does by default:
 * PBES2 with PBKDF2-HMAC-SHA256 and AES-256, 10,000 iterations, HMAC-SHA256 integrity; {@code openssl
 * pkcs12} reads it too) and the certificates as PEM (0644). PKCS#12 rather than BCFKS because opening
 * it costs milliseconds rather than a second, at every start and in every test.
 */
public final class DemoPki {

  /** The documented passphrase of the local demo: it protects nothing that matters outside a laptop. */
  public static final String DEMO_PASSPHRASE = "optout-local-demo-pki";
  public static final String KEYSTORE_FILE = "demo-pki.p12";
  public static final String ROOT_FILE = "root-ca.pem";
  public static final String AGENCY_FILE = "agency-seal.pem";
  public static final String TSA_FILE = "timestamp-authority.pem";

  static final String ROOT = "root-ca";
  static final String AGENCY = "agency-seal";
  static final String TSA = "timestamp-authority";
  /** The examiner's entry in key stores made before the examiner had a key store of its own. */
  public static final String LEGACY_EXAMINER = "escrow-examiner";

  private static final String ORGANIZATION = "National Health Insurance Administration (demo)";
  private static final String UNIT = "LOCAL DEMO - NOT FOR PRODUCTION";
  private static final ASN1ObjectIdentifier DOCUMENT_SIGNING = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.36");
  private static final Duration RENEW_BEFORE = Duration.ofDays(30);
  private static final Duration CRL_VALIDITY = Duration.ofDays(7);
  private static final SecureRandom RANDOM = new SecureRandom();

  private enum Profile {
    ROOT("NHI Opt-out Demo Root CA", Duration.ofDays(3653)),
    AGENCY("NHI Opt-out Agency Seal (demo)", Duration.ofDays(1096)),
    TSA("NHI Opt-out Demo Timestamp Authority", Duration.ofDays(1827));

    final String commonName;
    final Duration validity;

    Profile(String commonName, Duration validity) {
      this.commonName = commonName;
      this.validity = validity;
    }
  }

  private final Path directory;
  private final Clock clock;
  private final boolean created;
  private final PrivateKey rootKey;
  private final X509Certificate root;
  private final PrivateKey agencyKey;
  private final X509Certificate agency;
  private final PrivateKey tsaKey;
  private final X509Certificate tsa;
  private final boolean legacyExaminerKey;

  private DemoPki(Path directory, Clock clock, boolean created, KeyStore store, char[] passphrase) throws GeneralSecurityException {
    this.directory = directory;
    this.clock = clock;
    this.created = created;
    this.rootKey = privateKey(store, ROOT, passphrase);
    this.root = certificate(store, ROOT);
    this.agencyKey = privateKey(store, AGENCY, passphrase);
    this.agency = certificate(store, AGENCY);
    this.tsaKey = privateKey(store, TSA, passphrase);
    this.tsa = certificate(store, TSA);
    this.legacyExaminerKey = store.containsAlias(LEGACY_EXAMINER);
  }

  /**
   * Loads the demo PKI from {@code directory}, or makes it there if there is none yet.
   *
   * @param passphrase protects the key store; the caller may clear it afterwards
   * @param clock the time source for certificates, CRLs and the timestamp authority
   * @throws GeneralSecurityException if the passphrase is wrong, or the key store is not a demo PKI
   */
  public static synchronized DemoPki openOrCreate(Path directory, char[] passphrase, Clock clock) throws IOException, GeneralSecurityException {
    Files.createDirectories(directory);
    restrict(directory, "rwx------");
    Path keystore = directory.resolve(KEYSTORE_FILE);
    try (FileChannel lockFile = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      lockFile.lock(); // other processes wait here; the lock goes with the channel
      boolean created = false;
      KeyStore store;
      if (Files.exists(keystore)) {
        store = load(keystore, passphrase);
        if (renewExpiring(store, passphrase, clock.instant())) {
          writeAtomically(keystore, save(store, passphrase), "rw-------");
        }
      } else {
        store = generate(passphrase, clock.instant());
        writeAtomically(keystore, save(store, passphrase), "rw-------");
        created = true;
      }
      DemoPki pki = new DemoPki(directory, clock, created, store, passphrase);
      pki.exportCertificates();
      return pki;
    }
  }

  /** Whether {@link #openOrCreate} made this PKI (the service logs it: a new root must be trusted anew). */
  public boolean createdNow() {
    return created;
  }

  public Path directory() {
    return directory;
  }

  /** The PEM file of the root, for {@code pdfsig}'s NSS database or {@code openssl -CAfile}. */
  public Path rootCertificateFile() {
    return directory.resolve(ROOT_FILE);
  }

  public X509Certificate rootCertificate() {
    return root;
  }

  public X509Certificate agencyCertificate() {
    return agency;
  }

  public X509Certificate timestampCertificate() {
    return tsa;
  }

  /** Whether the key store still holds the examiner key of an older demo (never read; to be moved to the examiner). */
  public boolean holdsLegacyExaminerKey() {
    return legacyExaminerKey;
  }

  /** The agency's seal key, signing in software with the key from the key store. */
  public SealingKey agencySealingKey() throws GeneralSecurityException {
    return JcaSealingKey.of(agencyKey, null, List.of(agency, root));
  }

  /** The built-in RFC 3161 authority with the demo TSA key, on this PKI's clock. */
  public LocalTimestampAuthority timestampAuthority() throws GeneralSecurityException {
    return LocalTimestampAuthority.create(tsaKey, List.of(tsa, root), clock);
  }

  /** Revocation data for the sealer: a fresh CRL from the root, which issued every certificate the seal relies on. */
  public RevocationSource revocationSource() {
    return certificates -> List.of(currentCrl());
  }

  /**
   * A new, empty CRL signed by the root, issued now: nothing of the demo PKI is ever revoked. Its CRL
   * number is the issue time in milliseconds, so numbers grow without a counter to keep.
   */
  public X509CRL currentCrl() throws GeneralSecurityException {
    Instant now = clock.instant();
    try {
      // Issued now, not backdated: the sealer embeds it as proof that the chains were unrevoked after the
      // signature timestamp (B-LT), which a CRL dated before that timestamp cannot show.
      X509v2CRLBuilder crl = new JcaX509v2CRLBuilder(root.getSubjectX500Principal(), Date.from(now.truncatedTo(ChronoUnit.SECONDS)));
      crl.setNextUpdate(Date.from(now.plus(CRL_VALIDITY)));
      crl.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(root));
      crl.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(now.toEpochMilli())));
      return new JcaX509CRLConverter().getCRL(crl.build(signer(rootKey)));
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("Cannot issue the demo CRL: " + e.getMessage(), e);
    }
  }

  /**
   * Issues an agency seal certificate for a key held elsewhere (a PKCS#11 token), with the same
   * profile as the demo's own seal certificate.
   *
   * @return the certificate; its chain is it and {@link #rootCertificate()}
   */
  public X509Certificate issueSealCertificate(PublicKey key, String commonName) throws GeneralSecurityException {
    return issue(Profile.AGENCY, commonName, key, root, rootKey, clock.instant());
  }

  /**
   * Issues a timestamp authority certificate for another key, with the demo TSA's profile but the
   * given validity: a TSA whose certificate ends soon, to exercise archive timestamps.
   *
   * @return the certificate; its chain is it and {@link #rootCertificate()}
   */
  public X509Certificate issueTimestampCertificate(PublicKey key, String commonName, Duration validity) throws GeneralSecurityException {
    return issue(Profile.TSA, commonName, key, root, rootKey, clock.instant(), validity);
  }

  // --- making and keeping the PKI --------------------------------------------------------------

  private static KeyStore generate(char[] passphrase, Instant now) throws GeneralSecurityException, IOException {
    KeyPair rootPair = newKeyPair();
    X509Certificate root = issue(Profile.ROOT, Profile.ROOT.commonName, rootPair.getPublic(), null, rootPair.getPrivate(), now);
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, passphrase);
    store.setKeyEntry(ROOT, rootPair.getPrivate(), passphrase, new Certificate[] {root});
    for (String alias : List.of(AGENCY, TSA)) {
      issueLeaf(store, alias, root, rootPair.getPrivate(), passphrase, now);
    }
    return store;
  }

  private static void issueLeaf(KeyStore store, String alias, X509Certificate root, PrivateKey rootKey, char[] passphrase, Instant now)
      throws GeneralSecurityException {
    Profile profile = profileOf(alias);
    KeyPair pair = newKeyPair();
    X509Certificate certificate = issue(profile, profile.commonName, pair.getPublic(), root, rootKey, now);
    store.setKeyEntry(alias, pair.getPrivate(), passphrase, new Certificate[] {certificate, root});
  }

  private static Profile profileOf(String alias) {
    return switch (alias) {
      case ROOT -> Profile.ROOT;
      case AGENCY -> Profile.AGENCY;
      case TSA -> Profile.TSA;
      default -> throw new IllegalArgumentException(alias);
    };
  }

  /** Renews each end-entity certificate that expires within 30 days; a root that does is an error a person must act on. */
  private static boolean renewExpiring(KeyStore store, char[] passphrase, Instant now) throws GeneralSecurityException {
    X509Certificate root = (X509Certificate) store.getCertificate(ROOT);
    if (root == null) {
      throw new GeneralSecurityException("Cannot open the demo PKI: its key store has no root CA");
    }
    if (root.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
      throw new GeneralSecurityException("Cannot open the demo PKI: its root CA expires on " + root.getNotAfter().toInstant()
          + "; move the PKI directory away to make a new one (and trust the new root)");
    }
    boolean renewed = false;
    for (String alias : List.of(AGENCY, TSA)) {
      X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
      if (certificate == null || certificate.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
        issueLeaf(store, alias, root, privateKey(store, ROOT, passphrase), passphrase, now);
        renewed = true;
      }
    }
    return renewed;
  }

  private static X509Certificate issue(Profile profile, String commonName, PublicKey subjectKey, X509Certificate issuer,
      PrivateKey issuerKey, Instant now) throws GeneralSecurityException {
    return issue(profile, commonName, subjectKey, issuer, issuerKey, now, profile.validity);
  }

  private static X509Certificate issue(Profile profile, String commonName, PublicKey subjectKey, X509Certificate issuer,
      PrivateKey issuerKey, Instant now, Duration validity) throws GeneralSecurityException {
    // DER order from the country down, so that tools print "CN=..., OU=..., O=..., C=TW".
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "TW").addRDN(BCStyle.O, ORGANIZATION)
        .addRDN(BCStyle.OU, UNIT).addRDN(BCStyle.CN, commonName).build();
    X500Name issuerName = issuer == null ? subject : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    BigInteger serial = new BigInteger(127, RANDOM).setBit(126);
    Date notBefore = Date.from(now.minus(1, ChronoUnit.HOURS));
    Date notAfter = Date.from(now.plus(validity));
    try {
      JcaX509ExtensionUtils utilities = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName, serial, notBefore, notAfter, subject, subjectKey);
      builder.addExtension(Extension.subjectKeyIdentifier, false, utilities.createSubjectKeyIdentifier(subjectKey));
      builder.addExtension(Extension.authorityKeyIdentifier, false,
          issuer == null ? utilities.createAuthorityKeyIdentifier(subjectKey) : utilities.createAuthorityKeyIdentifier(issuer));
      switch (profile) {
        case ROOT -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        case AGENCY -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
          builder.addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_emailProtection, KeyPurposeId.getInstance(DOCUMENT_SIGNING)}));
        }
        case TSA -> {
          builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
          builder.addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        }
        default -> throw new IllegalStateException(profile.name());
      }
      return new JcaX509CertificateConverter().getCertificate(builder.build(signer(issuerKey)));
    } catch (IOException | OperatorCreationException e) {
      throw new GeneralSecurityException("Cannot issue the demo " + profile.name().toLowerCase() + " certificate: " + e.getMessage(), e);
    }
  }

  private static ContentSigner signer(PrivateKey key) throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private static KeyPair newKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static PrivateKey privateKey(KeyStore store, String alias, char[] passphrase) throws GeneralSecurityException {
    PrivateKey stored = (PrivateKey) store.getKey(alias, passphrase);
    if (stored == null) {
      throw new GeneralSecurityException("Cannot open the demo PKI: its key store has no key '" + alias + "'");
    }
    return stored;
  }

  private static X509Certificate certificate(KeyStore store, String alias) {
    try {
      return (X509Certificate) store.getCertificate(alias);
    } catch (java.security.KeyStoreException e) {
      throw new IllegalStateException("Cannot read the demo PKI's certificate '" + alias + "': the key store is not loaded", e);
    }
  }

  private static KeyStore load(Path keystore, char[] passphrase) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, passphrase);
    } catch (IOException e) {
      throw new GeneralSecurityException("Cannot open the demo PKI at " + keystore + ": wrong passphrase, or the file is damaged", e);
    }
    for (String alias : List.of(ROOT, AGENCY, TSA)) {
      if (!store.isKeyEntry(alias)) {
        throw new GeneralSecurityException("Cannot open the demo PKI at " + keystore + ": it has no entry '" + alias + "'");
      }
    }
    return store;
  }

  private static byte[] save(KeyStore store, char[] passphrase) throws IOException, GeneralSecurityException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    store.store(bytes, passphrase);
    return bytes.toByteArray();
  }

  private void exportCertificates() throws IOException {
    export(ROOT_FILE, root);
    export(AGENCY_FILE, agency);
    export(TSA_FILE, tsa);
  }

  private void export(String name, X509Certificate certificate) throws IOException {
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
      writer.writeObject(certificate);
    }
    byte[] bytes = pem.toString().getBytes(StandardCharsets.US_ASCII);
    Path file = directory.resolve(name);
    if (!Files.exists(file) || !Arrays.equals(Files.readAllBytes(file), bytes)) {
      writeAtomically(file, bytes, "rw-r--r--");
    }
  }

  private static void writeAtomically(Path target, byte[] bytes, String permissions) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Path temporary = posix()
        ? Files.createTempFile(directory, "." + target.getFileName(), ".tmp", permissions("rw-------"))
        : Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(java.nio.ByteBuffer.wrap(bytes));
        channel.force(true);
      }
      restrict(temporary, permissions);
      try {
        Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }

  private static FileAttribute<Set<PosixFilePermission>> permissions(String text) {
    return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(text));
  }

  private static void restrict(Path path, String permissions) throws IOException {
    if (posix()) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
  }

  @Override
  public String toString() {
    return "DemoPki[" + directory + ", root " + root.getSubjectX500Principal().getName() + "]";
  }
}
