package optout.platform.seal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

/** Small PDFs made for the tests, standing in for the form package's opt-out forms. */
final class TestForms {

  private TestForms() {}

  /** A one-page form with some text, and no fields. */
  static byte[] plain() throws IOException {
    return build(false);
  }

  /** The same form with an unsigned signature field {@code AgencySeal} reserved at the bottom right with an empty appearance, as the form package reserves it. */
  static byte[] withReservedField() throws IOException {
    return build(true);
  }

  static final PDRectangle RESERVED = new PDRectangle(380, 60, 180, 60);

  private static byte[] build(boolean reserve) throws IOException {
    try (PDDocument document = new PDDocument()) {
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.beginText();
        content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD), 16);
        content.newLineAtOffset(60, 760);
        content.showText("Opt-out of secondary use of NHI data (test form)");
        content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 11);
        content.newLineAtOffset(0, -30);
        content.showText("Filing 2026-000123, scopes: academic research, commercial use.");
        content.endText();
      }
      if (reserve) {
        PDAcroForm form = new PDAcroForm(document);
        document.getDocumentCatalog().setAcroForm(form);
        PDSignatureField field = new PDSignatureField(form);
        field.setPartialName(SealOptions.DEFAULT_FIELD);
        PDAnnotationWidget widget = field.getWidgets().get(0);
        widget.setRectangle(RESERVED);
        widget.setPage(page);
        widget.setPrinted(true);
        PDAppearanceStream empty = new PDAppearanceStream(document);
        empty.setBBox(new PDRectangle(RESERVED.getWidth(), RESERVED.getHeight()));
        PDAppearanceDictionary appearance = new PDAppearanceDictionary();
        appearance.setNormalAppearance(empty);
        widget.setAppearance(appearance);
        page.getAnnotations().add(widget);
        form.getFields().add(field);
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      document.save(bytes);
      return bytes.toByteArray();
    }
  }
}
