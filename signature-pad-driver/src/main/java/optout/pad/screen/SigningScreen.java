package optout.pad.screen;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import optout.pad.api.PadButton;

/**
 * The screen a pad shows while a citizen signs: an optional prompt (the application's image, e.g. the
 * form's last lines), a signing box with a baseline, and three buttons along the bottom.
 *
 * <p>The buttons carry drawn symbols (a tick, a circling arrow, a cross) rather than text: pads render
 * no fonts, and a symbol drawn with lines needs none on the host either, reads at 320 x 200 in black and
 * white, and is understood without reading. The labels in both languages are the application's to show
 * beside the pad.
 */
public final class SigningScreen {

  private final BufferedImage image;
  private final Rectangle signingBox;
  private final Map<PadButton, Rectangle> buttons;

  private SigningScreen(BufferedImage image, Rectangle signingBox, Map<PadButton, Rectangle> buttons) {
    this.image = image;
    this.signingBox = signingBox;
    this.buttons = buttons;
  }

  /** Lays out the screen for a pad's screen size; the prompt is scaled into the top third. */
  public static SigningScreen layout(int width, int height, Optional<BufferedImage> prompt) {
    if (width < 160 || height < 100) {
      throw new IllegalArgumentException("Cannot lay out a signing screen: " + width + " x " + height
          + " pixels is too small (at least 160 x 100)");
    }
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      int margin = Math.max(2, width / 80);
      int buttonHeight = height * 22 / 100;
      int buttonTop = height - buttonHeight - margin;
      int promptHeight = prompt.isPresent() ? height * 30 / 100 : 0;
      prompt.ifPresent(p -> drawFitted(g, p, new Rectangle(margin, margin, width - 2 * margin, promptHeight - margin)));

      Rectangle box = new Rectangle(margin, promptHeight + margin, width - 2 * margin, buttonTop - promptHeight - 2 * margin);
      g.setColor(Color.BLACK);
      g.setStroke(new BasicStroke(Math.max(1, width / 320f)));
      g.drawRect(box.x, box.y, box.width - 1, box.height - 1);
      int baseline = box.y + box.height * 3 / 4;
      int baselineStart = box.x + box.width / 12;
      g.drawLine(baselineStart, baseline, box.x + box.width * 11 / 12, baseline);
      drawCross(g, baselineStart - box.width / 40 - 2, baseline - box.width / 40 - 4, box.width / 40 + 1);

      Map<PadButton, Rectangle> buttons = new EnumMap<>(PadButton.class);
      PadButton[] order = {PadButton.CANCEL, PadButton.CLEAR, PadButton.OK};
      int buttonWidth = (width - (order.length + 1) * margin) / order.length;
      for (int i = 0; i < order.length; i++) {
        Rectangle area = new Rectangle(margin + i * (buttonWidth + margin), buttonTop, buttonWidth, buttonHeight);
        buttons.put(order[i], area);
        drawButton(g, order[i], area);
      }
      return new SigningScreen(image, box, buttons);
    } finally {
      g.dispose();
    }
  }

  /** The image to upload to the pad, at the pad's screen size. */
  public BufferedImage image() {
    return image;
  }

  /** Where the signature goes, in screen pixels. */
  public Rectangle signingBox() {
    return new Rectangle(signingBox);
  }

  /** The button under a screen pixel, if any. */
  public Optional<PadButton> buttonAt(double screenX, double screenY) {
    return buttons.entrySet().stream()
        .filter(e -> e.getValue().contains(screenX, screenY))
        .map(Map.Entry::getKey)
        .findFirst();
  }

  /** A button's area in screen pixels. */
  public Rectangle button(PadButton button) {
    return new Rectangle(buttons.get(button));
  }

  /** Draws an image into an area, scaled to fit with its proportions kept, centred. */
  public static void drawFitted(Graphics2D g, BufferedImage source, Rectangle area) {
    double scale = Math.min(area.width / (double) source.getWidth(), area.height / (double) source.getHeight());
    int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
    int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
    g.drawImage(source, area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h, null);
  }

  private static void drawButton(Graphics2D g, PadButton button, Rectangle area) {
    g.setColor(switch (button) {
      case OK -> new Color(0x1B5E20);
      case CLEAR -> new Color(0x5D4037);
      case CANCEL -> new Color(0xB71C1C);
    });
    float line = Math.max(2f, area.height / 12f);
    g.setStroke(new BasicStroke(Math.max(1f, line / 2)));
    g.drawRoundRect(area.x, area.y, area.width - 1, area.height - 1, area.height / 4, area.height / 4);
    int size = area.height * 6 / 10;
    int cx = area.x + area.width / 2;
    int cy = area.y + area.height / 2;
    g.setStroke(new BasicStroke(line, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    switch (button) {
      case OK -> {
        Path2D tick = new Path2D.Double();
        tick.moveTo(cx - size / 2.0, cy);
        tick.lineTo(cx - size / 8.0, cy + size / 2.5);
        tick.lineTo(cx + size / 2.0, cy - size / 2.5);
        g.draw(tick);
      }
      case CLEAR -> {
        g.drawArc(cx - size / 2, cy - size / 2, size, size, 90, 270);
        Path2D head = new Path2D.Double();
        head.moveTo(cx - size / 5.0, cy - size / 2.0 - size / 6.0);
        head.lineTo(cx, cy - size / 2.0);
        head.lineTo(cx - size / 5.0, cy - size / 2.0 + size / 6.0);
        g.draw(head);
      }
      case CANCEL -> drawCross(g, cx - size / 2, cy - size / 2, size);
    }
  }

  private static void drawCross(Graphics2D g, int x, int y, int size) {
    g.drawLine(x, y, x + size, y + size);
    g.drawLine(x + size, y, x, y + size);
  }
}
