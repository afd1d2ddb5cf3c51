package optout.platform.pdf;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;

/**
 * Sets mixed Chinese and English text: picks the font for each character, measures, breaks lines and
 * draws them. Chinese breaks between any two characters except where the rules for CJK punctuation
 * forbid (no closing mark at the start of a line, no opening mark at its end); English breaks at
 * spaces. Bold is drawn by stroking the outline as well as filling it, since AR PL UMing has no bold
 * face; text extraction is unaffected.
 */
public final class Typesetter {

  /** Marks that must not start a line: they hold on to the character before them. */
  private static final String NO_LINE_START = "，。、；：！？）」』》〉】〕…—,.;:!?)]}%";
  /** Marks that must not end a line: they hold on to the character after them. */
  private static final String NO_LINE_END = "（「『《〈【〔([{";
  /** Extra character spacing beyond which a justified line would look gappy: left ragged instead. */
  private static final float MAX_JUSTIFY_PER_GAP = 0.2f;

  private final FormFonts.Opened fonts;
  private final Map<Integer, Float> advances = new HashMap<>();

  public Typesetter(FormFonts.Opened fonts) {
    this.fonts = fonts;
  }

  /** A run of characters set in one font. */
  public record Run(String text, PDType0Font font) {}

  /** The runs of {@code text}: Latin characters in the Latin font, the rest in the CJK font. */
  public List<Run> runs(String text) {
    List<Run> runs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    PDType0Font currentFont = null;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      i += Character.charCount(codePoint);
      PDType0Font font = fontFor(codePoint);
      if (currentFont != null && font != currentFont) {
        runs.add(new Run(current.toString(), currentFont));
        current.setLength(0);
      }
      currentFont = font;
      current.appendCodePoint(codePoint);
    }
    if (current.length() > 0) {
      runs.add(new Run(current.toString(), currentFont));
    }
    return runs;
  }

  private PDType0Font fontFor(int codePoint) {
    try {
      if (codePoint < 0x2000 && fonts.latinHas(codePoint)) {
        return fonts.latin();
      }
      if (fonts.cjkHas(codePoint)) {
        return fonts.cjk();
      }
      if (fonts.latinHas(codePoint)) {
        return fonts.latin();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the form's fonts", e);
    }
    throw new IllegalArgumentException(String.format("Cannot set the text: neither form font has a glyph for U+%04X", codePoint));
  }

  /**
   * {@code text} as the fonts can set it: control characters become spaces, and each character neither font draws
   * becomes U+FFFD (a visible mark that something was there; "?" where the fonts lack that too). For text that comes from
   * elsewhere (a project's title, an institution's name), which must not stop a document from being made.
   */
  public String drawable(String text) {
    StringBuilder drawn = new StringBuilder(text.length());
    text.codePoints().forEach(codePoint -> {
      if (Character.isISOControl(codePoint)) {
        drawn.append(' ');
      } else if (draws(codePoint)) {
        drawn.appendCodePoint(codePoint);
      } else {
        drawn.append(draws(0xFFFD) ? '\uFFFD' : '?');
      }
    });
    return drawn.toString();
  }

  private boolean draws(int codePoint) {
    try {
      return fonts.cjkHas(codePoint) || fonts.latinHas(codePoint);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read the form's fonts", e);
    }
  }

  /** Width of {@code text} at {@code size} points (no kerning is applied, so widths simply add up). */
  public float width(String text, float size) {
    float units = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      i += Character.charCount(codePoint);
      units += advance(codePoint);
    }
    return units / 1000f * size;
  }

  /** The advance of one character in its font, in thousandths of the font size; remembered per document. */
  private float advance(int codePoint) {
    Float known = advances.get(codePoint);
    if (known != null) {
      return known;
    }
    try {
      float advance = fontFor(codePoint).getStringWidth(new String(Character.toChars(codePoint)));
      advances.put(codePoint, advance);
      return advance;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot measure text", e);
    }
  }

  /** {@code text} broken into lines no wider than {@code maxWidth}. */
  public List<String> wrap(String text, float size, float maxWidth) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    float lineWidth = 0;
    float spaceWidth = width(" ", size);
    boolean pendingSpace = false;
    for (String unit : units(text)) {
      if (unit.equals(" ")) {
        pendingSpace = line.length() > 0;
        continue;
      }
      float unitWidth = width(unit, size);
      float added = (pendingSpace ? spaceWidth : 0) + unitWidth;
      if (lineWidth + added <= maxWidth) {
        if (pendingSpace) {
          line.append(' ');
        }
        line.append(unit);
        lineWidth += added;
      } else {
        if (line.length() > 0) {
          lines.add(line.toString());
          line.setLength(0);
          lineWidth = 0;
        }
        for (String piece : breakLongUnit(unit, size, maxWidth)) {
          if (line.length() > 0) {
            lines.add(line.toString());
            line.setLength(0);
          }
          line.append(piece);
          lineWidth = width(piece, size);
        }
      }
      pendingSpace = false;
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }

  /** Splits a word wider than the line (a long ID, say) wherever it must. */
  private List<String> breakLongUnit(String unit, float size, float maxWidth) {
    List<String> pieces = new ArrayList<>();
    StringBuilder piece = new StringBuilder();
    for (int i = 0; i < unit.length(); ) {
      int codePoint = unit.codePointAt(i);
      i += Character.charCount(codePoint);
      String candidate = piece + new String(Character.toChars(codePoint));
      if (piece.length() > 0 && width(candidate, size) > maxWidth) {
        pieces.add(piece.toString());
        piece.setLength(0);
      }
      piece.appendCodePoint(codePoint);
    }
    pieces.add(piece.toString());
    return pieces;
  }

  /**
   * The unbreakable units of {@code text}: each CJK character, each Latin word and each space, with
   * closing marks glued to what precedes them and opening marks to what follows.
   */
  public static List<String> units(String text) {
    List<String> raw = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      i += Character.charCount(codePoint);
      if (codePoint == ' ') {
        flush(word, raw);
        raw.add(" ");
      } else if (isWide(codePoint)) {
        flush(word, raw);
        raw.add(new String(Character.toChars(codePoint)));
      } else {
        word.appendCodePoint(codePoint);
      }
    }
    flush(word, raw);
    List<String> units = new ArrayList<>();
    boolean glueNext = false;
    for (String unit : raw) {
      boolean closing = NO_LINE_START.indexOf(unit.codePointAt(0)) >= 0;
      if (!unit.equals(" ") && (glueNext || closing) && !units.isEmpty() && !units.get(units.size() - 1).equals(" ")) {
        units.set(units.size() - 1, units.get(units.size() - 1) + unit);
      } else {
        units.add(unit);
      }
      glueNext = !unit.equals(" ") && NO_LINE_END.indexOf(unit.codePointBefore(unit.length())) >= 0;
    }
    return units;
  }

  private static void flush(StringBuilder word, List<String> units) {
    if (word.length() > 0) {
      units.add(word.toString());
      word.setLength(0);
    }
  }

  /** CJK ideographs, kana, CJK and full-width punctuation: each may stand alone on a line break. */
  private static boolean isWide(int codePoint) {
    Character.UnicodeScript script = Character.UnicodeScript.of(codePoint);
    return script == Character.UnicodeScript.HAN || script == Character.UnicodeScript.HIRAGANA
        || script == Character.UnicodeScript.KATAKANA || script == Character.UnicodeScript.BOPOMOFO
        || (codePoint >= 0x3000 && codePoint <= 0x303F) || (codePoint >= 0xFF00 && codePoint <= 0xFFEF)
        || (codePoint >= 0x25A0 && codePoint <= 0x25FF);
  }

  /** Draws one line with its baseline at {@code (x, y)}. */
  public void show(PDPageContentStream content, String text, float x, float y, float size, Color color, boolean bold) {
    show(content, text, x, y, size, color, bold, 0);
  }

  /**
   * Draws one line stretched to {@code justifyTo} points by spacing the characters, when that needs
   * little enough extra space to look even; otherwise as it is.
   */
  public void showJustified(PDPageContentStream content, String text, float x, float y, float size, Color color, float justifyTo) {
    int gaps = text.codePointCount(0, text.length()) - 1;
    float slack = justifyTo - width(text, size);
    float spacing = gaps > 0 && slack > 0 && slack / gaps <= MAX_JUSTIFY_PER_GAP * size ? slack / gaps : 0;
    show(content, text, x, y, size, color, false, spacing);
  }

  private void show(PDPageContentStream content, String text, float x, float y, float size, Color color, boolean bold, float spacing) {
    try {
      content.beginText();
      content.setNonStrokingColor(color);
      if (bold) {
        content.setStrokingColor(color);
        content.setLineWidth(size * 0.035f);
        content.setRenderingMode(RenderingMode.FILL_STROKE);
      }
      if (spacing != 0) {
        content.setCharacterSpacing(spacing);
      }
      content.newLineAtOffset(x, y);
      for (Run run : runs(text)) {
        content.setFont(run.font(), size);
        content.showText(run.text());
      }
      if (spacing != 0) {
        content.setCharacterSpacing(0);
      }
      if (bold) {
        content.setRenderingMode(RenderingMode.FILL);
      }
      content.endText();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot draw text", e);
    }
  }
}
