package optout.pad.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;


import java.security.cert.X509Certificate;

import java.time.Duration;
import java.time.Instant;

import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;


import org.bouncycastle.asn1.x509.KeyUsage;


import org.bouncycastle.cms.CMSAuthEnvelopedData;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

import optout.pad.TestExaminers;
import optout.pad.TestExaminers.Examiner;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BiometricEnvelopeTest {

  private static final Instant NOW = Instant.now();
  private static final byte[] DOCUMENT = "opt-out form 2026-11-24, filing 0042".getBytes(StandardCharsets.UTF_8);
  private static final byte[] RECORD = "biometric record bytes: x,y,t,f samples".getBytes(StandardCharsets.UTF_8);

  private static Examiner rsa;
  private static Examiner ec;

  @TempDir Path directory;

  @BeforeAll
  static void examiners() throws Exception {
    rsa = examiner("RSA", 3072, KeyUsage.keyEncipherment, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
    ec = examiner("EC", 256, KeyUsage.keyAgreement, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(365)));
  }

  private static Examiner examiner(String algorithm, int size, int usage, Instant from, Instant until) throws Exception {
    return TestExaminers.examiner(algorithm, size, usage, from, until);
  }

  private static SealedContent content() {
    return SealedContent.forDocument("ISO/IEC 19794-7", DOCUMENT, RECORD);
  }

  @Test
  void sealsForAnRsaOrAnEcExaminerAndOpensOnlyWithTheirKey() throws Exception {
    for (Examiner examiner : new Examiner[] {rsa, ec}) {
      byte[] envelope = BiometricEnvelope.seal(content(), examiner.certificate(), NOW);
      SealedContent opened = BiometricEnvelope.open(envelope, examiner.certificate(), examiner.keys().getPrivate());
      assertThat(opened).isEqualTo(content());
      assertThat(opened.belongsTo(DOCUMENT)).isTrue();
      assertThat(opened.belongsTo("another form".getBytes(StandardCharsets.UTF_8))).isFalse();
      assertThat(indexOf(envelope, RECORD)).as("the record is not in clear").isEqualTo(-1);
    }
  }

  @Test
  void isCmsAuthEnvelopedDataWithAesGcmAndRsaOaep() throws Exception {
    byte[] envelope = BiometricEnvelope.seal(content(), rsa.certificate(), NOW);
    assertThat(ContentInfo.getInstance(envelope).getContentType()).isEqualTo(PKCSObjectIdentifiers.id_ct_authEnvelopedData);
    CMSAuthEnvelopedData data = new CMSAuthEnvelopedData(envelope);
    assertThat(data.getEncryptionAlgOID()).as("aes256-GCM").isEqualTo("2.16.840.1.101.3.4.1.46");
    assertThat(data.getRecipientInfos().iterator().next().getKeyEncryptionAlgOID()).as("RSAES-OAEP")
        .isEqualTo(PKCSObjectIdentifiers.id_RSAES_OAEP.getId());
  }

  @Test
  void opensslOpensOurEnvelopes() throws Exception {
    for (Examiner examiner : new Examiner[] {rsa, ec}) {
      Path envelope = Files.write(directory.resolve("envelope.der"), BiometricEnvelope.seal(content(), examiner.certificate(), NOW));
      Path certificate = Files.writeString(directory.resolve("examiner.pem"), pem(examiner.certificate()));
      Path key = Files.writeString(directory.resolve("examiner.key"), pem(examiner.keys().getPrivate()));
      Path out = directory.resolve("content.der");
      Process openssl = new ProcessBuilder("openssl", "cms", "-decrypt", "-inform", "DER", "-in", envelope.toString(),
          "-recip", certificate.toString(), "-inkey", key.toString(), "-out", out.toString()).redirectErrorStream(true).start();
      String output = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(openssl.waitFor()).as(examiner.certificate().getPublicKey().getAlgorithm() + ": " + output).isZero();
      byte[] decrypted = Files.readAllBytes(out);
      assertThat(indexOf(decrypted, RECORD)).as("openssl recovered the record").isPositive();
      assertThat(indexOf(decrypted, SealedContent.sha256(DOCUMENT))).as("and the document's hash").isPositive();
    }
  }

  @Test
  void aChangedEnvelopeOrAnotherExaminerCannotOpenIt() throws Exception {
    byte[] envelope = BiometricEnvelope.seal(content(), rsa.certificate(), NOW);
    byte[] tampered = envelope.clone();
    tampered[tampered.length - 20] ^= 0x01;
    assertThatThrownBy(() -> BiometricEnvelope.open(tampered, rsa.certificate(), rsa.keys().getPrivate()))
        .isInstanceOf(GeneralSecurityException.class)
        .hasMessage("Cannot open the envelope: it is damaged, was changed, or is not a biometric envelope");
    assertThatThrownBy(() -> BiometricEnvelope.open(envelope, ec.certificate(), ec.keys().getPrivate()))
        .hasMessage("Cannot open the envelope: it was not sealed for this examiner's certificate");
    assertThatThrownBy(() -> BiometricEnvelope.open("not an envelope".getBytes(StandardCharsets.UTF_8), rsa.certificate(), rsa.keys().getPrivate()))
        .hasMessageStartingWith("Cannot open the envelope: it is damaged");
  }

  @Test
  void refusesExpiredUnsuitableAndWeakCertificates() throws Exception {
    Examiner expired = examiner("RSA", 3072, KeyUsage.keyEncipherment, NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(30)));
    assertThatThrownBy(() -> BiometricEnvelope.seal(content(), expired.certificate(), NOW))
        .hasMessageStartingWith("Cannot seal for this certificate: it expired on ");
    Examiner notYet = examiner("RSA", 3072, KeyUsage.keyEncipherment, NOW.plus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> BiometricEnvelope.seal(content(), notYet.certificate(), NOW))
        .hasMessageStartingWith("Cannot seal for this certificate: it is valid only from ");
    Examiner signingOnly = examiner("RSA", 3072, KeyUsage.digitalSignature, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> BiometricEnvelope.seal(content(), signingOnly.certificate(), NOW))
        .hasMessage("Cannot seal for this certificate: its key usage does not allow key encipherment");
    Examiner ecSigning = examiner("EC", 256, KeyUsage.digitalSignature, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> BiometricEnvelope.seal(content(), ecSigning.certificate(), NOW))
        .hasMessage("Cannot seal for this certificate: its key usage does not allow key agreement");
    Examiner weak = examiner("RSA", 2048, KeyUsage.keyEncipherment, NOW.minus(Duration.ofDays(1)), NOW.plus(Duration.ofDays(30)));
    assertThatThrownBy(() -> BiometricEnvelope.seal(content(), weak.certificate(), NOW))
        .hasMessage("Cannot seal for this certificate: its RSA key has fewer than 3072 bits");
  }

  @Test
  void refusesIncompleteContentAndNeverShowsTheRecord() {
    assertThatThrownBy(() -> new SealedContent("ISO/IEC 19794-7", new byte[31], RECORD))
        .hasMessage("Cannot seal: the document's SHA-256 must be 32 bytes");
    assertThatThrownBy(() -> new SealedContent(" ", new byte[32], RECORD)).hasMessageStartingWith("Cannot seal: name the record's format");
    assertThatThrownBy(() -> new SealedContent("ISO/IEC 19794-7", new byte[32], new byte[0]))
        .hasMessage("Cannot seal: the biometric record is empty");
    assertThat(content().toString()).doesNotContain("samples").contains("ISO/IEC 19794-7", RECORD.length + " bytes");
  }

  private static String pem(Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object instanceof java.security.PrivateKey key
          ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate() : object);
    }
    return text.toString();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
