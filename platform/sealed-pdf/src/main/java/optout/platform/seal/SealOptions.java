package optout.platform.seal;

import java.nio.file.Path;

/**
 * Where and how the seal goes into the form.
 *
 * <p>The seal lives in the signature field {@link #fieldName()}. If the form already has an unsigned
 * signature field of that name (the form reserves one, {@value #DEFAULT_FIELD}), the seal fills it and
 * keeps its widget's rectangle; {@link #placement()} is then ignored. Otherwise a new field of that name
 * is made: with a framed widget at {@link #placement()} if given, invisible if not.
 *
 * <p>Text in the widget (who sealed, when) is drawn only with {@link #appearanceFont()}, a TrueType font
 * that is embedded as a subset: the forms are PDF/A-3, which allows no font that is not embedded, so
 * the sealer never falls back to an unembedded standard font. Without it a reserved field keeps the
 * form's own appearance.
 *
 * @param fieldName the signature field's name
 * @param placement where a new field shows the seal, or {@code null} for an invisible signature
 * @param appearanceFont a TrueType ({@code .ttf}) font for the widget's text, or {@code null} for none
 * @param reason the signature dictionary's /Reason, or {@code null}
 * @param location the signature dictionary's /Location, or {@code null}
 */
public record SealOptions(String fieldName, Placement placement, Path appearanceFont, String reason, String location) {

  /** The field name the form and the sealer agree on unless told otherwise. */
  public static final String DEFAULT_FIELD = "AgencySeal";

  public SealOptions {
    if (fieldName == null || fieldName.isBlank() || fieldName.contains(".")) {
      throw new IllegalArgumentException("Cannot seal into field '" + fieldName + "': a field name is non-blank and has no dot");
    }
  }

  /** An invisible seal in the field {@value #DEFAULT_FIELD} (or the form's reserved field of that name). */
  public static SealOptions defaults() {
    return new SealOptions(DEFAULT_FIELD, null, null, null, null);
  }

  public SealOptions withFieldName(String name) {
    return new SealOptions(name, placement, appearanceFont, reason, location);
  }

  public SealOptions withPlacement(Placement where) {
    return new SealOptions(fieldName, where, appearanceFont, reason, location);
  }

  public SealOptions withAppearanceFont(Path font) {
    return new SealOptions(fieldName, placement, font, reason, location);
  }

  public SealOptions withReason(String text) {
    return new SealOptions(fieldName, placement, appearanceFont, text, location);
  }

  public SealOptions withLocation(String text) {
    return new SealOptions(fieldName, placement, appearanceFont, reason, text);
  }

  /**
   * A rectangle on a page, in PDF points (1/72 inch) from the page's lower left corner.
   *
   * @param pageIndex 0-based page number
   */
  public record Placement(int pageIndex, float x, float y, float width, float height) {

    public Placement {
      if (pageIndex < 0 || width <= 0 || height <= 0) {
        throw new IllegalArgumentException("Cannot place the seal: it needs a page index from 0 and a positive width and height");
      }
    }
  }
}
