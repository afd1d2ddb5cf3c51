package optout.platform.pdf;

import java.awt.Font;
import java.awt.FontFormatException;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * The two fonts of every form and receipt, found at run time from configured paths: a CJK font for the
 * Chinese and a Latin font for the English, digits and codes. Both are embedded as subsets (only the
 * glyphs used, a few tens of kilobytes) with a ToUnicode map, so that text extraction gives the
 * characters back.
 *
 * <p><b>Why these fonts.</b> PDFBox 3 subsets only TrueType ({@code glyf}) outlines. Debian's
 * {@code fonts-noto-cjk} ships CFF-outline OpenType collections: PDFBox 3.0.8 fails to subset them
 * ("OTF fonts do not have a glyf table") and refuses to embed a collection whole ("Full embedding of
 * TrueType font collections not supported"); a whole Noto CJK face would be 16 MB per form anyway.
 * So the default CJK font is AR PL UMing TW from Debian's {@code fonts-arphic-uming} (Arphic Public
 * License, which allows embedding): TrueType outlines, Ming style as Taiwanese official documents use,
 * and the Taiwanese (Ministry of Education) glyph forms. Its Latin letters are monospaced, so English
 * and digits use Liberation Serif from Debian's {@code fonts-liberation} (Times-compatible metrics,
 * free to embed), the usual pairing of a Ming face with a Times-like one. Neither is committed to git:
 * they are 21 MB and 0.4 MB and Debian packages them.
 *
 * <p>The service's configuration supplies the paths (suggested properties {@code
 * optout.consent.form.cjk-font}, {@code optout.consent.form.cjk-font-face} and {@code
 * optout.consent.form.latin-font}, defaulting to {@link #debianDefaults()}); any TrueType-outline font
 * with Traditional Chinese coverage works as the CJK font. A missing, unreadable or CFF-outline font
 * is refused when this object is made, not when a citizen is waiting for a form.
 */
public final class FormFonts {

  /** Debian's {@code fonts-arphic-uming}. */
  public static final Path DEBIAN_CJK_FONT = Path.of("/usr/share/fonts/truetype/arphic/uming.ttc");
  /** The Taiwanese face of that collection (its PostScript name). */
  public static final String DEBIAN_CJK_FACE = "UMingTW";

  /**
   * The form's CJK face (AR PL UMing TW) as an AWT font, for pictures drawn next to the form (the pad's
   * prompt, the virtual pad's stamp), so they show the same characters the form prints.
   *
   * @throws IllegalStateException if the Debian font is not installed
   */
  public static Font awtCjkFont() {
    try {
      Font[] faces = Font.createFonts(DEBIAN_CJK_FONT.toFile());
      for (Font face : faces) {
        if (face.getFontName().replace(" ", "").contains(DEBIAN_CJK_FACE) || face.getFamily().replace(" ", "").contains(DEBIAN_CJK_FACE)) {
          return face;
        }
      }
      return faces[0];
    } catch (IOException | FontFormatException e) {
      throw new IllegalStateException("Cannot load the font " + DEBIAN_CJK_FONT + " (Debian package fonts-arphic-uming)", e);
    }
  }
  /** Debian's {@code fonts-liberation}. */
  public static final Path DEBIAN_LATIN_FONT = Path.of("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf");

  /** Characters every form needs: checked when the fonts are configured. */
  private static final String CJK_PROBE = "全民健康保險資料學術研究申請書簽名驗證碼■□，。（）「」";
  private static final String LATIN_PROBE = "AZaz09*-:/.";

  private final Path cjkFont;
  private final String cjkFace;
  private final Path latinFont;

  private FormFonts(Path cjkFont, String cjkFace, Path latinFont) {
    this.cjkFont = cjkFont;
    this.cjkFace = cjkFace;
    this.latinFont = latinFont;
  }

  /** AR PL UMing TW and Liberation Serif where Debian installs them. */
  public static FormFonts debianDefaults() {
    return of(DEBIAN_CJK_FONT, DEBIAN_CJK_FACE, DEBIAN_LATIN_FONT);
  }

  /**
   * The given fonts, checked now.
   *
   * @param cjkFont a TrueType font ({@code .ttf}) or collection ({@code .ttc}) with TrueType outlines
   * @param cjkFace the face's PostScript name in a collection (e.g. {@code UMingTW}); ignored for a
   *     single font
   * @param latinFont a TrueType font for Latin text
   * @throws IllegalStateException saying which font is unusable and what to install or configure
   */
  public static FormFonts of(Path cjkFont, String cjkFace, Path latinFont) {
    if (cjkFont == null || latinFont == null) {
      throw new IllegalStateException("Cannot configure the form's fonts: both the CJK and the Latin font paths are required");
    }
    FormFonts fonts = new FormFonts(cjkFont, cjkFace, latinFont);
    try (PDDocument probe = new PDDocument(); Opened opened = fonts.open(probe)) {
      opened.requireGlyphs(opened.cjk(), CJK_PROBE, "CJK font " + cjkFont);
      opened.requireGlyphs(opened.latin(), LATIN_PROBE, "Latin font " + latinFont);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot configure the form's fonts: " + e.getMessage(), e);
    }
    return fonts;
  }

  public Path cjkFont() {
    return cjkFont;
  }

  public String cjkFace() {
    return cjkFace;
  }

  public Path latinFont() {
    return latinFont;
  }

  @Override
  public String toString() {
    return "FormFonts[" + cjkFont + (cjkFace == null ? "" : " (" + cjkFace + ")") + ", " + latinFont + "]";
  }

  /**
   * Opens both fonts for one document. Each document gets its own parsed fonts: FontBox's font objects
   * are not safe to share between threads, and opening costs well under a second.
   */
  public Opened open(PDDocument document) {
    List<Closeable> resources = new ArrayList<>();
    try {
      TrueTypeFont cjk = cjkFont(resources);
      TrueTypeFont latin = trueType(latinFont, "Latin", "fonts-liberation");
      resources.add(latin);
      return new Opened(PDType0Font.load(document, cjk, true), cjk, PDType0Font.load(document, latin, true), latin, resources);
    } catch (IOException | RuntimeException e) {
      closeQuietly(resources);
      if (e instanceof IllegalStateException state) {
        throw state;
      }
      throw new IllegalStateException("Cannot load the form's fonts: " + e.getMessage(), e);
    }
  }

  private TrueTypeFont cjkFont(List<Closeable> resources) throws IOException {
    requireFile(cjkFont, "CJK", "fonts-arphic-uming");
    if (!isCollection(cjkFont)) {
      TrueTypeFont font = trueType(cjkFont, "CJK", "fonts-arphic-uming");
      resources.add(font);
      return font;
    }
    TrueTypeCollection collection = new TrueTypeCollection(new File(cjkFont.toString()));
    resources.add(collection);
    TrueTypeFont face = cjkFace == null ? null : collection.getFontByName(cjkFace);
    if (face == null) {
      List<String> names = new ArrayList<>();
      collection.processAllFonts(font -> names.add(font.getName()));
      throw new IllegalStateException("Cannot use the CJK font " + cjkFont + ": it is a collection without the face '" + cjkFace
          + "'; its faces are " + names);
    }
    requireTrueTypeOutlines(face, cjkFont);
    return face;
  }

  private static TrueTypeFont trueType(Path path, String role, String debianPackage) throws IOException {
    requireFile(path, role, debianPackage);
    TrueTypeFont font = new TTFParser().parse(new RandomAccessReadBufferedFile(path.toFile()));
    requireTrueTypeOutlines(font, path);
    return font;
  }

  private static void requireFile(Path path, String role, String debianPackage) {
    if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
      throw new IllegalStateException("Cannot find the form's " + role + " font at " + path + ": install Debian's " + debianPackage
          + " or configure the path of another TrueType-outline font");
    }
  }

  private static void requireTrueTypeOutlines(TrueTypeFont font, Path path) throws IOException {
    if (font instanceof OpenTypeFont otf && otf.isPostScript() || !font.getTableMap().containsKey("glyf")) {
      throw new IllegalStateException("Cannot use the font " + path + " (" + font.getName() + "): its glyphs are CFF outlines, which "
          + "PDFBox cannot embed as a subset; use a TrueType-outline font such as Debian's fonts-arphic-uming");
    }
  }

  private static boolean isCollection(Path path) throws IOException {
    try (var in = Files.newInputStream(path)) {
      byte[] tag = in.readNBytes(4);
      return tag.length == 4 && tag[0] == 't' && tag[1] == 't' && tag[2] == 'c' && tag[3] == 'f';
    }
  }

  private static void closeQuietly(List<Closeable> resources) {
    for (Closeable resource : resources) {
      try {
        resource.close();
      } catch (IOException ignored) {
        // Closing a font file we only read cannot lose anything.
      }
    }
  }

  /** Both fonts, loaded into one document; closed after the document is saved (subsetting reads them). */
  public static final class Opened implements Closeable {
    private final PDType0Font cjk;
    private final TrueTypeFont cjkFont;
    private final PDType0Font latin;
    private final TrueTypeFont latinFont;
    private final List<Closeable> resources;

    private Opened(PDType0Font cjk, TrueTypeFont cjkFont, PDType0Font latin, TrueTypeFont latinFont, List<Closeable> resources) {
      this.cjk = cjk;
      this.cjkFont = cjkFont;
      this.latin = latin;
      this.latinFont = latinFont;
      this.resources = resources;
    }

    public PDType0Font cjk() {
      return cjk;
    }

    public PDType0Font latin() {
      return latin;
    }

    public boolean cjkHas(int codePoint) throws IOException {
      return cjkFont.getUnicodeCmapLookup().getGlyphId(codePoint) > 0;
    }

    public boolean latinHas(int codePoint) throws IOException {
      return latinFont.getUnicodeCmapLookup().getGlyphId(codePoint) > 0;
    }

    public void requireGlyphs(PDType0Font font, String probe, String what) throws IOException {
      boolean cjkFace = font == cjk;
      for (int codePoint : probe.codePoints().toArray()) {
        if (!(cjkFace ? cjkHas(codePoint) : latinHas(codePoint))) {
          throw new IllegalStateException("Cannot use the " + what + ": it has no glyph for " + new String(Character.toChars(codePoint))
              + String.format(" (U+%04X)", codePoint));
        }
      }
    }

    @Override
    public void close() {
      closeQuietly(resources);
    }
  }
}
