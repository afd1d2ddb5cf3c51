package optout.pad.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import optout.pad.SyntheticSignatures;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

class SignatureRendererTest {

  private final SignatureRenderer renderer = SignatureRenderer.withDefaults();

  private static BufferedImage decode(byte[] png) throws Exception {
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  private static int inkPixels(BufferedImage image) {
    int ink = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        ink += (image.getRGB(x, y) >>> 24) > 32 ? 1 : 0;
      }
    }
    return ink;
  }

  @Test
  void drawsTheSignatureInsideTheRequestedSizeOnATransparentBackground() throws Exception {
    BufferedImage image = decode(renderer.png(SyntheticSignatures.handwriting(0.7), 600, 200));
    assertThat(image.getWidth()).isEqualTo(600);
    assertThat(image.getHeight()).isEqualTo(200);
    assertThat(image.getRGB(0, 0) >>> 24).as("transparent corner").isZero();
    assertThat(inkPixels(image)).isGreaterThan(1500);
    for (int y = 0; y < 200; y++) {
      for (int x = 0; x < 600; x++) {
        if (x < 6 || y < 6 || x >= 594 || y >= 194) {
          assertThat(image.getRGB(x, y) >>> 24).as("margin at %d,%d", x, y).isZero();
        }
      }
    }
  }

  @Test
  void firmerPressureDrawsThickerInk() throws Exception {
    int light = inkPixels(decode(renderer.png(SyntheticSignatures.handwriting(0.1), 600, 200)));
    int firm = inkPixels(decode(renderer.png(SyntheticSignatures.handwriting(1.0), 600, 200)));
    assertThat(firm).isGreaterThan(light * 3 / 2);
  }

  @Test
  void keepsTheProportionsOfTheSignature() throws Exception {
    BufferedImage wide = decode(renderer.png(SyntheticSignatures.handwriting(0.7), 900, 900));
    int top = wide.getHeight();
    int bottom = 0;
    for (int y = 0; y < wide.getHeight(); y++) {
      for (int x = 0; x < wide.getWidth(); x++) {
        if ((wide.getRGB(x, y) >>> 24) > 32) {
          top = Math.min(top, y);
          bottom = Math.max(bottom, y);
        }
      }
    }
    // The signature is about 2.5 times wider than high: in a square it fills the width, not the height.
    assertThat(bottom - top).isBetween(250, 450);
  }

  @Test
  void svgIsWellFormedWithOneLinePerSegment() throws Exception {
    SignatureCapture capture = SyntheticSignatures.handwriting(0.7);
    String svg = renderer.svg(capture, 600, 200);
    Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertThat(document.getDocumentElement().getAttribute("width")).isEqualTo("600");
    int segments = capture.strokes().stream().mapToInt(s -> s.samples().size() - 1).sum();
    assertThat(document.getElementsByTagName("line").getLength()).isEqualTo(segments);
    assertThat(svg).doesNotContain("NaN").doesNotContain("Infinity");
  }

  @Test
  void aSingleTouchIsADot() throws Exception {
    SignatureCapture dot = SyntheticSignatures.of(List.of(new PenSample(500, 500, 1023, 0, true, true, 0)));
    assertThat(renderer.svg(dot, 100, 100)).contains("<circle");
    assertThat(inkPixels(decode(renderer.png(dot, 100, 100)))).isBetween(4, 40);
  }

  @Test
  void refusesNothingToDrawAndUnreasonableSizes() {
    SignatureCapture hovering = SyntheticSignatures.of(List.of(new PenSample(500, 500, 0, 0, false, true, 0)));
    assertThatThrownBy(() -> renderer.png(hovering, 100, 100)).hasMessage("Cannot render the capture: the pen never touched the pad");
    SignatureCapture capture = SyntheticSignatures.handwriting(0.7);
    assertThatThrownBy(() -> renderer.png(capture, 15, 100)).hasMessage("Cannot render at 15x100: each side must be 16 to 4096 pixels");
    assertThatThrownBy(() -> renderer.svg(capture, 100, 5000)).hasMessage("Cannot render at 100x5000: each side must be 16 to 4096 pixels");
    assertThatThrownBy(() -> new SignatureRenderer(new SignatureRenderer.Style(20, 30, java.awt.Color.BLACK, 8)).png(capture, 16, 16))
        .hasMessage("Cannot render at 16x16: the margin leaves no room");
  }
}
