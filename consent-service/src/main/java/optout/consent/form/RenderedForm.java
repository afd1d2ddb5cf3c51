package optout.consent.form;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A form as rendered and signed by hand, before anything else is added: the bytes that the biometric
 * envelope is bound to (its SHA-256 is the envelope's document digest), and that stay the first
 * revision of the final, sealed PDF.
 *
 * @param template the template whose text the form carries
 * @param sealField where the agency's seal goes
 * @param pages how many pages the form has
 */
public record RenderedForm(byte[] pdf, FormTemplate template, SealField sealField, int pages) {

  public RenderedForm {
    if (pdf == null || pdf.length == 0 || template == null || sealField == null || pages < 1) {
      throw new IllegalArgumentException("Cannot describe a rendered form: the PDF, its template, seal field and pages are required");
    }
    pdf = pdf.clone();
  }

  /** The PDF's bytes (a copy). */
  @Override
  public byte[] pdf() {
    return pdf.clone();
  }

  /** SHA-256 of {@link #pdf()}: what the biometric envelope is sealed for. */
  public byte[] sha256() {
    return FormTemplate.sha256(pdf);
  }

  public String sha256Hex() {
    return HexFormat.of().formatHex(sha256());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RenderedForm form && Arrays.equals(pdf, form.pdf) && template.sha256().equals(form.template.sha256());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pdf);
  }

  @Override
  public String toString() {
    return "RenderedForm[" + template + ", " + pdf.length + " bytes, sha256 " + sha256Hex() + "]";
  }
}
