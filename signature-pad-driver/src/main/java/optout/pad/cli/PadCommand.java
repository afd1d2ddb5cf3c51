package optout.pad.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import optout.pad.api.CaptureListener;
import optout.pad.api.CaptureRequest;
import optout.pad.api.CaptureResult;
import optout.pad.api.PadButton;
import optout.pad.api.PadException;
import optout.pad.api.SignatureCapture;
import optout.pad.api.SignaturePad;
import optout.pad.iso.SignatureTimeSeries;
import optout.pad.stu.StuPads;
import optout.pad.stu.VirtualSigner;
import optout.pad.capture.CaptureJson;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import optout.pad.envelope.BiometricEnvelope;
import optout.pad.envelope.DocumentBinding;
import optout.pad.envelope.ExaminerKeystore;
import optout.pad.envelope.SealedContent;
import optout.pad.quality.QualityGate;
import optout.pad.quality.QualityIssue;
import optout.pad.render.SignatureRenderer;

/**
 * {@code ./optout pad ...}. Exit codes: 0 done (or accepted), 1 refused (quality, sealing, opening,
 * binding, a capture not confirmed, a pad that cannot be used), 2 wrong command line or unreadable input.
 */
public final class PadCommand {

  static final String USAGE = """
      Usage:
        pad list
        pad capture --virtual MODEL [--signer RECORDING] --out FILE
        pad capture --pad ID --out FILE [--timeout SECONDS]
        pad iso encode --capture FILE --out FILE
        pad iso decode --record FILE --out FILE
        pad render --capture FILE --out FILE.png|FILE.svg [--size WIDTHxHEIGHT]
        pad quality --capture FILE
        pad seal --record FILE --document FILE --examiner CERT.pem --out FILE [--format NAME]
        pad open --envelope FILE --examiner CERT.pem --key KEY.pem [--document FILE] [--out FILE]
        pad open --document FORM.pdf --keystore FILE.p12 --passphrase-file FILE [--envelope FILE] [--out FILE]
        pad examiner-init --keystore FILE.p12 --passphrase-file FILE --certificate FILE.pem [--name CN]
      An encrypted examiner key is opened with the password in OPTOUT_EXAMINER_KEY_PASSWORD. With
      --keystore, open takes the examiner's key from that PKCS#12 store (its passphrase in the file), and
      without --envelope the envelope attached to the form; --document is bound if the envelope's SHA-256
      is that of the form's first revision (an exact prefix of the archived file) or of the whole file.""";

  private final Map<String, String> environment;
  private final PrintStream out;
  private final PrintStream err;

