package optout.consent.form;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Instant;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.verapdf.gf.foundry.VeraGreenfieldFoundryProvider;
import org.verapdf.pdfa.Foundries;
import org.verapdf.pdfa.PDFAParser;
import org.verapdf.pdfa.PDFAValidator;
import org.verapdf.pdfa.flavours.PDFAFlavour;
import org.verapdf.pdfa.results.TestAssertion;
import org.verapdf.pdfa.results.ValidationResult;

/**
 * veraPDF, the PDF Association's reference validator, judges the forms against PDF/A-3B: as rendered,
 * with the biometric envelope, and as finally sealed (B-LTA), which is what the archive keeps.
 */
class PdfAConformanceTest {

  @BeforeAll
  static void initialise() {
    VeraGreenfieldFoundryProvider.initialise();
  }

  @Test
  void theRenderedFormIsPdfA3b() throws Exception {
    for (Filing filing : java.util.List.of(TestForms.optOut(), TestForms.proxyOptOut())) {
      RenderedForm form = TestForms.renderer().render(filing, FormTemplate.load("opt-out", 1), TestForms.signature());
      assertConforms(form.pdf());
    }
  }

  @Test
  void theFormWithTheBiometricEnvelopeAttachedIsPdfA3b() throws Exception {
    RenderedForm form = TestForms.renderer().render(TestForms.withdrawal(), FormTemplate.load("withdrawal", 1), TestForms.signature());
    byte[] envelope = TestForms.envelopeFor(form, TestForms.examiner(), new byte[] {1, 2, 3});
    assertConforms(BiometricAttachment.attach(form, envelope, Instant.parse("2026-11-25T06:03:07Z")));
  }

  /** The form as it is filed and archived: sealed, its validation data and its document timestamp added (B-LTA). */
  @Test
  void theFinalSealedFormIsPdfA3b(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
    optout.platform.seal.pki.DemoPki pki = optout.platform.seal.pki.DemoPki.openOrCreate(directory.resolve("pki"),
        optout.platform.seal.pki.DemoPki.DEMO_PASSPHRASE.toCharArray(), java.time.Clock.systemUTC());
    optout.platform.seal.SealedPdf sealed = SealedFormDssTest.sealedDemoForm(pki);
    assertThat(sealed.level()).isEqualTo("PAdES-BASELINE-LTA");
    assertConforms(sealed.pdf());
  }

  @Test
  void theReceiptIsPdfA3b() throws Exception {
    Receipt receipt = Receipt.forFiling(TestForms.optOut(), new VerificationCode("K7QH2MZP4XW3BN6R"), URI.create("https://optout.example.gov.tw"));
    assertConforms(new ReceiptRenderer(TestForms.fonts(), TestForms.CLOCK).render(receipt, FormTemplate.load("receipt", 1)));
  }

  private static void assertConforms(byte[] pdf) throws Exception {
    PDFAFlavour flavour = PDFAFlavour.fromString("3b");
    try (PDFAParser parser = Foundries.defaultInstance().createParser(new ByteArrayInputStream(pdf), flavour);
        PDFAValidator validator = Foundries.defaultInstance().createValidator(flavour, false)) {
      ValidationResult result = validator.validate(parser);
      String failures = result.getTestAssertions().stream()
          .filter(assertion -> assertion.getStatus() == TestAssertion.Status.FAILED)
          .map(assertion -> assertion.getRuleId().getClause() + "-" + assertion.getRuleId().getTestNumber() + ": " + assertion.getMessage())
          .distinct().collect(Collectors.joining("\n"));
      assertThat(result.isCompliant()).as("PDF/A-3B failures:\n" + failures).isTrue();
    }
  }
}
