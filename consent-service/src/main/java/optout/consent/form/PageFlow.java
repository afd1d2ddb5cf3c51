package optout.consent.form;

import optout.platform.pdf.Typesetter;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDPageContentStream.AppendMode;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * A4 pages filled from the top: keeps the cursor, starts a new page when a block would not fit, and
 * draws the footers once the number of pages is known.
 */
final class PageFlow {

  static final Color INK = Color.BLACK;
  static final Color SECOND_LANGUAGE = new Color(0x40, 0x40, 0x40);
  static final Color RULE = new Color(0x70, 0x70, 0x70);
  static final Color SHADE = new Color(0xF0, 0xF0, 0xF0);

  static final float PAGE_WIDTH = PDRectangle.A4.getWidth();
  static final float PAGE_HEIGHT = PDRectangle.A4.getHeight();
  /** 15 mm on either side. */
  static final float LEFT = 42.5f;
  static final float RIGHT = PAGE_WIDTH - 42.5f;
  static final float TOP = PAGE_HEIGHT - 40f;
  /** Content ends here; the footer lives below. */
  static final float BOTTOM = 58f;

  private static final float LABEL_COLUMN = 222f;
  private static final float CELL_GAP = 6f;
  private static final float CELL_PADDING = 3.5f;

  private final PDDocument document;
  private final Typesetter type;
  private final List<PDPage> pages = new ArrayList<>();
  private PDPageContentStream content;
  private float y;

  PageFlow(PDDocument document, Typesetter type) {
    this.document = document;
    this.type = type;
    newPage();
  }

  Typesetter type() {
    return type;
  }

  PDPageContentStream content() {
    return content;
  }

  PDPage page() {
    return pages.get(pages.size() - 1);
  }

  int pageIndex() {
    return pages.size() - 1;
  }

  float y() {
    return y;
  }

  float width() {
    return RIGHT - LEFT;
  }

  void down(float points) {
    y -= points;
  }

  /** Starts a new page unless {@code height} points still fit on this one. */
  void keep(float height) {
    if (y - height < BOTTOM) {
      newPage();
    }
  }

  void newPage() {
    closeContent();
    PDPage page = new PDPage(PDRectangle.A4);
    document.addPage(page);
    pages.add(page);
    try {
      content = new PDPageContentStream(document, page);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot start a page", e);
    }
    y = TOP;
  }

  /**
   * A paragraph at {@code x}, wrapped to {@code width}; with {@code justify} every line but the last is
   * spaced out to the full width (as Chinese is set).
   */
  void paragraph(String text, float x, float width, float size, float leading, Color color, boolean justify) {
    List<String> lines = type.wrap(text, size, width);
    for (int i = 0; i < lines.size(); i++) {
      keep(leading);
      y -= leading;
      if (justify && i < lines.size() - 1) {
        type.showJustified(content, lines.get(i), x, y + (leading - size) / 2, size, color, width);
      } else {
        type.show(content, lines.get(i), x, y + (leading - size) / 2, size, color, false);
      }
    }
  }

  /** A paragraph in Chinese followed by its English, kept together when they fit on one page. */
  void bilingual(Bilingual text, float zhSize, float enSize, float gapAfter) {
    float height = type.wrap(text.zh(), zhSize, width()).size() * zhSize * 1.5f
        + type.wrap(text.en(), enSize, width()).size() * enSize * 1.3f;
    keep(Math.min(height, TOP - BOTTOM));
    paragraph(text.zh(), LEFT, width(), zhSize, zhSize * 1.5f, INK, true);
    down(1f);
    paragraph(text.en(), LEFT, width(), enSize, enSize * 1.3f, SECOND_LANGUAGE, false);
    down(gapAfter);
  }

  /** A numbered section heading: Chinese and English on one line, a rule under it. */
  void heading(Bilingual text) {
    keep(60);
    down(6);
    y -= 12;
    type.show(content, text.zh(), LEFT, y, 12f, INK, true);
    float zhWidth = type.width(text.zh(), 12f);
    type.show(content, text.en(), LEFT + zhWidth + 10, y, 10f, SECOND_LANGUAGE, false);
    y -= 4;
    rule(LEFT, y, RIGHT, 0.6f);
    down(3);
  }

  /** The issuer, the title in both languages and a double rule. */
  void header(FormTemplate template) {
    PDPageContentStream content = content();
    Bilingual issuer = template.text("issuer");
    down(9);
    type.show(content, issuer.zh(), LEFT, y(), 9f, INK, false);
    type.show(content, issuer.en(), LEFT + type.width(issuer.zh(), 9f) + 8, y(), 7.5f, SECOND_LANGUAGE, false);
    Bilingual title = template.text("title");
    down(25);
    centred(title.zh(), 18f, INK, true);
    down(15);
    centred(title.en(), 11.5f, SECOND_LANGUAGE, false);
    down(9);
    rule(LEFT, y(), RIGHT, 1.2f);
    rule(LEFT, y() - 2.2f, RIGHT, 0.4f);
  }

