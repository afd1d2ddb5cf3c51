package optout.platform.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import optout.platform.seal.pki.DemoPki;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seal key on a real PKCS#11 token: SoftHSM2 (Debian package {@code softhsm2}), as the
 * pseudonymizer's custody tests use it. SoftHSM2 reads its tokens when the library is first
 * initialised in the JVM, so the class makes its token before any SunPKCS11 use (Surefire points
 * SOFTHSM2_CONF at target/softhsm/softhsm2.conf). The key pair is generated on the token; the demo
 * root certifies it, and the certificate chain is stored on the token beside it.
 */
class Pkcs11SealingTest {

  static final String LIBRARY = "/usr/lib/softhsm/libsofthsm2.so";
  private static final String PIN = "seal-token-pin-2026";
  private static final String ALIAS = "agency-seal";
  private static final Pattern SLOT = Pattern.compile("reassigned to slot (\\d+)");

  @TempDir static Path directory;
  private static Path configuration;
  private static DemoPki pki;
  private static Pkcs11SealingKey key;

  @BeforeAll
  static void putASealKeyOnAToken() throws Exception {
    String conf = System.getenv("SOFTHSM2_CONF");
    assertThat(conf).as("SOFTHSM2_CONF, set by Surefire").isNotBlank();
    assertThat(Path.of(LIBRARY)).as("SoftHSM2 is missing: apt-get install softhsm2").exists();
    Path tokens = Path.of(conf).resolveSibling("seal-tokens");
    Files.createDirectories(tokens);
    Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n");
    String label = "seal" + UUID.randomUUID().toString().substring(0, 8);
    ExternalTools.Run init = ExternalTools.run(null, "softhsm2-util", "--init-token", "--free", "--label", label,
        "--pin", PIN, "--so-pin", "so-" + PIN);
    assertThat(init.exit()).as(init.output()).isZero();
    Matcher slot = SLOT.matcher(init.output());
    assertThat(slot.find()).as(init.output()).isTrue();
    configuration = Files.writeString(directory.resolve(label + ".cfg"),
        "name = " + label + "\nlibrary = " + LIBRARY + "\nslot = " + slot.group(1) + "\n");

    pki = DemoPki.openOrCreate(directory.resolve("pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    Provider provider = Security.getProvider("SunPKCS11").configure(configuration.toString());
    KeyStore token = KeyStore.getInstance("PKCS11", provider);
    token.load(null, PIN.toCharArray());
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = generator.generateKeyPair();
    X509Certificate certificate = pki.issueSealCertificate(pair.getPublic(), "NHI Opt-out Agency Seal (HSM demo)");
    token.setKeyEntry(ALIAS, pair.getPrivate(), null, new Certificate[] {certificate, pki.rootCertificate()});
    key = Pkcs11SealingKey.open(configuration, PIN.toCharArray(), ALIAS);
  }

  @AfterAll
  static void logOut() {
    if (key != null) {
      key.close();
    }
  }

  @Test
  void theTokenSealsAFormThatPdfsigAndTheVerifierAccept() throws Exception {
    assertThat(key.certificateChain()).hasSize(2).element(1).isEqualTo(pki.rootCertificate());
    assertThat(key.signatureAlgorithm()).isEqualTo("SHA256withECDSA");
    assertThat(key.toString()).contains(ALIAS, "SunPKCS11", "HSM demo").doesNotContain(PIN);

    PadesSealer sealer = new PadesSealer(key, pki.timestampAuthority(), pki.revocationSource(), Clock.systemUTC());
    SealedPdf sealed = sealer.seal(TestForms.plain(), SealOptions.defaults());
    Path nss = ExternalTools.nssDatabase(directory.resolve("nss"), pki.rootCertificateFile());
    ExternalTools.Run report = ExternalTools.pdfsig(nss, Files.write(directory.resolve("hsm.pdf"), sealed.pdf()));
    assertThat(report.output().lines()).as(report.output()).containsAll(PadesSealerTest.PDFSIG_VALID)
        .contains("  - Signer Certificate Common Name: NHI Opt-out Agency Seal (HSM demo)");
    VerifiedSeal seal = new SealVerifier(List.of(pki.rootCertificate())).verify(sealed.pdf());
    assertThat(seal.signer()).contains("CN=NHI Opt-out Agency Seal (HSM demo)");
    assertThat(seal.level()).isEqualTo("PAdES-BASELINE-LTA");
  }

  @Test
  void theKeyStaysOnTheToken() throws Exception {
    Provider provider = Security.getProvider("SunPKCS11").configure(configuration.toString());
    KeyStore token = KeyStore.getInstance("PKCS11", provider);
    token.load(null, PIN.toCharArray());
    PrivateKey onToken = (PrivateKey) token.getKey(ALIAS, null);
    assertThat(onToken.getEncoded()).as("the private key cannot be read off the token").isNull();
    assertThat(onToken.toString()).contains("token object");
  }

  @Test
  void aMissingKeyOrConfigurationIsReportedClearly() {
    assertThatThrownBy(() -> Pkcs11SealingKey.open(configuration, PIN.toCharArray(), "no-such-key"))
        .hasMessage("Cannot use PKCS#11: the token has no private key labelled 'no-such-key'");
    assertThatThrownBy(() -> Pkcs11SealingKey.open(directory.resolve("missing.cfg"), PIN.toCharArray(), ALIAS))
        .hasMessageStartingWith("Cannot use PKCS#11: no SunPKCS11 configuration at");
  }
}
