package optout.consent.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import optout.pad.envelope.BiometricEnvelope;
import optout.pad.envelope.SealedContent;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.filespecification.PDComplexFileSpecification;
import org.apache.pdfbox.pdmodel.common.filespecification.PDEmbeddedFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BiometricAttachmentTest {

  private static final Instant SEALED_AT = Instant.parse("2026-11-25T06:03:07Z");
  private static final byte[] RECORD = "ISO/IEC 19794-7 record bytes of the pen's x, y, t and pressure".getBytes();

  private static TestForms.Examiner examiner;
  private static RenderedForm form;
  private static byte[] envelope;

  @BeforeAll
  static void sealForTheRenderedForm() {
    examiner = TestForms.examiner();
    // The order the service follows: render, hash, seal for that hash, attach.
    form = TestForms.renderer().render(TestForms.optOut(), FormTemplate.load("opt-out", 1), TestForms.signature());
    envelope = TestForms.envelopeFor(form, examiner, RECORD);
  }

  @Test
  void theEnvelopeIsAnAssociatedFileThatPopplerLists() throws IOException {
    byte[] attached = BiometricAttachment.attach(form, envelope, SEALED_AT);
    Path file = TestForms.write("opt-out-attached.pdf", attached);

    assertThat(Poppler.run("pdfdetach", "-list", file.toString()))
        .contains("1 embedded files")
        .contains("1: " + BiometricAttachment.FILE_NAME);
    Path saved = TestForms.OUTPUT.resolve("detached.cms");
    Files.deleteIfExists(saved);
    Poppler.run("pdfdetach", "-save", "1", "-o", saved.toString(), file.toString());
    assertThat(Files.readAllBytes(saved)).isEqualTo(envelope);
    assertThat(BiometricAttachment.envelope(attached)).isEqualTo(envelope);
    // The form's text is unchanged by the update.
    assertThat(Poppler.text(file)).contains("全民健康保險資料次級利用停止申請書").contains(TestForms.MASKED_ID);
  }

  @Test
  void theFileSpecificationDeclaresItsRelationshipTypeAndParameters() throws Exception {
    byte[] attached = BiometricAttachment.attach(form, envelope, SEALED_AT);

    try (PDDocument document = Loader.loadPDF(attached)) {
      COSArray associated = document.getDocumentCatalog().getCOSObject().getCOSArray(COSName.getPDFName("AF"));
      assertThat(associated).hasSize(1);
      COSDictionary specDictionary = (COSDictionary) associated.getObject(0);
      assertThat(specDictionary.getCOSName(COSName.getPDFName("AFRelationship"))).isEqualTo(COSName.getPDFName("Data"));
      PDComplexFileSpecification spec = new PDComplexFileSpecification(specDictionary);
      assertThat(spec.getFile()).isEqualTo(BiometricAttachment.FILE_NAME);
      assertThat(spec.getFileUnicode()).isEqualTo(BiometricAttachment.FILE_NAME);
      assertThat(spec.getFileDescription()).contains("SHA-256 " + form.sha256Hex()).contains("bytes 0 to " + (form.pdf().length - 1));
      PDEmbeddedFile file = spec.getEmbeddedFile();
      assertThat(file.getSubtype()).isEqualTo("application/cms");
      assertThat(file.getSize()).isEqualTo(envelope.length);
      assertThat(file.getModDate().toInstant()).isEqualTo(SEALED_AT);
      COSString checksum = (COSString) file.getCOSObject().getCOSDictionary(COSName.PARAMS).getDictionaryObject(COSName.getPDFName("CheckSum"));
      assertThat(checksum.getBytes()).isEqualTo(MessageDigest.getInstance("MD5").digest(envelope));
      assertThat(document.getDocumentCatalog().getNames().getEmbeddedFiles().getNames()).containsKey(BiometricAttachment.FILE_NAME);
    }
  }

  @Test
  void theRenderedFormStaysTheFirstRevisionAndTheExaminerCanCheckTheBinding() throws Exception {
    byte[] attached = BiometricAttachment.attach(form, envelope, SEALED_AT);
    byte[] original = form.pdf();

    assertThat(Arrays.copyOf(attached, original.length)).isEqualTo(original);
    // The examiner's procedure: detach, open with the examiner's key, find the revision with that hash.
    SealedContent opened = BiometricEnvelope.open(BiometricAttachment.envelope(attached), examiner.certificate(), examiner.keys().getPrivate());
    byte[] revision = BiometricAttachment.boundRevision(attached, opened.documentSha256());
    assertThat(revision).isEqualTo(original);
    assertThat(opened.belongsTo(revision)).isTrue();
    assertThat(opened.record()).isEqualTo(RECORD);
  }

  @Test
  void anEnvelopeMovedToAnotherFormDoesNotBind() throws Exception {
    RenderedForm other = TestForms.renderer().render(TestForms.withdrawal(), FormTemplate.load("withdrawal", 1), TestForms.signature());
    byte[] misplaced = BiometricAttachment.attach(other, envelope, SEALED_AT);
    SealedContent opened = BiometricEnvelope.open(BiometricAttachment.envelope(misplaced), examiner.certificate(), examiner.keys().getPrivate());

    assertThatThrownBy(() -> BiometricAttachment.boundRevision(misplaced, opened.documentSha256()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the envelope was not sealed for this document");
  }

  @Test
  void refusesWhatIsNotASealedEnvelopeAndASecondAttachment() {
    assertThatThrownBy(() -> BiometricAttachment.attach(form, new byte[0], SEALED_AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot attach the biometric envelope: it is empty");
    assertThatThrownBy(() -> BiometricAttachment.attach(form, "raw strokes, not sealed".getBytes(), SEALED_AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot attach the biometric envelope: it is not a CMS structure");
    assertThatThrownBy(() -> BiometricAttachment.attach(form, new byte[BiometricAttachment.MAX_ENVELOPE_BYTES + 1], SEALED_AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than");
    byte[] attached = BiometricAttachment.attach(form, envelope, SEALED_AT);
    RenderedForm already = new RenderedForm(attached, form.template(), form.sealField(), form.pages());
    assertThatThrownBy(() -> BiometricAttachment.attach(already, envelope, SEALED_AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot attach the biometric envelope: the form already has attachments");
    assertThatThrownBy(() -> BiometricAttachment.envelope(form.pdf()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no attachment");
  }

  @Test
  void theAttachedFormIsStillSmall() {
    assertThat(BiometricAttachment.attach(form, envelope, SEALED_AT).length).isLessThan(300 * 1024);
  }
}