  void centred(String text, float size, Color color, boolean bold) {
    List<String> lines = type().wrap(text, size, width());
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        down(size * 1.3f);
      }
      String line = lines.get(i);
      float x = LEFT + (width() - type().width(line, size)) / 2;
      type().show(content(), line, x, y(), size, color, bold);
    }
  }

  /** One row of a table: a bilingual label and a value that is a code or a bilingual text. */
  record Row(Bilingual label, String plain, Bilingual value) {
    static Row plain(Bilingual label, String value) {
      return new Row(label, value, null);
    }

    static Row bilingual(Bilingual label, Bilingual value) {
      return new Row(label, null, value);
    }
  }

  /** A two-column table, labels shaded on the left; rows move to the next page whole. */
  void table(List<Row> rows) {
    float valueX = LEFT + LABEL_COLUMN;
    float innerLabel = LABEL_COLUMN - 2 * CELL_PADDING;
    float innerValue = width() - LABEL_COLUMN - 2 * CELL_PADDING;
    down(4);
    for (Row row : rows) {
      List<Line> label = cell(row.label().zh(), row.label().en(), 9.5f, 7.5f, innerLabel);
      List<Line> value = row.plain() != null
          ? cell(row.plain(), null, 11f, 0, innerValue)
          : cell(row.value().zh(), row.value().en(), 10.5f, 8.5f, innerValue);
      float labelHeight = height(label);
      float valueHeight = height(value);
      float height = Math.max(labelHeight, valueHeight) + 2 * CELL_PADDING + 3f;
      keep(height);
      float top = y();
      try {
        content.setNonStrokingColor(SHADE);
        content.addRect(LEFT, top - height, LABEL_COLUMN, height);
        content.fill();
        content.setStrokingColor(RULE);
        content.setLineWidth(0.5f);
        content.addRect(LEFT, top - height, width(), height);
        content.moveTo(valueX, top);
        content.lineTo(valueX, top - height);
        content.stroke();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot draw the table", e);
      }
      draw(label, LEFT + CELL_PADDING, top - (height - labelHeight) / 2);
      draw(value, valueX + CELL_PADDING, top - (height - valueHeight) / 2);
      down(height);
    }
  }

  /** Part of a line in one size and colour. */
  private record Segment(String text, float size, Color color) {}

  /** A line of a cell: its segments side by side, and the height it takes. */
  private record Line(List<Segment> segments, float leading) {}

  /**
   * A cell's lines: Chinese and English side by side when both fit on one line, else the Chinese
   * lines and then the English ones.
   */
  private List<Line> cell(String zh, String en, float zhSize, float enSize, float width) {
    List<Line> lines = new ArrayList<>();
    if (en != null && type.width(zh, zhSize) + CELL_GAP + type.width(en, enSize) <= width) {
      lines.add(new Line(List.of(new Segment(zh, zhSize, INK), new Segment(en, enSize, SECOND_LANGUAGE)), zhSize * 1.3f));
      return lines;
    }
    for (String line : type.wrap(zh, zhSize, width)) {
      lines.add(new Line(List.of(new Segment(line, zhSize, INK)), zhSize * 1.22f));
    }
    if (en != null) {
      for (String line : type.wrap(en, enSize, width)) {
        lines.add(new Line(List.of(new Segment(line, enSize, SECOND_LANGUAGE)), enSize * 1.2f));
      }
    }
    return lines;
  }

  private static float height(List<Line> lines) {
    float height = 0;
    for (Line line : lines) {
      height += line.leading();
    }
    return height;
  }

  /** Draws a cell's lines from {@code top} down. */
  private void draw(List<Line> lines, float x, float top) {
    float baseline = top;
    for (Line line : lines) {
      baseline -= line.leading();
      float at = x;
      for (Segment segment : line.segments()) {
        type.show(content, segment.text(), at, baseline + line.leading() * 0.22f, segment.size(), segment.color(), false);
        at += type.width(segment.text(), segment.size()) + CELL_GAP;
      }
    }
  }

  void rule(float x1, float y1, float x2, float width) {
    try {
      content.setStrokingColor(RULE);
      content.setLineWidth(width);
      content.moveTo(x1, y1);
      content.lineTo(x2, y1);
      content.stroke();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot draw a rule", e);
    }
  }

  /** Ends the last page's content; afterwards only {@link #footers} may draw. */
  List<PDPage> finish() {
    closeContent();
    return List.copyOf(pages);
  }

  /** Draws, on each page, the template line on the left and the page number on the right. */
  void footers(String left, Bilingual pageNumber) {
    for (int i = 0; i < pages.size(); i++) {
      try (PDPageContentStream footer = new PDPageContentStream(document, pages.get(i), AppendMode.APPEND, true, true)) {
        float base = 36;
        footer.setStrokingColor(RULE);
        footer.setLineWidth(0.4f);
        footer.moveTo(LEFT, base + 14);
        footer.lineTo(RIGHT, base + 14);
        footer.stroke();
        type.show(footer, left, LEFT, base, 6.8f, SECOND_LANGUAGE, false);
        Bilingual number = pageNumber.with("page", Integer.toString(i + 1)).with("pages", Integer.toString(pages.size()));
        String text = number.zh() + "  " + number.en();
        type.show(footer, text, RIGHT - type.width(text, 7.5f), base, 7.5f, SECOND_LANGUAGE, false);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot draw the footer", e);
      }
    }
  }

  private void closeContent() {
    if (content != null) {
      try {
        content.close();
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot finish a page", e);
      }
      content = null;
    }
  }
}
