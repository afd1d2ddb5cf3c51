package optout.consent.form;

import optout.platform.pdf.FormFonts;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import optout.pad.render.SignatureRenderer;
import optout.pad.stu.VirtualSigner;
import optout.pseudonymizer.id.PersonId;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.pdmodel.PDDocument;

/** Filings, signatures and renderers shared by the form's tests. */
final class TestForms {

  /** A valid national ID (check digit correct); the form may show it only as A******789. */
  static final String NATIONAL_ID = "A123456789";
  static final String MASKED_ID = "A******789";
  static final PersonId PERSON = PersonId.parse(NATIONAL_ID);
  /** 2026-11-25 14:03:05 in Taipei. */
  static final Instant SIGNED_AT = Instant.parse("2026-11-25T06:03:05Z");
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-25T06:03:09Z"), ZoneOffset.UTC);
  static final Path OUTPUT = Path.of("target", "form-tests");

  private static FormFonts fonts;
  private static byte[] signature;

  private TestForms() {}

  /** A forensic examiner's key and certificate (EC P-256, key agreement), valid now. */
  record Examiner(java.security.KeyPair keys, java.security.cert.X509Certificate certificate) {}

  static Examiner examiner() {
    try {
      java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
      generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
      java.security.KeyPair keys = generator.generateKeyPair();
      Instant now = Instant.now();
      org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=Forensic examiner (test)");
      org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(
          name, java.math.BigInteger.ONE, java.util.Date.from(now.minusSeconds(86_400)), java.util.Date.from(now.plusSeconds(30 * 86_400L)),
          name, keys.getPublic());
      builder.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
          new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyAgreement));
      java.security.cert.X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
          builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
      return new Examiner(keys, certificate);
    } catch (Exception e) {
      throw new IllegalStateException("Cannot make the test examiner", e);
    }
  }

  /** The service's order: the envelope sealed for the rendered form's SHA-256. */
  static byte[] envelopeFor(RenderedForm form, Examiner examiner, byte[] record) {
    try {
      return optout.pad.envelope.BiometricEnvelope.seal(
          new optout.pad.envelope.SealedContent("ISO/IEC 19794-7:2021", form.sha256(), record), examiner.certificate(), Instant.now());
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("Cannot seal the test envelope", e);
    }
  }

  static synchronized FormFonts fonts() {
    if (fonts == null) {
      fonts = FormFonts.debianDefaults();
    }
    return fonts;
  }

  static FormRenderer renderer() {
    return new FormRenderer(fonts(), CLOCK);
  }

  /** A real capture from the driver's recordings, drawn by the driver's renderer, as the service will. */
  static synchronized byte[] signaturePng() {
    if (signature == null) {
      signature = SignatureRenderer.withDefaults().png(VirtualSigner.recording("signature-a"), 900, 300);
    }
    return signature.clone();
  }

  static SignatureImage signature() {
    return SignatureImage.png(signaturePng());
  }

  static Filing optOut() {
    return Filing.byPerson("F-2026-000042", FormKind.OPT_OUT, PERSON, List.of("academic-research", "commercial-use"),
        Channel.COUNTER, SIGNED_AT);
  }

  static Filing proxyOptOut() {
    return Filing.byRepresentative("F-2026-000043", FormKind.OPT_OUT, PERSON, List.of("all-secondary-use"), Channel.ONLINE,
        new Representative(Representative.Relation.PARENT_OF_MINOR, "EV-2026-1125-0007", PersonId.parse("F120047112")), SIGNED_AT);
  }

  static Filing withdrawal() {
    return Filing.byPerson("F-2026-000044", FormKind.WITHDRAWAL, PERSON, List.of("government-statistics"), Channel.ONLINE,
        SIGNED_AT);
  }

  static Path write(String name, byte[] pdf) {
    try {
      Files.createDirectories(OUTPUT);
      Path file = OUTPUT.resolve(name);
      Files.write(file, pdf);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every stream of the PDF, decoded, concatenated: to search what compression would hide. */
  static byte[] decodedStreams(byte[] pdf) {
    try (PDDocument document = Loader.loadPDF(pdf)) {
      java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
      for (COSObject object : document.getDocument().getXrefTable().keySet().stream()
          .map(key -> document.getDocument().getObjectFromPool(key)).toList()) {
        COSBase base = object.getObject();
        if (base instanceof COSStream stream) {
          try (InputStream in = stream.createInputStream()) {
            all.write(in.readAllBytes());
          } catch (IOException e) {
            // A stream PDFBox cannot decode (none expected) is searched raw below.
            try (InputStream in = stream.createRawInputStream()) {
              all.write(in.readAllBytes());
            }
          }
        }
      }
      return all.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
