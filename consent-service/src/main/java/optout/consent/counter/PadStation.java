package optout.consent.counter;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import optout.consent.filing.Draft;
import optout.consent.form.Filing;
import optout.platform.pdf.FormFonts;
import optout.consent.form.FormKind;
import optout.consent.form.FormTemplate;
import optout.pad.api.CaptureListener;
import optout.pad.api.CaptureRequest;
import optout.pad.api.CaptureResult;
import optout.pad.api.CaptureSession;
import optout.pad.api.PadButton;
import optout.pad.api.PadException;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import optout.pad.api.SignaturePad;
import optout.pad.stu.StuPads;
import optout.pad.stu.VirtualSigner;

/**
 * The counter's signature pad: shows what the citizen is signing (the form's title, the masked ID and the
 * chosen scopes, zh-TW first), runs one capture at a time and hands back how it ended. The pad is either
 * an attached Wacom STU (by its ID) or a virtual STU pad, on which a virtual citizen writes one of the
 * driver's recorded signatures; only the virtual pad takes the clerk's choice of what is written.
 *
 * <p>A virtual pad lets a clerk seal a form "signed" by a recording, so it exists only where the
 * operator said, in so many words, that this is the local demo ({@link #forDemo}); such forms say so
 * (the driver records the device as a virtual pad, and the form's signature box is stamped). In
 * production ({@link #attached}) the pad must be attached when the service starts.
 */
public final class PadStation {

  /** What the virtual citizen can write: the driver's recordings, and one too short to pass the quality gate. */
  public static final List<String> VIRTUAL_RECORDINGS = List.of("signature-a", "signature-b", "signature-c", "too-short");
  private static final String VIRTUAL_PREFIX = "virtual:";

  private final String padId;
  private final Duration timeout;
  private final Font font;

  private PadStation(String padId, Duration timeout) {
    this.padId = padId;
    this.timeout = timeout;
    this.font = FormFonts.awtCjkFont();
  }

  /**
   * The counter's pad as configured.
   *
   * @param padId an attached pad's ID ({@code ./optout pad list}), or {@code virtual:MODEL}
   * @param localDemo whether the operator declared this the local demo, the only place a virtual pad may sign
   * @param attachedPads the IDs of the pads attached now (asked only for a real pad)
   * @throws IllegalStateException if no pad is configured, a virtual pad is configured outside the local
   *     demo, or the configured pad is not attached
   */
  public static PadStation configured(String padId, boolean localDemo, Duration timeout, PadDirectory attachedPads) {
    if (padId == null || padId.isBlank()) {
      throw new IllegalStateException("The counter's signature pad is not configured: set optout.consent.counter.pad"
          + " (OPTOUT_CONSENT_COUNTER_PAD) to an attached pad's ID, as ./optout pad list shows it");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalStateException("The counter's capture timeout must be positive");
    }
    if (padId.startsWith(VIRTUAL_PREFIX)) {
      if (!localDemo) {
        throw new IllegalStateException("The counter's pad is virtual (" + padId + "): a recorded signature would seal real"
            + " forms. A virtual pad is allowed only with optout.consent.counter.local-demo-virtual-pad=true"
            + " (OPTOUT_CONSENT_COUNTER_LOCALDEMOVIRTUALPAD), which ./optout up sets for the local demo");
      }
      StuPads.virtualPads().stream().filter(found -> found.id().equals(padId)).findFirst().orElseThrow(() ->
          new IllegalStateException("The counter's virtual pad " + padId + " is not a model the driver emulates: "
              + StuPads.virtualPads().stream().map(StuPads.FoundPad::id).toList()));
      return new PadStation(padId, timeout);
    }
    List<String> attached;
    try {
      attached = attachedPads.attachedIds();
    } catch (PadException e) {
      throw new IllegalStateException("Cannot find the counter's signature pad " + padId + ": " + e.getMessage(), e);
    }
    if (!attached.contains(padId)) {
      throw new IllegalStateException("The counter's signature pad " + padId + " is not attached"
          + (attached.isEmpty() ? " (no pad is)" : " (attached: " + attached + ")"));
    }
    return new PadStation(padId, timeout);
  }

  /** Which pads are attached now; the driver's USB scan in the service, a fixed list in tests. */
  @FunctionalInterface
  public interface PadDirectory {
    List<String> attachedIds() throws PadException;

