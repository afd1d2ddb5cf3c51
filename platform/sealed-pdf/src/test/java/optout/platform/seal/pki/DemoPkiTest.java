package optout.platform.seal.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo PKI: made once, kept on disk as it should be, loaded again, and each certificate fit for its use. */
class DemoPkiTest {

  private static final char[] PASSPHRASE = DemoPki.DEMO_PASSPHRASE.toCharArray();
  private static final Instant NOW = Instant.parse("2026-03-01T02:00:00Z");

  @TempDir static Path directory;
  private static Path pkiDirectory;
  private static DemoPki pki;

  @BeforeAll
  static void createPki() throws Exception {
    pkiDirectory = directory.resolve("var/consent/pki");
    pki = DemoPki.openOrCreate(pkiDirectory, PASSPHRASE, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @Test
  void isMadeOnFirstUseWithPrivateFilesAndLoadedAfterwards() throws Exception {
    assertThat(pki.createdNow()).isTrue();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pkiDirectory))).isEqualTo("rwx------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pkiDirectory.resolve(DemoPki.KEYSTORE_FILE)))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pki.rootCertificateFile()))).isEqualTo("rw-r--r--");
    assertThat(Files.readString(pki.rootCertificateFile())).startsWith("-----BEGIN CERTIFICATE-----");
    try (var files = Files.list(pkiDirectory)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder(DemoPki.KEYSTORE_FILE, DemoPki.ROOT_FILE, DemoPki.AGENCY_FILE, DemoPki.TSA_FILE, ".lock");
    }

    DemoPki again = DemoPki.openOrCreate(pkiDirectory, PASSPHRASE, Clock.fixed(NOW.plus(Duration.ofDays(1)), ZoneOffset.UTC));
    assertThat(again.createdNow()).isFalse();
    assertThat(again.rootCertificate()).isEqualTo(pki.rootCertificate());
    assertThat(again.agencyCertificate()).isEqualTo(pki.agencyCertificate());
    assertThat(again.timestampCertificate()).isEqualTo(pki.timestampCertificate());
    assertThat(again.toString()).contains("NHI Opt-out Demo Root CA").doesNotContain(DemoPki.DEMO_PASSPHRASE);
  }

  @Test
  void aWrongPassphraseIsRefused() {
    assertThatThrownBy(() -> DemoPki.openOrCreate(pkiDirectory, "not-the-passphrase".toCharArray(), Clock.systemUTC()))
        .hasMessageContaining("Cannot open the demo PKI at").hasMessageContaining("wrong passphrase");
  }

