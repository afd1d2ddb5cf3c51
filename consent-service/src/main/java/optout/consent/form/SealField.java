package optout.consent.form;

/**
 * Where the agency's seal goes: an unsigned signature field that the form reserves for the PAdES seal
 * ({@code optout.platform.seal}), with an empty, framed area on the page under its widget. The sealer
 * signs this field by name (setting the field's value to its signature dictionary), and may give the
 * widget a visible appearance that fits the rectangle; the form draws nothing inside it.
 *
 * @param name the field's fully qualified name in the AcroForm
 * @param pageIndex the page of the widget, from 0
 * @param x lower-left corner, in PDF points from the page's lower-left corner
 * @param y lower-left corner, in PDF points
 * @param width in points
 * @param height in points
 */
public record SealField(String name, int pageIndex, float x, float y, float width, float height) {

  public SealField {
    if (name == null || name.isBlank() || pageIndex < 0 || !(width > 0) || !(height > 0)) {
      throw new IllegalArgumentException("Cannot describe the seal field: it needs a name, a page and a positive size");
    }
  }
}
