package optout.consent.form;

import optout.platform.pdf.FormFonts;
import optout.platform.pdf.Typesetter;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceDictionary;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAppearanceStream;
import org.apache.pdfbox.pdmodel.interactive.form.PDAcroForm;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;

/**
 * Renders a filing as its form: an A4 PDF/A-3B document in Traditional Chinese with English, with the
 * citizen's handwritten signature in its box and an unsigned signature field reserved for the agency's
 * seal. What the form shows is what {@link Filing} holds and nothing more; the words around it come
 * from a published, versioned {@link FormTemplate}, whose ID, version and SHA-256 the form records in
 * its metadata and prints in every page's footer.
 *
 * <p>The result is the first revision of the document's life, and the one the biometric envelope is
 * bound to: render → hash ({@link RenderedForm#sha256()}) → seal the biometric record for that hash →
 * attach the envelope as an incremental update ({@link BiometricAttachment}) → PAdES-seal the whole
 * file as a further incremental update. Each step appends and changes nothing before it, so the
 * rendered bytes stay a prefix of the final file and the binding can always be checked.
 *
 * <p>Rendering is deterministic: the same filing, template, signature picture and clock give the same
 * bytes. Instances are safe to share between threads.
 */
public final class FormRenderer {

  private static final Color VIRTUAL_PAD_RED = new Color(0xB0, 0x00, 0x20);

  /** The name of the unsigned signature field reserved for the agency's seal. */
  public static final String SEAL_FIELD_NAME = "AgencySeal";

  static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");
  private static final String CHECKED = "■";
  private static final String UNCHECKED = "□";
  private static final float SIGNATURE_BOX_HEIGHT = 72f;

  private final FormFonts fonts;
  private final Clock clock;

  /**
   * @param clock gives the document's creation time (not the signing time, which the filing holds)
   */
  public FormRenderer(FormFonts fonts, Clock clock) {
    if (fonts == null || clock == null) {
      throw new IllegalArgumentException("Cannot make a form renderer: fonts and clock are required");
    }
    this.fonts = fonts;
    this.clock = clock;
  }

  /** The fonts the form embeds; the seal's visible appearance in the form's seal box uses the Latin one. */
  public FormFonts fonts() {
    return fonts;
  }

