package optout.consent.form;

import optout.platform.pdf.FormFonts;
import optout.platform.pdf.Typesetter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPageContentStream;

/**
 * Renders a citizen's receipt: one A4 page (PDF/A-3B) with the filing's ID, kind, scopes and signing
 * time, the verification code, and a QR code of {@code <base>/verify/<code>}. It carries no national
 * ID: whoever holds the receipt can check at the public endpoint that the filing exists and is
 * unaltered, and learns nothing else. The text comes from the published {@code receipt} template,
 * recorded like a form's. Instances are safe to share between threads.
 */
public final class ReceiptRenderer {

  private static final float QR_SIDE = 132f;

  private final FormFonts fonts;
  private final Clock clock;

  public ReceiptRenderer(FormFonts fonts, Clock clock) {
    if (fonts == null || clock == null) {
      throw new IllegalArgumentException("Cannot make a receipt renderer: fonts and clock are required");
    }
    this.fonts = fonts;
    this.clock = clock;
  }

  /**
   * The receipt's PDF.
   *
   * @throws IllegalArgumentException if the template is not a receipt template or lacks a scope
   */
  public byte[] render(Receipt receipt, FormTemplate template) {
    if (receipt == null || template == null) {
      throw new IllegalArgumentException("Cannot render the receipt: the receipt and its template are required");
    }
    if (!FormTemplate.RECEIPT_ID.equals(template.id())) {
      throw new IllegalArgumentException("Cannot render the receipt: it needs the receipt template, not " + template.id());
    }
    Set<String> unknown = new TreeSet<>(receipt.scopes());
    unknown.removeAll(template.scopes());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Cannot render the receipt: template receipt version " + template.version() + " offers no scope "
          + unknown + "; it offers " + template.scopes());
    }
    Instant created = clock.instant();
    try (PDDocument document = new PDDocument(); FormFonts.Opened opened = fonts.open(document)) {
      Typesetter type = new Typesetter(opened);
      PageFlow flow = new PageFlow(document, type);
      flow.header(template);
      flow.down(16);
      List<PageFlow.Row> rows = new ArrayList<>();
      rows.add(PageFlow.Row.plain(template.text("label.filing-id"), receipt.filingId()));
      rows.add(PageFlow.Row.bilingual(template.text("label.filing-type"), template.text("kind." + receipt.kind().templateId())));
      rows.add(PageFlow.Row.bilingual(template.text("label.scopes"), scopes(receipt, template)));
      rows.add(PageFlow.Row.bilingual(template.text("label.signed-at"), FormRenderer.signedAt(receipt.signedAt())));
      flow.table(rows);

      flow.down(22);
      String url = receipt.verificationUrl().toString();
      float top = flow.y();
      PDPageContentStream content = flow.content();
      QrCode.of(url).draw(content, PageFlow.LEFT, top - QR_SIDE, QR_SIDE);
      float textX = PageFlow.LEFT + QR_SIDE + 18;
      float textWidth = PageFlow.RIGHT - textX;
      Bilingual codeLabel = template.text("label.code");
      float y = top - 14;
      type.show(content, codeLabel.zh(), textX, y, 10.5f, PageFlow.INK, false);
      type.show(content, codeLabel.en(), textX + type.width(codeLabel.zh(), 10.5f) + 8, y, 8.5f, PageFlow.SECOND_LANGUAGE, false);
      y -= 26;
      type.show(content, receipt.code().grouped(), textX, y, 19f, PageFlow.INK, true);
      y -= 20;
      for (String line : type.wrap(url, 9f, textWidth)) {
        type.show(content, line, textX, y, 9f, PageFlow.INK, false);
        y -= 12;
      }
      flow.down(QR_SIDE + 14);
      for (Bilingual paragraph : template.section("explanation.verify")) {
        flow.bilingual(paragraph, 10f, 8.5f, 6f);
      }
      for (Bilingual paragraph : template.section("explanation.keep")) {
        flow.bilingual(paragraph, 10f, 8.5f, 6f);
      }
      flow.finish();
      Bilingual label = template.text("footer.template");
      flow.footers(label.zh() + " " + label.en() + ": " + template.id() + " v" + template.version() + "  SHA-256 " + template.sha256(),
          template.text("footer.page"));
      Bilingual title = template.text("title");
      Map<String, String> custom = new LinkedHashMap<>();
      custom.put("templateId", template.id());
      custom.put("templateVersion", Integer.toString(template.version()));
      custom.put("templateSha256", template.sha256());
      custom.put("formKind", "receipt");
      custom.put("filingId", receipt.filingId());
      PdfA.apply(document, new PdfA.Properties(title.zh() + " " + title.en(), "Receipt for filing " + receipt.filingId(), custom), created,
          FormTemplate.sha256(("receipt\n" + receipt.filingId() + "\n" + created).getBytes(StandardCharsets.UTF_8)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render the receipt", e);
    }
  }

  /** The chosen scopes, in the template's order: one Chinese and one English list. */
  private static Bilingual scopes(Receipt receipt, FormTemplate template) {
    List<String> zh = new ArrayList<>();
    List<String> en = new ArrayList<>();
    for (String scope : template.scopes()) {
      if (receipt.scopes().contains(scope)) {
        zh.add(template.scope(scope).zh());
        en.add(template.scope(scope).en());
      }
    }
    return new Bilingual(String.join("、", zh), String.join("; ", en));
  }
}
