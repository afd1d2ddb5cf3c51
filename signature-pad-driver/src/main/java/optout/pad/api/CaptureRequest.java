package optout.pad.api;

import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * What the signing screen shows above the signing box: typically the form (or its last lines) rendered
 * by the application, whose text the pad cannot lay out itself. Without a prompt the whole screen above
 * the buttons is the signing box.
 */
public final class CaptureRequest {

  private final BufferedImage prompt;

  private CaptureRequest(BufferedImage prompt) {
    this.prompt = prompt;
  }

  /** A signing box and the buttons, nothing else. */
  public static CaptureRequest signatureOnly() {
    return new CaptureRequest(null);
  }

  /** The image above the signing box, scaled to fit its area with its proportions kept. */
  public static CaptureRequest withPrompt(BufferedImage prompt) {
    if (prompt == null || prompt.getWidth() <= 0 || prompt.getHeight() <= 0) {
      throw new IllegalArgumentException("Cannot show a prompt: the image is missing or empty");
    }
    return new CaptureRequest(prompt);
  }

  public Optional<BufferedImage> prompt() {
    return Optional.ofNullable(prompt);
  }
}