  /**
   * The form for {@code filing}, with {@code signature} in its signature box.
   *
   * @throws IllegalArgumentException if the template is not for this kind of filing, or does not offer
   *     a chosen scope, or "all secondary use" is chosen together with other scopes
   */
  public RenderedForm render(Filing filing, FormTemplate template, SignatureImage signature) {
    if (filing == null || template == null || signature == null) {
      throw new IllegalArgumentException("Cannot render the form: the filing, its template and the signature image are required");
    }
    checkTemplate(filing, template);
    Instant created = clock.instant();
    try (PDDocument document = new PDDocument(); FormFonts.Opened opened = fonts.open(document)) {
      PageFlow flow = new PageFlow(document, new Typesetter(opened));
      flow.header(template);
      particulars(flow, filing, template);
      request(flow, filing, template);
      for (Bilingual paragraph : template.section("declaration.common")) {
        flow.bilingual(paragraph, 9.5f, 7.5f, 3f);
      }
      SealField seal = signatureBlock(flow, document, filing, template, signature);
      flow.down(5);
      for (Bilingual paragraph : template.section("notice.privacy")) {
        flow.keep(30);
        flow.paragraph(paragraph.zh(), PageFlow.LEFT, flow.width(), 7.2f, 10f, PageFlow.SECOND_LANGUAGE, true);
        flow.paragraph(paragraph.en(), PageFlow.LEFT, flow.width(), 6.6f, 8.2f, PageFlow.SECOND_LANGUAGE, false);
      }
      List<PDPage> pages = flow.finish();
      flow.footers(footerLine(template), template.text("footer.page"));
      Bilingual title = template.text("title");
      Map<String, String> custom = new LinkedHashMap<>();
      custom.put("templateId", template.id());
      custom.put("templateVersion", Integer.toString(template.version()));
      custom.put("templateSha256", template.sha256());
      custom.put("formKind", filing.kind().templateId());
      custom.put("filingId", filing.filingId());
      PdfA.apply(document, new PdfA.Properties(title.zh() + " " + title.en(), "Filing " + filing.filingId(), custom), created,
          FormTemplate.sha256((filing.filingId() + "\n" + created + "\n" + template.sha256()).getBytes(StandardCharsets.UTF_8)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return new RenderedForm(out.toByteArray(), template, seal, pages.size());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot render the form", e);
    }
  }

  private static void checkTemplate(Filing filing, FormTemplate template) {
    if (!template.id().equals(filing.kind().templateId())) {
      throw new IllegalArgumentException("Cannot render the form: a " + filing.kind().templateId() + " filing needs the "
          + filing.kind().templateId() + " template, not " + template.id());
    }
    Set<String> unknown = new TreeSet<>(filing.scopes());
    unknown.removeAll(template.scopes());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("Cannot render the form: template " + template.id() + " version " + template.version()
          + " offers no scope " + unknown + "; it offers " + template.scopes());
    }
    template.coversAll().ifPresent(all -> {
      if (filing.scopes().contains(all) && filing.scopes().size() > 1) {
        throw new IllegalArgumentException("Cannot render the form: " + all + " already covers every other scope; choose it alone");
      }
    });
  }

  private static void particulars(PageFlow flow, Filing filing, FormTemplate template) {
    flow.heading(template.text("heading.particulars"));
    List<PageFlow.Row> rows = new ArrayList<>();
    rows.add(PageFlow.Row.plain(template.text("label.filing-id"), filing.filingId()));
    rows.add(PageFlow.Row.plain(template.text("label.person"), filing.maskedPersonId()));
    // the representative's masked ID beside their relation: the published templates have no row of its own for it
    rows.add(PageFlow.Row.bilingual(template.text("label.filed-by"), filing.representative()
        .map(r -> withId(template.text("relation." + r.relation().code()), r.maskedId())).orElse(template.text("value.self"))));
    filing.representative().ifPresent(r -> rows.add(PageFlow.Row.plain(template.text("label.evidence"), r.evidenceReference())));
    rows.add(PageFlow.Row.bilingual(template.text("label.channel"), template.text("channel." + filing.channel().code())));
    rows.add(PageFlow.Row.bilingual(template.text("label.signed-at"), signedAt(filing.signedAt())));
    flow.table(rows);
  }

  private static Bilingual withId(Bilingual relation, String maskedId) {
    return new Bilingual(relation.zh() + "：" + maskedId, relation.en() + ": " + maskedId);
  }

  /** The signing time in Taipei: the Republic of China calendar first, as Taiwanese forms date, then ISO. */
  static Bilingual signedAt(Instant instant) {
    ZonedDateTime taipei = instant.atZone(TAIPEI);
    String zh = String.format(Locale.ROOT, "民國%d年%d月%d日 %s", taipei.getYear() - 1911, taipei.getMonthValue(),
        taipei.getDayOfMonth(), taipei.format(DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT)));
    String en = taipei.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)) + " UTC+8";
    return new Bilingual(zh, en);
  }

  private static void request(PageFlow flow, Filing filing, FormTemplate template) {
    flow.heading(template.text("heading.request"));
    String declaration = filing.representative().isPresent() ? "declaration.proxy" : "declaration.self";
    for (Bilingual paragraph : template.section(declaration)) {
      flow.bilingual(paragraph, 9.5f, 7.8f, 3f);
    }
    checklist(flow, filing, template);
    if (template.coversAll().isPresent()) {
      flow.down(3);
      float indent = PageFlow.LEFT + 12;
      for (Bilingual note : template.section("note.covers-all")) {
        flow.paragraph("※ " + note.zh(), indent, PageFlow.RIGHT - indent, 8.5f, 12f, PageFlow.INK, true);
        flow.paragraph(note.en(), indent + 9, PageFlow.RIGHT - indent - 9, 7.5f, 10f, PageFlow.SECOND_LANGUAGE, false);
      }
    }
    flow.down(5);
  }

  /**
   * Every scope the template offers, ticked or not, so the signer sees what they did not choose as
   * well. Two columns when every entry fits in its column, else one entry a line.
   */
  private static void checklist(PageFlow flow, Filing filing, FormTemplate template) {
    Typesetter type = flow.type();
    float indent = PageFlow.LEFT + 12;
    List<String> scopes = template.scopes();
    List<String[]> entries = new ArrayList<>();
    for (String scope : scopes) {
      Bilingual name = template.scope(scope);
      entries.add(new String[] {(filing.scopes().contains(scope) ? CHECKED : UNCHECKED) + " " + name.zh(), name.en()});
    }
    float leftWidth = 0;
    float rightWidth = 0;
    for (int i = 0; i < entries.size(); i++) {
      float width = type.width(entries.get(i)[0], 11f) + 8 + type.width(entries.get(i)[1], 8.5f);
      if (i % 2 == 0) {
        leftWidth = Math.max(leftWidth, width);
      } else {
        rightWidth = Math.max(rightWidth, width);
      }
    }
    float secondColumn = indent + leftWidth + 24;
    int columns = secondColumn + rightWidth <= PageFlow.RIGHT ? 2 : 1;
    for (int i = 0; i < entries.size(); i += columns) {
      flow.keep(16);
      flow.down(16);
      for (int j = i; j < Math.min(i + columns, entries.size()); j++) {
        float x = j == i ? indent : secondColumn;
        String[] entry = entries.get(j);
        type.show(flow.content(), entry[0], x, flow.y() + 4, 11f, PageFlow.INK, false);
        type.show(flow.content(), entry[1], x + type.width(entry[0], 11f) + 8, flow.y() + 4, 8.5f, PageFlow.SECOND_LANGUAGE, false);
      }
    }
  }

  private static SealField signatureBlock(PageFlow flow, PDDocument document, Filing filing, FormTemplate template, SignatureImage signature)
      throws IOException {
    flow.keep(28 + 24 + SIGNATURE_BOX_HEIGHT);
    flow.heading(template.text("heading.signature"));
    Typesetter type = flow.type();
    float gap = 16;
    float signatureWidth = flow.width() * 0.56f;
    float sealX = PageFlow.LEFT + signatureWidth + gap;
    float sealWidth = PageFlow.RIGHT - sealX;
    Bilingual signatureLabel = template.text(filing.representative().isPresent() ? "label.signature.proxy" : "label.signature.self");
    Bilingual sealLabel = template.text("label.seal");
    flow.down(10);
    PDPageContentStream content = flow.content();
    type.show(content, signatureLabel.zh(), PageFlow.LEFT, flow.y(), 9.5f, PageFlow.INK, false);
    type.show(content, signatureLabel.en(), PageFlow.LEFT + type.width(signatureLabel.zh(), 9.5f) + 6, flow.y(), 7.5f, PageFlow.SECOND_LANGUAGE, false);
    type.show(content, sealLabel.zh(), sealX, flow.y(), 9.5f, PageFlow.INK, false);
    type.show(content, sealLabel.en(), sealX, flow.y() - 10, 7.5f, PageFlow.SECOND_LANGUAGE, false);
    flow.down(12);
    float boxTop = flow.y();
    float boxBottom = boxTop - SIGNATURE_BOX_HEIGHT;

    content.setStrokingColor(PageFlow.RULE);
    content.setLineWidth(0.8f);
    content.addRect(PageFlow.LEFT, boxBottom, signatureWidth, SIGNATURE_BOX_HEIGHT);
    content.stroke();
    content.setLineWidth(0.6f);
    content.setLineDashPattern(new float[] {3, 2}, 0);
    content.addRect(sealX, boxBottom, sealWidth, SIGNATURE_BOX_HEIGHT);
    content.stroke();
    content.setLineDashPattern(new float[] {}, 0);

    float padding = 6;
    float innerWidth = signatureWidth - 2 * padding;
    float innerHeight = SIGNATURE_BOX_HEIGHT - 2 * padding;
    PDImageXObject image = LosslessFactory.createFromImage(document, signature.forBox(innerWidth, innerHeight));
    float scale = Math.min(innerWidth / signature.width(), innerHeight / signature.height());
    float drawWidth = signature.width() * scale;
    float drawHeight = signature.height() * scale;
    content.drawImage(image, PageFlow.LEFT + padding + (innerWidth - drawWidth) / 2, boxBottom + padding + (innerHeight - drawHeight) / 2,
        drawWidth, drawHeight);
    if (signature.virtualPad()) {
      float stampSize = 9.5f;
      while (stampSize > 5 && type.width(SignatureImage.VIRTUAL_PAD_STAMP, stampSize) > innerWidth) {
        stampSize -= 0.5f;
      }
      type.show(content, SignatureImage.VIRTUAL_PAD_STAMP, PageFlow.LEFT + padding, boxTop - padding - stampSize, stampSize,
          VIRTUAL_PAD_RED, true);
    }

    SealField seal = new SealField(SEAL_FIELD_NAME, flow.pageIndex(), sealX, boxBottom, sealWidth, SIGNATURE_BOX_HEIGHT);
    reserveSealField(document, flow.page(), seal);
    flow.down(SIGNATURE_BOX_HEIGHT);
    return seal;
  }

  /**
   * An unsigned signature field over the seal's box, printable, with an empty appearance (PDF/A wants
   * every widget to have one); the sealer fills it.
   */
  private static void reserveSealField(PDDocument document, PDPage page, SealField seal) throws IOException {
    PDAcroForm form = new PDAcroForm(document);
    document.getDocumentCatalog().setAcroForm(form);
    PDSignatureField field = new PDSignatureField(form);
    field.setPartialName(seal.name());
    PDAnnotationWidget widget = field.getWidgets().get(0);
    widget.setRectangle(new PDRectangle(seal.x(), seal.y(), seal.width(), seal.height()));
    widget.setPage(page);
    widget.setPrinted(true);
    PDAppearanceStream appearance = new PDAppearanceStream(document);
    appearance.setBBox(new PDRectangle(seal.width(), seal.height()));
    appearance.setResources(new PDResources());
    PDAppearanceDictionary appearances = new PDAppearanceDictionary();
    appearances.setNormalAppearance(appearance);
    widget.setAppearance(appearances);
    page.getAnnotations().add(widget);
    form.getFields().add(field);
  }

  private static String footerLine(FormTemplate template) {
    Bilingual label = template.text("footer.template");
    return label.zh() + " " + label.en() + ": " + template.id() + " v" + template.version() + "  SHA-256 " + template.sha256();
  }
}
