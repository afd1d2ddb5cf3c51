package optout.consent.form;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import optout.platform.seal.EuDss;
import optout.platform.seal.PadesSealer;
import optout.platform.seal.SealOptions;
import optout.platform.seal.SealVerifier;
import optout.platform.seal.SealedForms;
import optout.platform.seal.SealedPdf;
import optout.platform.seal.pki.DemoPki;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.digitalsignature.PDSignature;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo opt-out form sealed as the service seals it (rendered, biometric envelope attached, sealed with
 * the demo PKI) judged by EU DSS 6.4 with the demo root as its only trust anchor, offline: the level is
 * PAdES-BASELINE-LTA and the indication TOTAL_PASSED with both timestamps PASSED, the service's own level
 * label is the same, and a flipped byte in any signed range makes DSS fail the seal or the timestamp that covers it.
 */
class SealedFormDssTest {

  private static final Logger LOG = LoggerFactory.getLogger(SealedFormDssTest.class);

  @TempDir static Path directory;
  static DemoPki pki;
  static SealedPdf sealed;

  @BeforeAll
  static void sealADemoForm() throws Exception {
    pki = DemoPki.openOrCreate(directory.resolve("pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    sealed = sealedDemoForm(pki);
    TestForms.write("sealed-demo-form-lta.pdf", sealed.pdf()); // to look at; the tests read the bytes
  }

  /**
   * The form as FilingAssembler seals it: rendered, the envelope attached, sealed into the reserved field
   * with its visible appearance in the form's Latin font.
   */
  static SealedPdf sealedDemoForm(DemoPki pki) throws Exception {
    RenderedForm form = TestForms.renderer().render(TestForms.optOut(), FormTemplate.load("opt-out", 1), TestForms.signature());
    byte[] envelope = TestForms.envelopeFor(form, TestForms.examiner(), new byte[] {1, 2, 3});
    byte[] withEnvelope = BiometricAttachment.attach(form, envelope, Instant.now());
    PadesSealer sealer = new PadesSealer(pki.agencySealingKey(), pki.timestampAuthority(), pki.revocationSource(), Clock.systemUTC());
    return sealer.seal(withEnvelope, SealOptions.defaults().withAppearanceFont(TestForms.fonts().latinFont()).withReason("Sealed by the National Health Insurance Administration").withLocation("Taiwan"));
  }

  @Test
  void euDssFindsTheSealedFormLtaAndTotalPassed() {
    EuDss.Verdict verdict = EuDss.validate(sealed.pdf(), pki.rootCertificate());
    LOG.info("EU DSS 6.4 on a sealed demo form: {}; simple report:\n{}", verdict, verdict.simpleReportXml());
    assertThat(verdict.format()).as(verdict.simpleReportXml()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(verdict.indication()).as(verdict.simpleReportXml()).isEqualTo("TOTAL_PASSED");
    assertThat(verdict.signatures()).isEqualTo(1);
    assertThat(verdict.timestampIndications()).as("the signature timestamp and the document timestamp").containsExactly("PASSED", "PASSED");
    assertThat(verdict.allPassed()).isTrue();
  }

  @Test
  void theServicesLevelLabelIsWhatEuDssSays() throws Exception {
    String label = new SealVerifier(List.of(pki.rootCertificate())).verify(sealed.pdf()).level();
    assertThat(label).isEqualTo(EuDss.validate(sealed.pdf(), pki.rootCertificate()).format())
        .isEqualTo(sealed.level()).isEqualTo("PAdES-BASELINE-LTA");
  }

  /** The form's agency-seal box shows the seal: who sealed (agency, certificate), when; nothing about the person. */
  @Test
  void theSealBoxShowsTheSealsVisibleAppearance() throws Exception {
    String page;
    String flattened;
    try (PDDocument document = Loader.loadPDF(sealed.pdf())) {
      page = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
      var widget = document.getDocumentCatalog().getAcroForm().getField(FormRenderer.SEAL_FIELD_NAME).getWidgets().get(0);
      var appearance = widget.getAppearance().getNormalAppearance().getAppearanceStream();
      assertThat(appearance.getBBox().getWidth()).isEqualTo(widget.getRectangle().getWidth());
      var font = appearance.getResources().getFont(appearance.getResources().getFontNames().iterator().next());
      assertThat(font.isEmbedded()).as("PDF/A: the appearance's font is embedded").isTrue();
      document.getDocumentCatalog().getAcroForm().flatten(); // puts the widgets' appearances into the page, to read them
      flattened = new org.apache.pdfbox.text.PDFTextStripper().getText(document);
    }
    assertThat(page).doesNotContain("Sealed by");
    String shown = flattened.replace(page.trim(), "");
    // Compared without white space: the box wraps the lines to its width.
    assertThat(flattened.replaceAll("\\s+", "")).contains(Stream.of("Sealed by National Health Insurance Administration (demo)",
        "Seal: CN=NHI Opt-out Agency Seal (demo),OU=LOCAL DEMO - NOT FOR PRODUCTION,O=National Health Insurance Administration (demo),C=TW",
        "Signed " + java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneOffset.UTC)
            .format(sealed.claimedSigningTime()) + " UTC").map(line -> line.replaceAll("\\s+", "")).toList());
    assertThat(shown).doesNotContain(TestForms.MASKED_ID);
  }

  @Test
  void aFlippedByteInAnySignedRangeIsNotTotalPassed() throws Exception {
    byte[] pdf = sealed.pdf();
    List<Integer> offsets = new ArrayList<>();
    int[] seal = SealedForms.byteRange(pdf);
    int[] archive;
    try (PDDocument document = Loader.loadPDF(pdf)) {
      List<PDSignature> timestamps = SealedForms.documentTimestamps(document);
      archive = timestamps.get(timestamps.size() - 1).getByteRange();
    }
    String text = new String(pdf, StandardCharsets.ISO_8859_1);
    offsets.add(seal[1] / 3); // inside the form's first revision (its page content)
    offsets.add(text.indexOf("/M (D:", seal[0]) + 8); // the seal's claimed signing time
    offsets.add(seal[2] + 20); // the seal's revision after its /Contents
    offsets.add((seal[2] + seal[3] + archive[1]) / 2); // the validation data revision (DSS, VRI, CRL)
    offsets.add(archive[1] - 40); // the document timestamp's own dictionary
    offsets.add(pdf.length - 3); // the last trailer
    for (int offset : offsets) {
      byte[] tampered = pdf.clone();
      tampered[offset] ^= 0x01;
      EuDss.Verdict verdict = EuDss.validate(tampered, pki.rootCertificate());
      assertThat(verdict).as("byte %d of %d flipped (%s): %s", offset, pdf.length,
          text.substring(Math.max(0, offset - 20), Math.min(pdf.length, offset + 20)), verdict).matches(v -> !v.allPassed());
    }
  }
}
