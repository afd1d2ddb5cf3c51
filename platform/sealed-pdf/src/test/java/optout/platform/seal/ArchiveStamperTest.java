package optout.platform.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import optout.platform.seal.pki.DemoPki;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A form sealed with a timestamp authority whose certificate ends in ten days is due for an archive
 * timestamp; stamped again with a long-lived authority it keeps the original as an exact prefix (so the
 * registry's SHA-256 still checks), holds for the verifier and for EU DSS, and is no longer due.
 */
class ArchiveStamperTest {

  private static final Duration WINDOW = Duration.ofDays(30);

  @TempDir static Path directory;
  static DemoPki pki;
  static SealVerifier verifier;
  static X509Certificate shortLived;
  static byte[] sealed;
  static ArchiveStamper stamper;

  @BeforeAll
  static void sealWithAShortLivedTimestampAuthority() throws Exception {
    pki = DemoPki.openOrCreate(directory.resolve("pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    verifier = new SealVerifier(List.of(pki.rootCertificate()));
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    shortLived = pki.issueTimestampCertificate(keys.getPublic(), "NHI Opt-out Short-lived TSA (test)", Duration.ofDays(10));
    TimestampAuthority ending = LocalTimestampAuthority.create(keys.getPrivate(), List.of(shortLived, pki.rootCertificate()), Clock.systemUTC());
    sealed = new PadesSealer(pki.agencySealingKey(), ending, pki.revocationSource(), Clock.systemUTC())
        .seal(TestForms.withReservedField(), SealOptions.defaults()).pdf();
    stamper = new ArchiveStamper(verifier, pki.timestampAuthority(), pki.revocationSource(), Clock.systemUTC());
  }

  @Test
  void aFormWhoseLastTimestampCertificateEndsWithinTheWindowIsDue() throws Exception {
    VerifiedSeal seal = verifier.verify(sealed);
    assertThat(seal.lastTimestampCertificate()).isEqualTo(shortLived);
    assertThat(stamper.isDue(seal, WINDOW)).isTrue();
    assertThat(stamper.isDue(seal, Duration.ofDays(5))).isFalse();
  }

  @Test
  void theRestampedFormKeepsTheOriginalAsPrefixAndHoldsForTheVerifierAndEuDss() throws Exception {
    byte[] restamped = stamper.restamp(sealed);
    assertThat(Arrays.copyOf(restamped, sealed.length)).as("the original, byte for byte").isEqualTo(sealed);
    assertThat(SealedForms.sha256(Arrays.copyOf(restamped, sealed.length))).isEqualTo(SealedForms.sha256(sealed));

    VerifiedSeal seal = verifier.verify(restamped);
    assertThat(seal.level()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(seal.documentTimestampTimes()).hasSize(2);
    assertThat(seal.lastTimestampCertificate()).isEqualTo(pki.timestampCertificate());
    assertThat(stamper.isDue(seal, WINDOW)).isFalse();
    verifier.verify(sealed); // the original still holds on its own

    EuDss.Verdict verdict = EuDss.validate(restamped, pki.rootCertificate());
    assertThat(verdict.format()).as(verdict.simpleReportXml()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(verdict.allPassed()).as(verdict.toString()).isTrue();
    assertThat(verdict.timestampIndications()).as("signature timestamp and two archive timestamps").hasSize(3);
  }

  @Test
  void aFormWhoseSealDoesNotHoldIsNotStampedAgain() {
    byte[] tampered = sealed.clone();
    tampered[tampered.length / 4] ^= 0x01;
    assertThatThrownBy(() -> stamper.restamp(tampered)).isInstanceOf(InvalidSealException.class);
  }
}