  @Test
  void twoStartsAtOnceMakeOnePki() throws Exception {
    Path shared = directory.resolve("concurrent");
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<DemoPki>> starts = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        starts.add(threads.submit((Callable<DemoPki>) () -> DemoPki.openOrCreate(shared, PASSPHRASE, Clock.systemUTC())));
      }
      DemoPki first = starts.get(0).get();
      DemoPki second = starts.get(1).get();
      assertThat(first.rootCertificate()).isEqualTo(second.rootCertificate());
      assertThat(first.createdNow() ^ second.createdNow()).isTrue();
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void theRootIsAnEcdsaCaForCertificatesAndCrls() throws Exception {
    X509Certificate root = pki.rootCertificate();
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(root.getSigAlgName()).isEqualTo("SHA256withECDSA");
    assertThat(root.getBasicConstraints()).isZero();
    assertThat(root.getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false, false);
    assertThat(root.getCriticalExtensionOIDs()).contains(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
    assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
    root.verify(root.getPublicKey());
    assertThat(root.getNotAfter().toInstant()).isAfter(NOW.plus(Duration.ofDays(3650)));
    assertThat(root.getSubjectX500Principal().getName()).contains("LOCAL DEMO - NOT FOR PRODUCTION", "C=TW");
  }

  @Test
  void theAgencyCertificateIsFitForPdfSignatures() throws Exception {
    X509Certificate agency = pki.agencyCertificate();
    assertIssuedByRoot(agency);
    assertThat(agency.getBasicConstraints()).isEqualTo(-1);
    assertThat(agency.getKeyUsage()).startsWith(true, true, false, false, false, false, false);
    assertThat(agency.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.4", "1.3.6.1.5.5.7.3.36");
    assertThat(agency.getCriticalExtensionOIDs()).doesNotContain(Extension.extendedKeyUsage.getId());
    assertThat(Duration.between(agency.getNotBefore().toInstant(), agency.getNotAfter().toInstant()).toDays()).isBetween(1095L, 1097L);
    assertThat(openssl("verify", "-attime", String.valueOf(NOW.getEpochSecond()), "-CAfile", pki.rootCertificateFile().toString(),
        "-purpose", "smimesign", pkiDirectory.resolve(DemoPki.AGENCY_FILE).toString())).endsWith(": OK\n");
  }

  @Test
  void theTsaCertificateHasOnlyTheCriticalTimeStampingUsage() throws Exception {
    X509Certificate tsa = pki.timestampCertificate();
    assertIssuedByRoot(tsa);
    assertThat(tsa.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.8");
    assertThat(tsa.getCriticalExtensionOIDs()).contains(Extension.extendedKeyUsage.getId(), Extension.keyUsage.getId());
    assertThat(tsa.getKeyUsage()).startsWith(true, false, false, false, false, false, false);
    assertThat(openssl("verify", "-attime", String.valueOf(NOW.getEpochSecond()), "-CAfile", pki.rootCertificateFile().toString(),
        "-purpose", "timestampsign", pkiDirectory.resolve(DemoPki.TSA_FILE).toString())).endsWith(": OK\n");
  }

  @Test
  void holdsNoEscrowExaminerKey() throws Exception {
    // the examiner's key is the examiner's: the service's key store has the root, the seal and the TSA only
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pkiDirectory.resolve(DemoPki.KEYSTORE_FILE))) {
      store.load(in, PASSPHRASE);
    }
    assertThat(java.util.Collections.list(store.aliases())).containsExactlyInAnyOrder("root-ca", "agency-seal", "timestamp-authority");
    for (String alias : java.util.Collections.list(store.aliases())) {
      X509Certificate certificate = (X509Certificate) store.getCertificate(alias);
      assertThat(certificate.getKeyUsage()[4]).as(alias + ": no key-agreement (envelope) key").isFalse();
    }
    assertThat(pki.holdsLegacyExaminerKey()).isFalse();
  }

  @Test
  void theRootIssuesAFreshEmptyCrlEachTime() throws Exception {
    X509CRL first = pki.currentCrl();
    first.verify(pki.rootCertificate().getPublicKey());
    assertThat(first.getIssuerX500Principal()).isEqualTo(pki.rootCertificate().getSubjectX500Principal());
    assertThat(first.getRevokedCertificates()).isNull();
    assertThat(first.getThisUpdate().toInstant()).as("issued now: it must postdate a signature timestamp").isEqualTo(NOW.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    assertThat(first.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    DemoPki later = DemoPki.openOrCreate(pkiDirectory, PASSPHRASE, Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));
    assertThat(crlNumber(later.currentCrl())).isGreaterThan(crlNumber(first));
  }

  @Test
  void expiringCertificatesAreRenewedButAnExpiringRootIsAnError() throws Exception {
    Path copy = directory.resolve("renewal");
    DemoPki original = DemoPki.openOrCreate(copy, PASSPHRASE, Clock.fixed(NOW, ZoneOffset.UTC));
    Instant late = NOW.plus(Duration.ofDays(1096 - 10));
    DemoPki renewed = DemoPki.openOrCreate(copy, PASSPHRASE, Clock.fixed(late, ZoneOffset.UTC));
    assertThat(renewed.rootCertificate()).isEqualTo(original.rootCertificate());
    assertThat(renewed.timestampCertificate()).as("five years: not due").isEqualTo(original.timestampCertificate());
    assertThat(renewed.agencyCertificate()).isNotEqualTo(original.agencyCertificate());
    assertThat(renewed.agencyCertificate().getPublicKey()).isNotEqualTo(original.agencyCertificate().getPublicKey());
    assertThat(renewed.agencyCertificate().getNotBefore().toInstant()).isAfter(late.minus(Duration.ofDays(1)));

    assertThatThrownBy(() -> DemoPki.openOrCreate(copy, PASSPHRASE, Clock.fixed(NOW.plus(Duration.ofDays(3650)), ZoneOffset.UTC)))
        .hasMessageContaining("Cannot open the demo PKI: its root CA expires on").hasMessageContaining("move the PKI directory away");
  }

  private static void assertIssuedByRoot(X509Certificate certificate) throws Exception {
    X509Certificate root = pki.rootCertificate();
    certificate.verify(root.getPublicKey());
    assertThat(certificate.getIssuerX500Principal()).isEqualTo(root.getSubjectX500Principal());
    assertThat(certificate.getSerialNumber().bitLength()).isGreaterThanOrEqualTo(120);
    byte[] rootKeyId = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(root.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets())
        .getKeyIdentifier();
    byte[] authorityKeyId = AuthorityKeyIdentifier.getInstance(
        ASN1OctetString.getInstance(certificate.getExtensionValue(Extension.authorityKeyIdentifier.getId())).getOctets()).getKeyIdentifierOctets();
    assertThat(authorityKeyId).isEqualTo(rootKeyId);
    assertThat(certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())).isNotNull();
    assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
  }

  private static java.math.BigInteger crlNumber(X509CRL crl) {
    return CRLNumber.getInstance(ASN1OctetString.getInstance(crl.getExtensionValue(Extension.cRLNumber.getId())).getOctets()).getCRLNumber();
  }

  private static String openssl(String... arguments) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as(output).isZero();
    return output;
  }
}
