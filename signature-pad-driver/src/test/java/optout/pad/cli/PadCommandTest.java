package optout.pad.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import optout.pad.SyntheticSignatures;
import optout.pad.TestExaminers;
import optout.pad.api.PenSample;
import optout.pad.capture.CaptureJson;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PadCommandTest {

  @TempDir Path directory;

  record Result(int exitCode, String out, String err) {}

  private Result run(Map<String, String> environment, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = new PadCommand(environment, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Result run(String... args) {
    return run(Map.of(), args);
  }

  private Path capture(String name, optout.pad.api.SignatureCapture capture) throws Exception {
    Path file = directory.resolve(name);
    try (OutputStream out = Files.newOutputStream(file)) {
      CaptureJson.write(capture, out);
    }
    return file;
  }

  @Test
  void rendersACaptureFileToPngAndSvg() throws Exception {
    Path capture = capture("signature.json", SyntheticSignatures.handwriting(0.7));
    Path png = directory.resolve("signature.png");
    assertThat(run("render", "--capture", capture.toString(), "--out", png.toString(), "--size", "400x150").exitCode()).isZero();
    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(400);
    Path svg = directory.resolve("signature.svg");
    assertThat(run("render", "--capture", capture.toString(), "--out", svg.toString()).exitCode()).isZero();
    assertThat(Files.readString(svg)).startsWith("<svg").contains("width=\"600\"");
    assertThat(run("render", "--capture", capture.toString(), "--out", png.toString(), "--size", "big").err())
        .contains("--size must be WIDTHxHEIGHT");
  }

  @Test
  void qualityAnswersTheClerkInBothLanguages() throws Exception {
    assertThat(run("quality", "--capture", capture("good.json", SyntheticSignatures.handwriting(0.7)).toString()).out())
        .contains("可接受 / Acceptable");
    Path tap = capture("tap.json", SyntheticSignatures.of(List.of(new PenSample(100, 100, 500, 0, true, true, 0))));
    Result refused = run("quality", "--capture", tap.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("不可接受 / Not acceptable", "筆跡點太少", "too few points");
  }

  @Test
  void sealsAndOpensAndShowsWhichDocumentTheEnvelopeBelongsTo() throws Exception {
    TestExaminers.Examiner examiner = TestExaminers.examiner("RSA", 3072, KeyUsage.keyEncipherment,
        Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
    Path certificate = Files.writeString(directory.resolve("examiner.pem"), pem(examiner.certificate()));
    Path key = Files.writeString(directory.resolve("examiner.key"), pem(new JcaPKCS8Generator(examiner.keys().getPrivate(), null).generate()));
    Path document = Files.writeString(directory.resolve("form.pdf"), "%PDF-1.7 opt-out form");
    Path record = Files.write(directory.resolve("record.bin"), new byte[] {1, 2, 3, 4, 5});
    Path envelope = directory.resolve("envelope.p7m");

    assertThat(run("seal", "--record", record.toString(), "--document", document.toString(), "--examiner", certificate.toString(),
        "--out", envelope.toString()).exitCode()).isZero();
    Path opened = directory.resolve("opened.bin");
    Result open = run("open", "--envelope", envelope.toString(), "--examiner", certificate.toString(), "--key", key.toString(),
        "--document", document.toString(), "--out", opened.toString());
    assertThat(open.exitCode()).as(open.err()).isZero();
    assertThat(open.out()).contains("format:          ISO/IEC 19794-7", "record:          5 bytes", "bound to " + document + ": yes");
    assertThat(Files.readAllBytes(opened)).containsExactly(1, 2, 3, 4, 5);

    Path other = Files.writeString(directory.resolve("other.pdf"), "%PDF-1.7 another form");
    Result unbound = run("open", "--envelope", envelope.toString(), "--examiner", certificate.toString(), "--key", key.toString(),
        "--document", other.toString());
    assertThat(unbound.exitCode()).isEqualTo(1);
    assertThat(unbound.err()).contains("NOT BOUND");

    Path encrypted = Files.writeString(directory.resolve("examiner-encrypted.key"), pem(new JcaPKCS8Generator(examiner.keys().getPrivate(),
        new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC)
            .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()).setPassword("examiner-password".toCharArray()).build()).generate()));
    Result noPassword = run("open", "--envelope", envelope.toString(), "--examiner", certificate.toString(), "--key", encrypted.toString());
    assertThat(noPassword.exitCode()).isEqualTo(1);
    assertThat(noPassword.err()).contains("the key is encrypted; set OPTOUT_EXAMINER_KEY_PASSWORD");
    assertThat(run(Map.of("OPTOUT_EXAMINER_KEY_PASSWORD", "examiner-password"), "open", "--envelope", envelope.toString(),
        "--examiner", certificate.toString(), "--key", encrypted.toString()).exitCode()).isZero();
  }

  @Test
  void anExaminerKeyStoreOfItsOwnOpensAnEnvelopeBoundToTheFirstRevisionOfAnUpdatedDocument() throws Exception {
    Path keystore = directory.resolve("keys/examiner.p12");
    Path passphrase = directory.resolve("keys/examiner.pass");
    Path certificate = directory.resolve("keys/examiner.pem");
    assertThat(run("examiner-init", "--keystore", keystore.toString(), "--passphrase-file", passphrase.toString(),
        "--certificate", certificate.toString()).exitCode()).isZero();
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore))).isEqualTo("rw-------");
    assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(passphrase))).isEqualTo("rw-------");
    assertThat(Files.readString(passphrase).strip()).hasSizeGreaterThanOrEqualTo(40);
    assertThat(Files.readString(certificate)).doesNotContain("PRIVATE KEY");
    Result again = run("examiner-init", "--keystore", keystore.toString(), "--passphrase-file", passphrase.toString(),
        "--certificate", certificate.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("never replaced");

    // sealed for revision 1; revisions 2 and 3 appended later, as the seal and archive timestamps are
    byte[] first = "%PDF-1.7\nthe form\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
    Path revision1 = Files.write(directory.resolve("rev1.pdf"), first);
    Path record = Files.write(directory.resolve("record.bin"), new byte[] {9, 8, 7});
    Path envelope = directory.resolve("envelope.p7m");
    assertThat(run("seal", "--record", record.toString(), "--document", revision1.toString(), "--examiner", certificate.toString(),
        "--out", envelope.toString()).exitCode()).isZero();
    Path archived = Files.writeString(directory.resolve("archived.pdf"), new String(first, StandardCharsets.US_ASCII)
        + "2 0 obj seal\n%%EOF\r\n3 0 obj timestamp\n%%EOF\n");
    Result open = run("open", "--envelope", envelope.toString(), "--document", archived.toString(), "--keystore", keystore.toString(),
        "--passphrase-file", passphrase.toString());
    assertThat(open.exitCode()).as(open.err()).isZero();
    assertThat(open.out()).contains("bound to " + archived + ": yes, revision 1 (its first " + first.length + " of ");

    byte[] changed = Files.readAllBytes(archived);
    changed[10] ^= 0x20;
    Path tampered = Files.write(directory.resolve("tampered.pdf"), changed);
    Result notBound = run("open", "--envelope", envelope.toString(), "--document", tampered.toString(), "--keystore", keystore.toString(),
        "--passphrase-file", passphrase.toString());
    assertThat(notBound.exitCode()).isEqualTo(1);
    assertThat(notBound.err()).contains("NOT BOUND");
    Result noDocument = run("open", "--keystore", keystore.toString(), "--passphrase-file", passphrase.toString());
    assertThat(noDocument.exitCode()).isEqualTo(2);
    assertThat(noDocument.err()).contains("--document (or --envelope) is missing");
  }

  @Test
  void refusesWrongCommandLinesAndUnreadableFiles() {
    assertThat(run().exitCode()).isEqualTo(2);
    assertThat(run("draw").err()).contains("unknown command: pad draw", "Usage:");
    assertThat(run("render", "--capture", "x.json").err()).contains("--out is missing");
    assertThat(run("render", "--capture", "x.json", "--out", "y.png", "--colour", "red").err()).contains("unknown option --colour");
    assertThat(run("render", "--capture", directory.resolve("none.json").toString(), "--out", "y.png").err()).contains("no such file");
    assertThat(run("render", "--capture").err()).contains("options come as --name value pairs");
  }

  private static String pem(Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString();
  }

  @Test
  void listsTheVirtualPadsAndSaysWhatUsbOffers() {
    Result result = run("list");
    assertThat(result.exitCode()).isZero();
    assertThat(result.out()).contains("Attached (USB HID):", "virtual:STU-430  STU-430", "virtual:STU-530", "virtual:STU-540");
  }

  @Test
  void capturesARecordedSignatureFromAVirtualPad() throws Exception {
    Path out = directory.resolve("capture.json");
    Result result = run("capture", "--virtual", "STU-540", "--signer", "signature-b", "--out", out.toString());
    assertThat(result.exitCode()).as(result.err()).isZero();
    assertThat(result.err()).contains("captured ", " 0 gaps, 0 unreadable reports, 0 clears");
    optout.pad.api.SignatureCapture capture = CaptureJson.read(Files.newInputStream(out));
    assertThat(capture.device().model()).isEqualTo("STU-540");
    assertThat(capture.strokes()).hasSameSizeAs(optout.pad.stu.VirtualSigner.recording("signature-b").strokes());
    assertThat(run("quality", "--capture", out.toString()).exitCode()).isZero();
  }

  @Test
  void refusesCaptureCommandsThatMakeNoSense() {
    Path out = directory.resolve("never.json");
    assertThat(run("capture", "--out", out.toString()).err()).contains("give either --virtual MODEL or --pad ID");
    assertThat(run("capture", "--virtual", "STU-999", "--out", out.toString()).err())
        .contains("Cannot open a virtual pad: \"STU-999\" is not one of [STU-430, STU-430V, STU-530, STU-540]");
    assertThat(run("capture", "--virtual", "STU-430", "--signer", "nobody", "--out", out.toString()).err())
        .contains("Cannot find the recording \"nobody\"");
    assertThat(run("capture", "--pad", "usb:/dev/hidraw0", "--signer", "signature-a", "--out", out.toString()).err())
        .contains("--signer is for virtual pads");
    assertThat(run("capture", "--virtual", "STU-430", "--timeout", "0", "--out", out.toString()).exitCode()).isEqualTo(2);
    Result nowhere = run("capture", "--pad", "usb:/dev/no-such-pad", "--out", out.toString());
    assertThat(nowhere.exitCode()).isEqualTo(1);
    assertThat(nowhere.err()).containsAnyOf("nothing is attached at /dev/no-such-pad", "USB HID is not available");
    assertThat(out).doesNotExist();
  }

  @Test
  void encodesAndDecodesIsoRecordsAndWritesNothingForABadOne() throws Exception {
    Path capture = capture("signature.json", SyntheticSignatures.handwriting(0.7));
    Path record = directory.resolve("signature.iso");
    Result encoded = run("iso", "encode", "--capture", capture.toString(), "--out", record.toString());
    assertThat(encoded.exitCode()).as(encoded.err()).isZero();
    assertThat(Files.readAllBytes(record)).startsWith('S', 'D', 'I', 0);
    Path decoded = directory.resolve("decoded.json");
    assertThat(run("iso", "decode", "--record", record.toString(), "--out", decoded.toString()).exitCode()).isZero();
    assertThat(CaptureJson.read(Files.newInputStream(decoded))).isEqualTo(SyntheticSignatures.handwriting(0.7));

    Path garbage = directory.resolve("garbage.iso");
    Files.write(garbage, new byte[] {'S', 'D', 'X', 0, 1, 2});
    Path none = directory.resolve("none.json");
    Result refused = run("iso", "decode", "--record", garbage.toString(), "--out", none.toString());
    assertThat(refused.exitCode()).isEqualTo(2);
    assertThat(refused.err()).contains("Cannot read the ISO/IEC 19794-7 record");
    assertThat(none).doesNotExist();
    assertThat(Files.list(directory).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
    assertThat(run("iso").err()).contains("a command is missing: pad iso encode|decode");
    assertThat(run("iso", "transcode").err()).contains("unknown command: pad iso transcode");
  }
}