    /** The STU pads attached over USB that the driver supports. */
    static PadDirectory usb() {
      return () -> StuPads.attachedPads().stream().filter(found -> found.problem().isEmpty()).map(StuPads.FoundPad::id).toList();
    }
  }

  public boolean virtual() {
    return padId.startsWith(VIRTUAL_PREFIX);
  }

  /** The pad's model: the virtual pad's, or as configured for an attached one. */
  public String model() {
    return virtual() ? padId.substring(VIRTUAL_PREFIX.length()) : padId;
  }

  /**
   * Shows the draft on the pad and waits for the citizen to sign and tap OK (or Cancel), at most the
   * configured timeout; one capture at a time, since there is one pad.
   *
   * @param virtualRecording what the virtual citizen writes (virtual pads only; default signature-a)
   * @throws IllegalArgumentException if a recording is named for a real pad, or an unknown one
   * @throws PadException if the pad cannot be opened or refuses
   */
  public synchronized CaptureResult capture(Draft draft, Optional<String> virtualRecording) throws PadException, InterruptedException {
    if (virtualRecording.isPresent() && !virtual()) {
      throw new IllegalArgumentException("virtualRecording: the counter's pad is a real pad; the citizen signs on it");
    }
    String recording = virtualRecording.orElse("signature-a");
    if (!VIRTUAL_RECORDINGS.contains(recording)) {
      throw new IllegalArgumentException("virtualRecording: must be one of " + VIRTUAL_RECORDINGS);
    }
    try (SignaturePad pad = virtual() ? StuPads.openVirtual(model(), signer(recording)) : StuPads.open(padId)) {
      CaptureSession session = pad.startCapture(CaptureRequest.withPrompt(prompt(draft)), CaptureListener.NONE);
      try {
        return session.await(timeout);
      } catch (TimeoutException noSignature) {
        session.cancel();
        return session.await(Duration.ofSeconds(5));
      }
    } catch (TimeoutException stuck) {
      throw new PadException("The pad did not end the capture after it was cancelled", stuck);
    }
  }

  private static VirtualSigner signer(String recording) {
    if (!recording.equals("too-short")) {
      return VirtualSigner.writing(recording).thenTaps(PadButton.OK);
    }
    SignatureCapture full = VirtualSigner.recording("signature-a");
    // a quick flick: the first dozen samples with the pen down, too few and too short for the gate
    List<PenSample> first = full.samples().stream().filter(sample -> sample.pressure() > 0).limit(12).toList();
    return VirtualSigner.writing(new SignatureCapture(full.device(), full.capabilities(), full.startedAt(), first)).thenTaps(PadButton.OK);
  }

  /** The pad's prompt: title, masked ID and scopes, Chinese over English, black on white. */
  BufferedImage prompt(Draft draft) {
    FormTemplate template = FormTemplate.latest(draft.kind().templateId());
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {template.text("title").zh(), template.text("title").en()});
    lines.add(new String[] {"當事人 " + mask(draft), "Person " + mask(draft)});
    for (String scope : draft.scopes()) {
      lines.add(new String[] {(draft.kind() == FormKind.OPT_OUT ? "停止：" : "恢復：") + template.scope(scope).zh(),
          (draft.kind() == FormKind.OPT_OUT ? "Stop: " : "Allow again: ") + template.scope(scope).en()});
    }
    // The declaration itself does not fit a pad's prompt; it is named by its place on the form and the
    // template's hash, which every page's footer prints, so what the pad showed is checkable on the form.
    String hash = template.sha256().substring(0, 16);
    lines.add(new String[] {"簽名即確認申請書第二節之聲明（範本 " + template.id() + " 第 " + template.version() + " 版，SHA-256 " + hash + "…）",
        "Signing confirms the declaration in section 2 of the form (template " + template.id() + " v" + template.version()
            + ", SHA-256 " + hash + "…)"});
    lines.add(new String[] {"請於下方簽名後按「OK」", "Sign below, then tap OK"});
    BufferedImage image = new BufferedImage(800, 40 * lines.size() + 16, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setColor(Color.BLACK);
      int y = 24;
      for (String[] line : lines) {
        g.setFont(font.deriveFont(Font.PLAIN, 20f));
        g.drawString(line[0], 12, y);
        g.setFont(font.deriveFont(Font.PLAIN, 13f));
        g.drawString(line[1], 12, y + 16);
        y += 40;
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static String mask(Draft draft) {
    return Filing.mask(draft.person());
  }


}
