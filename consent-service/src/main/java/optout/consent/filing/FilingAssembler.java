package optout.consent.filing;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import optout.consent.form.BiometricAttachment;
import optout.consent.form.Filing;
import optout.consent.form.FormRenderer;
import optout.consent.form.FormTemplate;
import optout.consent.form.Receipt;
import optout.consent.form.ReceiptRenderer;
import optout.consent.form.RenderedForm;
import optout.consent.form.SignatureImage;
import optout.consent.form.VerificationCode;
import optout.platform.seal.PadesSealer;
import optout.platform.seal.SealOptions;
import optout.platform.seal.SealedPdf;
import optout.pad.api.SignatureCapture;
import optout.pad.stu.StuPads;
import optout.pad.envelope.BiometricEnvelope;
import optout.pad.envelope.SealedContent;
import optout.pad.iso.SignatureTimeSeries;
import optout.pad.render.SignatureRenderer;

/**
 * Turns a filing and the citizen's handwritten signature into the documents the archive keeps, in the
 * order that keeps every binding checkable: draw the signature → render the form with it (revision 1)
 * → encode the pen's record (ISO/IEC 19794-7) and seal it for the escrow examiner, bound to revision
 * 1's SHA-256 → attach that envelope (revision 2) → the agency's PAdES seal with a signature timestamp
 * and validation data over the whole file (revision 3) → the receipt, which names the verification
 * code. Plain Java: the service's adapters call it, tests call it directly.
 */
public final class FilingAssembler {

  /** The signature picture's size in pixels: 300 dpi over the form's signature box, roughly. */
  private static final int SIGNATURE_WIDTH = 1200;
  private static final int SIGNATURE_HEIGHT = 360;

  private final FormRenderer forms;
  private final ReceiptRenderer receipts;
  private final PadesSealer sealer;
  private final X509Certificate examiner;
  private final URI verificationBase;
  private final Clock clock;
  private final SignatureRenderer signatures = SignatureRenderer.withDefaults();

  /**
   * @param examiner the escrow examiner's certificate: biometric envelopes are sealed for it alone
   * @param verificationBase where receipts send their holders, e.g. {@code https://optout.nhi.gov.tw}
   */
  public FilingAssembler(FormRenderer forms, ReceiptRenderer receipts, PadesSealer sealer, X509Certificate examiner,
      URI verificationBase, Clock clock) {
    if (forms == null || receipts == null || sealer == null || examiner == null || verificationBase == null || clock == null) {
      throw new IllegalArgumentException("Cannot assemble filings: renderers, sealer, examiner certificate, verification address and clock are required");
    }
    this.forms = forms;
    this.receipts = receipts;
    this.sealer = sealer;
    this.examiner = examiner;
    this.verificationBase = verificationBase;
    this.clock = clock;
  }

  /** The sealed form and the receipt, with what the archive records of them. */
  public record AssembledFiling(byte[] sealedForm, byte[] receipt, FormTemplate template, Instant sealedAt) {
    public String formSha256() {
      return Digests.sha256Hex(sealedForm);
    }

    public String receiptSha256() {
      return Digests.sha256Hex(receipt);
    }
  }

  /**
   * The filing's documents.
   *
   * @param signature the confirmed capture, already through the quality gate
   * @param code the receipt's verification code
   * @throws IllegalArgumentException if the filing does not fit the current template or the capture
   *     cannot be recorded
   * @throws IOException if the timestamp authority cannot be reached
   * @throws GeneralSecurityException if the seal cannot be made
   */
  public AssembledFiling assemble(Filing filing, SignatureCapture signature, VerificationCode code)
      throws IOException, GeneralSecurityException {
    if (filing == null || signature == null || code == null) {
      throw new IllegalArgumentException("Cannot assemble a filing: the filing, the signature and the verification code are required");
    }
    FormTemplate template = FormTemplate.latest(filing.kind().templateId());
    SignatureImage picture = SignatureImage.png(signatures.png(signature, SIGNATURE_WIDTH, SIGNATURE_HEIGHT));
    if (StuPads.VIRTUAL_VENDOR.equals(signature.device().vendor())) {
      picture = picture.fromVirtualPad();
    }
    RenderedForm rendered = forms.render(filing, template, picture);
    byte[] record = SignatureTimeSeries.encode(signature);
    Instant now = clock.instant();
    byte[] envelope = BiometricEnvelope.seal(new SealedContent(SignatureTimeSeries.FORMAT, rendered.sha256(), record), examiner, now);
    byte[] withEnvelope = BiometricAttachment.attach(rendered, envelope, now);
    SealedPdf sealed = sealer.seal(withEnvelope, SealOptions.defaults().withAppearanceFont(forms.fonts().latinFont())
        .withReason("全民健康保險署核章 Sealed by the National Health Insurance Administration: filing " + filing.filingId())
        .withLocation("Taiwan"));
    byte[] receipt = receipts.render(Receipt.forFiling(filing, code, verificationBase), FormTemplate.latest(FormTemplate.RECEIPT_ID));
    return new AssembledFiling(sealed.pdf(), receipt, template, sealed.timestampTime());
  }
}
