package optout.pad.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import optout.pad.api.Stroke;

/**
 * Draws a capture for the form's signature field, as PNG (transparent background) or SVG. The
 * signature is fitted into the requested size with its proportions kept, and each segment is as wide
 * as the pen pressed: light touches thin, firm ones thick, as ink on paper.
 */
public final class SignatureRenderer {

  /** How the ink looks. Widths are in output pixels. */
  public record Style(float thinnestStroke, float thickestStroke, Color ink, int margin) {

    /** Blue-black ink, 1 to 4 pixels wide, 8 pixels of margin. */
    public static final Style DEFAULT = new Style(1.0f, 4.0f, new Color(0x1B, 0x25, 0x4B), 8);

    public Style {
      if (!(thinnestStroke > 0) || thickestStroke < thinnestStroke || ink == null || margin < 0) {
        throw new IllegalArgumentException("Cannot use the style: widths must be positive and ordered, the margin not negative");
      }
    }
  }

  private static final int MIN_SIZE = 16;
  private static final int MAX_SIZE = 4096;

  private final Style style;

  public SignatureRenderer(Style style) {
    this.style = style;
  }

  public static SignatureRenderer withDefaults() {
    return new SignatureRenderer(Style.DEFAULT);
  }

  public byte[] png(SignatureCapture capture, int width, int height) {
    Layout layout = layout(capture, width, height);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
      g.setColor(style.ink());
      for (Stroke stroke : layout.strokes()) {
        List<PenSample> samples = stroke.samples();
        if (samples.size() == 1) {
          PenSample dot = samples.get(0);
          double radius = layout.width(dot, dot) / 2;
          g.fill(new Ellipse2D.Double(layout.x(dot) - radius, layout.y(dot) - radius, 2 * radius, 2 * radius));
          continue;
        }
        for (int i = 1; i < samples.size(); i++) {
          PenSample from = samples.get(i - 1);
          PenSample to = samples.get(i);
          g.setStroke(new BasicStroke((float) layout.width(from, to), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
          g.draw(new Line2D.Double(layout.x(from), layout.y(from), layout.x(to), layout.y(to)));
        }
      }
    } finally {
      g.dispose();
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return png.toByteArray();
  }

  public String svg(SignatureCapture capture, int width, int height) {
    Layout layout = layout(capture, width, height);
    String ink = String.format(Locale.ROOT, "#%02x%02x%02x", style.ink().getRed(), style.ink().getGreen(), style.ink().getBlue());
    StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n"
            + "<g stroke=\"%s\" fill=\"%s\" stroke-linecap=\"round\">%n", width, height, width, height, ink, ink));
    for (Stroke stroke : layout.strokes()) {
      List<PenSample> samples = stroke.samples();
      if (samples.size() == 1) {
        PenSample dot = samples.get(0);
        svg.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" stroke=\"none\"/>%n",
            layout.x(dot), layout.y(dot), layout.width(dot, dot) / 2));
        continue;
      }
      for (int i = 1; i < samples.size(); i++) {
        PenSample from = samples.get(i - 1);
        PenSample to = samples.get(i);
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke-width=\"%.2f\"/>%n",
            layout.x(from), layout.y(from), layout.x(to), layout.y(to), layout.width(from, to)));
      }
    }
    return svg.append("</g>\n</svg>\n").toString();
  }

  /** Where the signature's bounding box lands in the output, and how wide each pressure draws. */
  private record Layout(List<Stroke> strokes, double scale, double offsetX, double offsetY, int minX, int minY,
      int maxPressure, Style style) {

    double x(PenSample sample) {
      return offsetX + (sample.x() - minX) * scale;
    }

    double y(PenSample sample) {
      return offsetY + (sample.y() - minY) * scale;
    }

    double width(PenSample from, PenSample to) {
      double pressure = (from.pressure() + to.pressure()) / 2.0 / maxPressure;
      return style.thinnestStroke() + (style.thickestStroke() - style.thinnestStroke()) * pressure;
    }
  }

  private Layout layout(SignatureCapture capture, int width, int height) {
    if (width < MIN_SIZE || height < MIN_SIZE || width > MAX_SIZE || height > MAX_SIZE) {
      throw new IllegalArgumentException("Cannot render at " + width + "x" + height + ": each side must be "
          + MIN_SIZE + " to " + MAX_SIZE + " pixels");
    }
    List<Stroke> strokes = capture.strokes();
    if (strokes.isEmpty()) {
      throw new IllegalArgumentException("Cannot render the capture: the pen never touched the pad");
    }
    int minX = Integer.MAX_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxX = Integer.MIN_VALUE;
    int maxY = Integer.MIN_VALUE;
    for (Stroke stroke : strokes) {
      for (PenSample sample : stroke.samples()) {
        minX = Math.min(minX, sample.x());
        minY = Math.min(minY, sample.y());
        maxX = Math.max(maxX, sample.x());
        maxY = Math.max(maxY, sample.y());
      }
    }
    double inset = style.margin() + style.thickestStroke() / 2;
    double availableWidth = width - 2 * inset;
    double availableHeight = height - 2 * inset;
    if (availableWidth <= 0 || availableHeight <= 0) {
      throw new IllegalArgumentException("Cannot render at " + width + "x" + height + ": the margin leaves no room");
    }
    double spanX = Math.max(1, maxX - minX);
    double spanY = Math.max(1, maxY - minY);
    double scale = Math.min(availableWidth / spanX, availableHeight / spanY);
    double offsetX = inset + (availableWidth - (maxX - minX) * scale) / 2;
    double offsetY = inset + (availableHeight - (maxY - minY) * scale) / 2;
    return new Layout(strokes, scale, offsetX, offsetY, minX, minY, capture.capabilities().maxPressure(), style);
  }
}
