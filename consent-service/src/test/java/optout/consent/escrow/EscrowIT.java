package optout.consent.escrow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import optout.consent.ConsentIT;
import optout.platform.seal.pki.DemoPki;
import optout.pad.envelope.ExaminerKeystore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A real escrow: the service seals biometric envelopes for the examiner's certificate, which is all it
 * is given; the examiner opens an archived, sealed form's envelope with their own key store through
 * {@code ./optout pad open --document}, which finds it bound to the form's first revision.
 */
class EscrowIT extends ConsentIT {

  @Autowired private ConfigurableEnvironment environment;
  @TempDir Path work;

  record Result(int exitCode, String out, String err) {}

  /** {@code ./optout pad ...} as the examiner runs it: the command line's main class in a JVM of its own. */
  private static Result pad(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "optout.pad.cli.PadCommand"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    byte[] out = process.getInputStream().readAllBytes();
    byte[] err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private Path archivedForm(String nationalId) throws Exception {
    JsonNode filing = fileAtCounter("opt-out", nationalId, "[\"academic-research\"]");
    byte[] pdf = download(filing.get("formUrl").asString(), token("clerk-demo")).body();
    assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
    return Files.write(work.resolve(filing.get("filingId").asString().replace(':', '_') + ".pdf"), pdf);
  }

  @Test
  void theServiceHasOnlyTheExaminersCertificateAndTheExaminerOpensTheArchivedFormsEnvelope() throws Exception {
    TestExaminer examiner = examiner();
    Path form = archivedForm("P140380973");

    // the service was given the certificate alone: no setting names the examiner's key store or passphrase,
    // the certificate file holds no key, and the service's own key store holds no key the envelope could open
    List<String> settings = new ArrayList<>();
    for (var source : environment.getPropertySources()) {
      if (source instanceof EnumerablePropertySource<?> enumerable) {
        for (String name : enumerable.getPropertyNames()) {
          if (name.startsWith("optout.")) {
            settings.add(name + "=" + environment.getProperty(name));
          }
        }
      }
    }
    assertThat(settings).contains("optout.consent.seal.examiner-certificate=" + examiner.certificate());
    assertThat(String.join("\n", settings)).doesNotContain(examiner.keystore().toString()).doesNotContain(examiner.passphraseFile().toString())
        .doesNotContain(Files.readString(examiner.passphraseFile()).strip());
    assertThat(Files.readString(examiner.certificate())).contains("BEGIN CERTIFICATE").doesNotContain("PRIVATE KEY");
    X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(Files.newInputStream(examiner.certificate()));
    Path pki = Path.of(environment.getProperty("optout.consent.seal.pki-directory"));
    KeyStore service = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(pki.resolve(DemoPki.KEYSTORE_FILE))) {
      service.load(in, DemoPki.DEMO_PASSPHRASE.toCharArray());
    }
    for (String alias : Collections.list(service.aliases())) {
      assertThat(service.getCertificate(alias).getPublicKey()).as(alias).isNotEqualTo(certificate.getPublicKey());
    }

    // the examiner: the envelope out of the archived form, opened with their key store, bound to revision 1
    Path record = work.resolve("record.iso");
    Result opened = pad("open", "--document", form.toString(), "--keystore", examiner.keystore().toString(),
        "--passphrase-file", examiner.passphraseFile().toString(), "--out", record.toString());
    assertThat(opened.exitCode()).as(opened.err()).isZero();
    assertThat(opened.out()).contains("format:          ISO/IEC 19794-7").contains("bound to " + form + ": yes, revision 1 (its first ");
    assertThat(Files.size(record)).isPositive();
    // revision 1 is a strict prefix: the envelope, the seal and its timestamp were appended after it
    String firstBytes = opened.out().replaceAll("(?s).*its first (\\d+) of (\\d+) bytes.*", "$1 $2");
    String[] sizes = firstBytes.split(" ");
    assertThat(Long.parseLong(sizes[0])).isLessThan(Long.parseLong(sizes[1]));
    assertThat(Long.parseLong(sizes[1])).isEqualTo(Files.size(form));
  }

  @Test
  void aWrongKeyStoreOrPassphraseOrATamperedFirstRevisionFailsClearly() throws Exception {
    TestExaminer examiner = examiner();
    Path form = archivedForm("R224501645");

    Path other = work.resolve("other");
    ExaminerKeystore.create(other.resolve("x.p12"), other.resolve("x.pass"), other.resolve("x.pem"), "Another examiner", Instant.now());
    Result wrongKey = pad("open", "--document", form.toString(), "--keystore", other.resolve("x.p12").toString(),
        "--passphrase-file", other.resolve("x.pass").toString());
    assertThat(wrongKey.exitCode()).isEqualTo(1);
    assertThat(wrongKey.err()).contains("Cannot open the envelope: it was not sealed for this examiner's certificate");
    assertThat(wrongKey.out()).doesNotContain("bound");

    Result wrongPassphrase = pad("open", "--document", form.toString(), "--keystore", examiner.keystore().toString(),
        "--passphrase-file", other.resolve("x.pass").toString());
    assertThat(wrongPassphrase.exitCode()).isEqualTo(1);
    assertThat(wrongPassphrase.err()).contains("Cannot open the examiner key store").contains("wrong passphrase");

    // one byte of the signed first revision changed (the binary comment under the header: the file still reads)
    byte[] pdf = Files.readAllBytes(form);
    int comment = new String(pdf, 0, 64, StandardCharsets.ISO_8859_1).indexOf("\n%") + 2;
    assertThat(pdf[comment] & 0xff).as("a binary comment byte").isGreaterThan(127);
    pdf[comment] ^= 0x01;
    Path tampered = Files.write(work.resolve("tampered.pdf"), pdf);
    Result notBound = pad("open", "--document", tampered.toString(), "--keystore", examiner.keystore().toString(),
        "--passphrase-file", examiner.passphraseFile().toString());
    assertThat(notBound.exitCode()).isEqualTo(1);
    assertThat(notBound.err()).contains("NOT BOUND: no revision of " + tampered + " has the SHA-256 this envelope was sealed for");

    // a PDF without an envelope, and no PDF at all
    Path plain = Files.write(work.resolve("plain.pdf"), java.util.Arrays.copyOf(Files.readAllBytes(form),
        new String(Files.readAllBytes(form), StandardCharsets.ISO_8859_1).indexOf("%%EOF") + 6));
    Result none = pad("open", "--document", plain.toString(), "--keystore", examiner.keystore().toString(),
        "--passphrase-file", examiner.passphraseFile().toString());
    assertThat(none.exitCode()).isEqualTo(1);
    assertThat(none.err()).contains("has no attached biometric envelope");
    Path text = Files.writeString(work.resolve("not.pdf"), "not a PDF");
    Result garbage = pad("open", "--document", text.toString(), "--keystore", examiner.keystore().toString(),
        "--passphrase-file", examiner.passphraseFile().toString());
    assertThat(garbage.exitCode()).isEqualTo(1);
    assertThat(garbage.err()).contains("is not a readable PDF");
  }
}
