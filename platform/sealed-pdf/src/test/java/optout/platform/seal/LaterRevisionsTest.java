package optout.platform.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import optout.platform.seal.pki.DemoPki;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDTextField;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the seal, a B-LTA form may only gain validation data and document timestamps. Each attack here
 * changes what the form shows in a later revision and then has it timestamped again (a timestamp
 * authority stamps whatever it is sent, so a fresh document timestamp over the change proves nothing):
 * the verifier refuses every one, and accepts the legitimate archive timestamp.
 */
class LaterRevisionsTest {

  @TempDir static Path directory;
  static DemoPki pki;
  static SealVerifier verifier;
  static byte[] sealed;

  @BeforeAll
  static void sealAForm() throws Exception {
    pki = DemoPki.openOrCreate(directory.resolve("pki"), DemoPki.DEMO_PASSPHRASE.toCharArray(), Clock.systemUTC());
    verifier = new SealVerifier(List.of(pki.rootCertificate()));
    PadesSealer sealer = new PadesSealer(pki.agencySealingKey(), pki.timestampAuthority(), pki.revocationSource(), Clock.systemUTC());
    sealed = sealer.seal(TestForms.withReservedField(), SealOptions.defaults()).pdf();
  }

  @Test
  void furtherValidationDataAndADocumentTimestampAreAccepted() throws Exception {
    byte[] data = LongTermRevisions.addValidationData(sealed, pki.timestampAuthority().certificateChain(), List.of(pki.currentCrl()),
        Clock.systemUTC().instant());
    byte[] again = LongTermRevisions.addDocumentTimestamp(data, pki.timestampAuthority()).pdf();
    VerifiedSeal seal = verifier.verify(again);
    assertThat(seal.level()).isEqualTo("PAdES-BASELINE-LTA");
    assertThat(seal.documentTimestampTimes()).hasSize(2);
  }

  @Test
  void aNoteAddedToThePageIsRefused() throws Exception {
    byte[] changed = change(document -> {
      PDPage page = document.getPage(0);
      PDAnnotationText note = new PDAnnotationText();
      note.setRectangle(new PDRectangle(50, 700, 20, 20));
      note.setContents("withdrawn");
      List<PDAnnotation> annotations = page.getAnnotations();
      annotations.add(note);
      page.setAnnotations(annotations);
      page.getCOSObject().setNeedToBeUpdated(true);
    });
    assertRefused(changed);
  }

  @Test
  void somethingDrawnOnThePageIsRefused() throws Exception {
    byte[] changed = change(document -> {
      PDPage page = document.getPage(0);
      try (PDPageContentStream content = new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND, false)) {
        content.addRect(50, 600, 300, 40);
        content.fill();
      }
      page.getCOSObject().setNeedToBeUpdated(true);
    });
    assertRefused(changed);
  }

  @Test
  void aChangedDocumentInformationIsRefused() throws Exception {
    assertRefused(change(document -> {
      document.getDocumentInformation().setTitle("Withdrawal (not an opt-out)");
      document.getDocumentInformation().getCOSObject().setNeedToBeUpdated(true);
    }));
  }

  @Test
  void aNewFormFieldIsRefused() throws Exception {
    assertRefused(change(document -> {
      PDAcroForm form = document.getDocumentCatalog().getAcroForm();
      PDTextField field = new PDTextField(form);
      field.setPartialName("Scope");
      PDAnnotationWidget widget = field.getWidgets().get(0);
      widget.setRectangle(new PDRectangle(50, 500, 200, 20));
      widget.setPage(document.getPage(0));
      document.getPage(0).getAnnotations().add(widget);
      form.getFields().add(field);
      field.setValue("none");
      form.getCOSObject().setNeedToBeUpdated(true);
      document.getPage(0).getCOSObject().setNeedToBeUpdated(true);
      document.getDocumentCatalog().getCOSObject().setNeedToBeUpdated(true);
    }));
  }

  @Test
  void aDocumentTimestampWithAVisibleWidgetIsRefused() throws Exception {
    byte[] stamped = LongTermRevisions.addDocumentTimestamp(sealed, pki.timestampAuthority()).pdf();
    byte[] visible = change(stamped, document -> {
      PDAnnotationWidget widget = document.getSignatureFields().get(1).getWidgets().get(0);
      widget.setRectangle(new PDRectangle(50, 700, 300, 60));
      widget.getCOSObject().setNeedToBeUpdated(true);
    });
    assertRefused(visible);
  }

  @Test
  void aDocumentTimestampFieldWithAnActionIsRefused() throws Exception {
    byte[] stamped = LongTermRevisions.addDocumentTimestamp(sealed, pki.timestampAuthority()).pdf();
    byte[] scripted = change(stamped, document -> {
      PDAnnotationWidget widget = document.getSignatureFields().get(1).getWidgets().get(0);
      org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript script =
          new org.apache.pdfbox.pdmodel.interactive.action.PDActionJavaScript("app.alert('withdrawn')");
      widget.setAction(script);
      widget.getCOSObject().setNeedToBeUpdated(true);
    });
    assertRefused(scripted);
  }

  @Test
  void aSecondSignatureIsRefused() throws Exception {
    PadesSealer sealer = new PadesSealer(pki.agencySealingKey(), pki.timestampAuthority(), RevocationSource.none(), Clock.systemUTC());
    byte[] twice = sealer.seal(sealed, SealOptions.defaults().withFieldName("SecondSeal")).pdf();
    assertThatThrownBy(() -> verifier.verify(twice)).isInstanceOf(InvalidSealException.class)
        .hasMessage("Cannot accept the seal: the PDF carries 2 signatures; a sealed form has exactly one");
    assertThat(COSName.DOC_TIME_STAMP.getName()).isEqualTo("DocTimeStamp");
  }

  private interface Change {
    void apply(PDDocument document) throws Exception;
  }

  private static byte[] change(Change change) throws Exception {
    return change(sealed, change);
  }

  /** The change in an incremental update, then a fresh document timestamp over it. */
  private static byte[] change(byte[] pdf, Change change) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PDDocument document = Loader.loadPDF(pdf)) {
      change.apply(document);
      document.saveIncremental(out);
    }
    return LongTermRevisions.addDocumentTimestamp(out.toByteArray(), pki.timestampAuthority()).pdf();
  }

  private static void assertRefused(byte[] pdf) {
    assertThatThrownBy(() -> verifier.verify(pdf)).isInstanceOf(InvalidSealException.class)
        .hasMessageContaining("was changed after the seal (only validation data and document timestamps may follow it)");
  }
}