  PadCommand(Map<String, String> environment, PrintStream out, PrintStream err) {
    this.environment = environment;
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new PadCommand(System.getenv(), System.out, System.err).run(args));
  }

  private static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  int run(String[] args) {
    try {
      if (args.length == 0) {
        throw new IllegalArgumentException("a command is missing");
      }
      if (args[0].equals("iso")) {
        iso(args);
        return 0;
      }
      Map<String, String> options = options(List.of(args).subList(1, args.length));
      switch (args[0]) {
        case "list" -> list(options);
        case "capture" -> capture(options);
        case "render" -> render(options);
        case "quality" -> quality(options);
        case "seal" -> seal(options);
        case "open" -> open(options);
        case "examiner-init" -> examinerInit(options);
        default -> throw new IllegalArgumentException("unknown command: pad " + args[0]);
      }
      return 0;
    } catch (Refused e) {
      err.println(e.getMessage());
      return 1;
    } catch (GeneralSecurityException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (PadException e) {
      err.println("error: " + e.getMessage());
      return 1;
    } catch (NoSuchFileException e) {
      err.println("error: no such file: " + e.getFile());
      return 2;
    } catch (IllegalArgumentException | IOException e) {
      err.println("error: " + e.getMessage());
      if (e.getMessage() != null && (e.getMessage().startsWith("unknown") || e.getMessage().contains("missing"))) {
        err.println(USAGE);
      }
      return 2;
    }
  }

  private void list(Map<String, String> options) {
    allow(options, Set.of(), Set.of());
    out.println("Attached (USB HID):");
    try {
      List<StuPads.FoundPad> attached = StuPads.attachedPads();
      if (attached.isEmpty()) {
        out.println("  none");
      }
      for (StuPads.FoundPad pad : attached) {
        out.println("  " + pad.id() + "  " + pad.model() + pad.problem().map(p -> "  (cannot be used: " + p + ")").orElse(""));
      }
    } catch (PadException e) {
      out.println("  " + e.getMessage());
    }
    out.println("Virtual (speak the STU protocol; for tests, demonstrations and training):");
    for (StuPads.FoundPad pad : StuPads.virtualPads()) {
      out.println("  " + pad.id() + "  " + pad.model());
    }
  }

  /**
   * A capture from a pad: with {@code --virtual}, a recorded signature written on a virtual pad and
   * confirmed with its OK button; with {@code --pad}, whatever the signer writes until OK or Cancel.
   */
  private void capture(Map<String, String> options) throws IOException, Refused {
    allow(options, Set.of("out"), Set.of("virtual", "pad", "signer", "timeout"));
    if (options.containsKey("virtual") == options.containsKey("pad")) {
      throw new IllegalArgumentException("give either --virtual MODEL or --pad ID (see pad list)");
    }
    if (options.containsKey("pad") && options.containsKey("signer")) {
      throw new IllegalArgumentException("--signer is for virtual pads: a real pad has a real signer");
    }
    String timeoutText = options.getOrDefault("timeout", "120");
    if (!timeoutText.matches("\\d{1,4}") || Integer.parseInt(timeoutText) == 0) {
      throw new IllegalArgumentException("--timeout must be a number of seconds from 1 to 9999");
    }
    SignaturePad pad = options.containsKey("virtual")
        ? StuPads.openVirtual(options.get("virtual"),
            VirtualSigner.writing(options.getOrDefault("signer", "signature-a")).thenTaps(PadButton.OK))
        : StuPads.open(options.get("pad"));
    CaptureResult result;
    try (pad) {
      err.println("capturing on " + pad.device().model() + ": sign, then tap OK (確定) or Cancel (取消) on the pad");
      result = pad.startCapture(CaptureRequest.signatureOnly(), CaptureListener.NONE)
          .await(Duration.ofSeconds(Integer.parseInt(timeoutText)));
    } catch (TimeoutException e) {
      throw new Refused("no OK or Cancel on the pad within " + timeoutText + " s; nothing was written");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Refused("interrupted; nothing was written");
    }
    if (!result.confirmed()) {
      throw new Refused("not captured (" + result.ending() + (result.failure().isEmpty() ? "" : ": " + result.failure())
          + "); nothing was written");
    }
    SignatureCapture capture = result.capture().orElseThrow();
    writeAtomically(Path.of(options.get("out")), target -> {
      try (var stream = Files.newOutputStream(target)) {
        CaptureJson.write(capture, stream);
      }
    });
    err.println("captured " + capture.samples().size() + " samples, " + capture.strokes().size() + " strokes, "
        + result.gaps().size() + " gaps, " + result.rejectedReports() + " unreadable reports, " + result.clears()
        + " clears, to " + options.get("out"));
  }

  private void iso(String[] args) throws IOException {
    if (args.length < 2) {
      throw new IllegalArgumentException("a command is missing: pad iso encode|decode");
    }
    Map<String, String> options = options(List.of(args).subList(2, args.length));
    switch (args[1]) {
      case "encode" -> {
        allow(options, Set.of("capture", "out"), Set.of());
        SignatureCapture capture = capture(options.get("capture"));
        byte[] record = SignatureTimeSeries.encode(capture);
        writeAtomically(Path.of(options.get("out")), target -> Files.write(target, record));
        err.println("wrote " + SignatureTimeSeries.FORMAT + ", " + capture.samples().size() + " sample points, "
            + record.length + " bytes, to " + options.get("out"));
      }
      case "decode" -> {
        allow(options, Set.of("record", "out"), Set.of());
        SignatureCapture capture = SignatureTimeSeries.decode(Files.readAllBytes(Path.of(options.get("record"))));
        writeAtomically(Path.of(options.get("out")), target -> {
          try (var stream = Files.newOutputStream(target)) {
            CaptureJson.write(capture, stream);
          }
        });
        err.println("decoded " + capture.samples().size() + " sample points to " + options.get("out"));
      }
      default -> throw new IllegalArgumentException("unknown command: pad iso " + args[1]);
    }
  }

  private interface Writer {
    void write(Path target) throws IOException;
  }

  /** Writes beside the target and moves into place: a failed run leaves no half-written file. */
  private static void writeAtomically(Path target, Writer writer) throws IOException {
    Path directory = target.toAbsolutePath().getParent();
    Path temporary = Files.createTempFile(directory, ".pad-", ".partial");
    try {
      writer.write(temporary);
      Files.move(temporary, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  private void render(Map<String, String> options) throws IOException {
    allow(options, Set.of("capture", "out"), Set.of("size"));
    SignatureCapture capture = capture(options.get("capture"));
    String[] size = options.getOrDefault("size", "600x200").split("x", -1);
    if (size.length != 2 || !size[0].matches("\\d{1,4}") || !size[1].matches("\\d{1,4}")) {
      throw new IllegalArgumentException("--size must be WIDTHxHEIGHT in pixels, e.g. 600x200");
    }
    int width = Integer.parseInt(size[0]);
    int height = Integer.parseInt(size[1]);
    Path target = Path.of(options.get("out"));
    SignatureRenderer renderer = SignatureRenderer.withDefaults();
    if (target.toString().endsWith(".svg")) {
      Files.writeString(target, renderer.svg(capture, width, height), StandardCharsets.UTF_8);
    } else {
      Files.write(target, renderer.png(capture, width, height));
    }
    err.println("rendered " + capture.strokes().size() + " strokes to " + target);
  }

  private void quality(Map<String, String> options) throws IOException, Refused {
    allow(options, Set.of("capture"), Set.of());
    QualityGate.Verdict verdict = QualityGate.withDefaults().check(capture(options.get("capture")));
    if (verdict.accepted()) {
      out.println("可接受 / Acceptable");
      return;
    }
    StringBuilder reasons = new StringBuilder("不可接受 / Not acceptable:");
    for (QualityIssue issue : verdict.issues()) {
      reasons.append("\n  - ").append(issue.traditionalChinese()).append(" / ").append(issue.english());
    }
    throw new Refused(reasons.toString());
  }

  private void seal(Map<String, String> options) throws IOException, GeneralSecurityException {
    allow(options, Set.of("record", "document", "examiner", "out"), Set.of("format"));
    SealedContent content = SealedContent.forDocument(options.getOrDefault("format", SignatureTimeSeries.FORMAT),
        Files.readAllBytes(Path.of(options.get("document"))), Files.readAllBytes(Path.of(options.get("record"))));
    byte[] envelope = BiometricEnvelope.seal(content, Pem.certificate(Path.of(options.get("examiner"))), Instant.now());
    Files.write(Path.of(options.get("out")), envelope);
    err.println("sealed " + content + " to " + options.get("out"));
  }

  private void open(Map<String, String> options) throws IOException, GeneralSecurityException, Refused {
    X509Certificate examiner;
    PrivateKey key;
    byte[] envelope;
    if (options.containsKey("keystore")) {
      allow(options, Set.of("keystore", "passphrase-file"), Set.of("envelope", "document", "out"));
      if (!options.containsKey("envelope") && !options.containsKey("document")) {
        throw new IllegalArgumentException("--document (or --envelope) is missing");
      }
      ExaminerKeystore.Examiner opened = ExaminerKeystore.open(Path.of(options.get("keystore")), Path.of(options.get("passphrase-file")));
      examiner = opened.certificate();
      key = opened.key();
      envelope = options.containsKey("envelope")
          ? Files.readAllBytes(Path.of(options.get("envelope")))
          : AttachedEnvelope.from(Path.of(options.get("document")));
    } else {
      allow(options, Set.of("envelope", "examiner", "key"), Set.of("document", "out"));
      examiner = Pem.certificate(Path.of(options.get("examiner")));
      key = Pem.privateKey(Path.of(options.get("key")), environment.get(Pem.KEY_PASSWORD_VARIABLE));
      envelope = Files.readAllBytes(Path.of(options.get("envelope")));
    }
    SealedContent content = BiometricEnvelope.open(envelope, examiner, key);
    out.println("format:          " + content.recordFormat());
    out.println("record:          " + content.record().length + " bytes");
    out.println("document SHA-256 " + HexFormat.of().formatHex(content.documentSha256()));
    if (options.containsKey("out")) {
      Files.write(Path.of(options.get("out")), content.record());
      out.println("record written to " + options.get("out"));
    }
    if (options.containsKey("document")) {
      byte[] document = Files.readAllBytes(Path.of(options.get("document")));
      DocumentBinding.Bound bound = DocumentBinding.find(document, content).orElseThrow(() -> new Refused(
          "NOT BOUND: no revision of " + options.get("document") + " has the SHA-256 this envelope was sealed for"
              + " (another document, or its signed revision was changed)"));
      out.println("bound to " + options.get("document") + ": yes, "
          + (bound.revision() == 0 ? "the whole file" : "revision " + bound.revision() + " (its first " + bound.length() + " of "
              + document.length + " bytes)"));
    }
  }

  private void examinerInit(Map<String, String> options) throws IOException, GeneralSecurityException {
    allow(options, Set.of("keystore", "passphrase-file", "certificate"), Set.of("name"));
    X509Certificate certificate = ExaminerKeystore.create(Path.of(options.get("keystore")), Path.of(options.get("passphrase-file")),
        Path.of(options.get("certificate")), options.getOrDefault("name", "NHI Opt-out Escrow Examiner (local demo)"), Instant.now());
    err.println("examiner key store " + options.get("keystore") + " made; its certificate (valid until "
        + certificate.getNotAfter().toInstant() + ") is " + options.get("certificate"));
  }

  private static SignatureCapture capture(String file) throws IOException {
    try (InputStream in = Files.newInputStream(Path.of(file))) {
      return CaptureJson.read(in);
    }
  }

  private static Map<String, String> options(List<String> args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i += 2) {
      String name = args.get(i);
      if (!name.startsWith("--") || i + 1 >= args.size()) {
        throw new IllegalArgumentException("options come as --name value pairs; " + name + " has no value");
      }
      if (options.put(name.substring(2), args.get(i + 1)) != null) {
        throw new IllegalArgumentException(name + " is given twice");
      }
    }
    return options;
  }

  private static void allow(Map<String, String> options, Set<String> required, Set<String> optional) {
    for (String name : required) {
      if (!options.containsKey(name)) {
        throw new IllegalArgumentException("--" + name + " is missing");
      }
    }
    for (String name : options.keySet()) {
      if (!required.contains(name) && !optional.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
  }
}
