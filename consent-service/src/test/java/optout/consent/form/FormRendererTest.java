package optout.consent.form;

import optout.platform.pdf.FormFonts;
import static optout.consent.form.TestForms.MASKED_ID;
import static optout.consent.form.TestForms.NATIONAL_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationWidget;
import org.apache.pdfbox.pdmodel.interactive.form.PDField;
import org.apache.pdfbox.pdmodel.interactive.form.PDSignatureField;
import org.junit.jupiter.api.Test;

class FormRendererTest {

  private static final FormTemplate OPT_OUT = FormTemplate.load("opt-out", 1);
  private static final FormTemplate WITHDRAWAL = FormTemplate.load("withdrawal", 1);

  @Test
  void anOptOutExtractsAsChineseAndEnglish() {
    RenderedForm form = TestForms.renderer().render(TestForms.optOut(), OPT_OUT, TestForms.signature());
    Path file = TestForms.write("opt-out.pdf", form.pdf());

    String text = Poppler.text(file);
    assertThat(text)
        .contains("全民健康保險資料次級利用停止申請書")
        .contains("Request to Stop the Secondary Use of National Health Insurance Data")
        .contains("衛生福利部中央健康保險署")
        .contains("憲法法庭111年憲判字第13號判決")
        .contains("全民健康保險資料管理條例")
        .contains("Constitutional Court Judgment 111-Hsien-Pan-13 (2022)")
        .contains("F-2026-000042")
        .contains(MASKED_ID)
        .contains("當事人本人")
        .contains("臨櫃申請")
        .contains("民國115年11月25日 14:03:05")
        .contains("2026-11-25 14:03:05 UTC+8")
        .contains("當事人簽名")
        .contains("機關電子印信");
    assertThat(normalised(text))
        .contains("■ 學術研究 Academic research")
        .contains("■ 商業利用 Commercial use")
        .contains("□ 政府統計及政策研擬 Government statistics and policy making")
        .contains("□ 跨機關資料串聯 Linkage with other agencies' data")
        .contains("□ 所有次級利用 All secondary use")
        .doesNotContain("代理權限證明文件參考編號");
    assertThat(form.pages()).isEqualTo(1);
  }

  @Test
  void aProxyFilingNamesTheRelationAndTheEvidenceAndTheRepresentativeSigns() {
    RenderedForm form = TestForms.renderer().render(TestForms.proxyOptOut(), OPT_OUT, TestForms.signature());
    String text = normalised(Poppler.text(TestForms.write("opt-out-proxy.pdf", form.pdf())));

    assertThat(text)
        .contains("法定代理人（未成年人之父母）")
        .contains("Legal representative (parent of a minor)")
        // who the representative is, masked as the person is
        .contains("F******112")
        .doesNotContain("F120047112")
        .contains("代理權限證明文件參考編號")
        .contains("EV-2026-1125-0007")
        .contains("線上申請")
        .contains("代理人簽名")
        .contains("Signature of the representative")
        .contains("代當事人請求")
        .contains("■ 所有次級利用 All secondary use")
        .contains("□ 學術研究 Academic research")
        .doesNotContain("當事人簽名");
  }

  @Test
  void aWithdrawalCarriesTheWithdrawalText() {
    RenderedForm form = TestForms.renderer().render(TestForms.withdrawal(), WITHDRAWAL, TestForms.signature());
    String text = normalised(Poppler.text(TestForms.write("withdrawal.pdf", form.pdf())));

    assertThat(text)
        .contains("撤回全民健康保險資料次級利用停止請求申請書")
        .contains("Withdrawal of a Request to Stop the Secondary Use of National Health Insurance Data")
        .contains("撤回下列勾選範圍之停止利用請求")
        .contains("■ 政府統計及政策研擬 Government statistics and policy making")
        .contains("□ 學術研究 Academic research");
    assertThat(form.template().id()).isEqualTo("withdrawal");
  }

  @Test
  void theFullNationalIdIsNowhereInTheFile() {
    for (Filing filing : List.of(TestForms.optOut(), TestForms.proxyOptOut())) {
      RenderedForm form = TestForms.renderer().render(filing, OPT_OUT, TestForms.signature());
      Path file = TestForms.write("opt-out-privacy.pdf", form.pdf());
      byte[] pdf = form.pdf();
      byte[] id = NATIONAL_ID.getBytes(StandardCharsets.US_ASCII);
      byte[] idUtf16 = NATIONAL_ID.getBytes(StandardCharsets.UTF_16BE);

      assertThat(contains(pdf, id)).as("raw bytes").isFalse();
      assertThat(contains(TestForms.decodedStreams(pdf), id)).as("decoded streams").isFalse();
      assertThat(contains(TestForms.decodedStreams(pdf), idUtf16)).as("decoded streams, UTF-16").isFalse();
      assertThat(Poppler.text(file)).doesNotContain(NATIONAL_ID).doesNotContain("123456");
      assertThat(Poppler.info(file, "-meta")).doesNotContain(NATIONAL_ID);
      assertThat(filing.toString()).doesNotContain(NATIONAL_ID);
    }
  }

  @Test
  void fontsAreEmbeddedAsSubsetsWithUnicodeMaps() {
    RenderedForm form = TestForms.renderer().render(TestForms.optOut(), OPT_OUT, TestForms.signature());
    String fonts = Poppler.fonts(TestForms.write("opt-out-fonts.pdf", form.pdf()));

    List<String> rows = fonts.lines().skip(2).filter(line -> !line.isBlank()).toList();
    assertThat(rows).hasSize(2);
    assertThat(rows).anySatisfy(row -> assertThat(row).matches("[A-Z]{6}\\+UMingTW\\s+CID TrueType\\s+Identity-H\\s+yes yes yes.*"));
    assertThat(rows).anySatisfy(row -> assertThat(row).matches("[A-Z]{6}\\+LiberationSerif\\s+CID TrueType\\s+Identity-H\\s+yes yes yes.*"));
  }

  @Test
  void theFormIsSmall() {
    RenderedForm form = TestForms.renderer().render(TestForms.proxyOptOut(), OPT_OUT, TestForms.signature());

    assertThat(form.pdf().length).isLessThan(300 * 1024);
    // An oversized picture is scaled to the box's 300 dpi, not embedded as delivered.
    SignatureImage large = SignatureImage.of(scaled(TestForms.signaturePng(), 4000, 1333));
    RenderedForm withLarge = TestForms.renderer().render(TestForms.optOut(), OPT_OUT, large);
    assertThat(withLarge.pdf().length).isLessThan(300 * 1024);
  }

  @Test
  void theTemplateIsRecordedInTheMetadataAndTheFooter() {
    RenderedForm form = TestForms.renderer().render(TestForms.optOut(), OPT_OUT, TestForms.signature());
    Path file = TestForms.write("opt-out-metadata.pdf", form.pdf());

    assertThat(Poppler.text(file)).contains("opt-out v1").contains("SHA-256 " + OPT_OUT.sha256());
    assertThat(Poppler.info(file, "-custom"))
        .contains("templateId:      opt-out")
        .contains("templateVersion: 1")
        .contains("templateSha256:  " + OPT_OUT.sha256())
        .contains("filingId:        F-2026-000042");
    assertThat(Poppler.info(file, "-meta"))
        .contains("<pdfaid:part>3</pdfaid:part>")
        .contains("<nhiform:templateSha256>" + OPT_OUT.sha256() + "</nhiform:templateSha256>");
    assertThat(form.template().sha256()).isEqualTo(OPT_OUT.sha256());
  }

  @Test
  void theSealFieldIsReservedUnsignedWhereTheApiSays() throws IOException {
    RenderedForm form = TestForms.renderer().render(TestForms.optOut(), OPT_OUT, TestForms.signature());
    SealField seal = form.sealField();

    try (PDDocument document = Loader.loadPDF(form.pdf())) {
      PDField field = document.getDocumentCatalog().getAcroForm().getField(FormRenderer.SEAL_FIELD_NAME);
      assertThat(field).isInstanceOf(PDSignatureField.class);
      assertThat(((PDSignatureField) field).getSignature()).as("unsigned").isNull();
      PDAnnotationWidget widget = field.getWidgets().get(0);
      assertThat(widget.isPrinted()).isTrue();
      assertThat(widget.getRectangle().getLowerLeftX()).isEqualTo(seal.x());
      assertThat(widget.getRectangle().getLowerLeftY()).isEqualTo(seal.y());
      assertThat(widget.getRectangle().getWidth()).isEqualTo(seal.width(), org.assertj.core.data.Offset.offset(0.01f));
      assertThat(document.getPage(seal.pageIndex()).getAnnotations()).contains(widget);
    }
    assertThat(seal.name()).isEqualTo("AgencySeal");
  }

  @Test
  void renderingIsDeterministic() {
    RenderedForm first = TestForms.renderer().render(TestForms.optOut(), OPT_OUT, TestForms.signature());
    RenderedForm second = TestForms.renderer().render(TestForms.optOut(), OPT_OUT, TestForms.signature());

    assertThat(second.pdf()).isEqualTo(first.pdf());
    assertThat(second.sha256Hex()).isEqualTo(first.sha256Hex()).hasSize(64);
  }

  @Test
  void oneRendererServesSeveralThreadsAtOnce() throws Exception {
    FormRenderer renderer = TestForms.renderer();
    byte[] expected = renderer.render(TestForms.optOut(), OPT_OUT, TestForms.signature()).pdf();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<byte[]>> results = new java.util.ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> renderer.render(TestForms.optOut(), OPT_OUT, TestForms.signature()).pdf()));
      }
      for (java.util.concurrent.Future<byte[]> result : results) {
        assertThat(result.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void pageOneRendersToPngForALook() throws IOException {
    for (String name : List.of("opt-out", "opt-out-proxy", "withdrawal")) {
      Filing filing = switch (name) {
        case "opt-out" -> TestForms.optOut();
        case "opt-out-proxy" -> TestForms.proxyOptOut();
        default -> TestForms.withdrawal();
      };
      RenderedForm form = TestForms.renderer().render(filing, filing.kind() == FormKind.OPT_OUT ? OPT_OUT : WITHDRAWAL, TestForms.signature());
      Path file = TestForms.write(name + "-look.pdf", form.pdf());
      Poppler.run("pdftoppm", "-r", "110", "-png", "-f", "1", "-l", "1", "-singlefile", file.toString(),
          TestForms.OUTPUT.resolve(name + "-page1").toString());
      BufferedImage page = ImageIO.read(TestForms.OUTPUT.resolve(name + "-page1.png").toFile());
      assertThat(page.getWidth()).isBetween(900, 920);
    }
  }

  @Test
  void refusesAFilingWithoutScopes() {
    assertThatThrownBy(() -> Filing.byPerson("F-1", FormKind.OPT_OUT, TestForms.PERSON, List.of(), Channel.COUNTER, TestForms.SIGNED_AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot prepare an opt-out: it must name at least one scope to stop");
    assertThatThrownBy(() -> Filing.byPerson("F-1", FormKind.WITHDRAWAL, TestForms.PERSON, List.of(), Channel.COUNTER, TestForms.SIGNED_AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot prepare a withdrawal: it must name at least one scope to consent to again");
    assertThatThrownBy(() -> Filing.byPerson("F-1", FormKind.WITHDRAWAL, TestForms.PERSON, null, Channel.COUNTER, TestForms.SIGNED_AT))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("Cannot prepare a withdrawal");
  }

  @Test
  void refusesScopesTheTemplateDoesNotOffer() {
    Filing filing = Filing.byPerson("F-1", FormKind.OPT_OUT, TestForms.PERSON, List.of("academic-research", "marketing"), Channel.COUNTER,
        TestForms.SIGNED_AT);
    assertThatThrownBy(() -> TestForms.renderer().render(filing, OPT_OUT, TestForms.signature()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("offers no scope [marketing]");
    Filing allAndMore = Filing.byPerson("F-1", FormKind.OPT_OUT, TestForms.PERSON, List.of("all-secondary-use", "commercial-use"),
        Channel.COUNTER, TestForms.SIGNED_AT);
    assertThatThrownBy(() -> TestForms.renderer().render(allAndMore, OPT_OUT, TestForms.signature()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all-secondary-use already covers every other scope");
    assertThatThrownBy(() -> Filing.byPerson("F-1", FormKind.OPT_OUT, TestForms.PERSON, List.of("Academic Research"), Channel.COUNTER,
        TestForms.SIGNED_AT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scope codes are lower-case");
  }

  @Test
  void refusesTheWrongTemplate() {
    assertThatThrownBy(() -> TestForms.renderer().render(TestForms.withdrawal(), OPT_OUT, TestForms.signature()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot render the form: a withdrawal filing needs the withdrawal template, not opt-out");
  }

  @Test
  void refusesBadFilingData() {
    assertThatThrownBy(() -> Filing.byPerson("F 1; drop", FormKind.OPT_OUT, TestForms.PERSON, List.of("academic-research"), Channel.COUNTER,
        TestForms.SIGNED_AT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("filing ID must be");
    assertThatThrownBy(() -> new Representative(Representative.Relation.GUARDIAN_OF_WARD, "", TestForms.PERSON))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("evidence reference");
    assertThatThrownBy(() -> new Representative(Representative.Relation.GUARDIAN_OF_WARD, "EV-1", null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("own ID is missing");
    assertThatThrownBy(() -> Filing.byRepresentative("F-1", FormKind.OPT_OUT, TestForms.PERSON, List.of("academic-research"), Channel.COUNTER,
        null, TestForms.SIGNED_AT)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("representative is missing");
  }

  @Test
  void refusesSignatureImagesOfZeroSizeOversizedBlankOrNotImages() {
    assertThatThrownBy(() -> SignatureImage.png(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot use the signature image: it is empty (0 bytes)");
    assertThatThrownBy(() -> SignatureImage.png(null))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("it is empty");
    assertThatThrownBy(() -> SignatureImage.png("not a picture".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("it is not an image");
    assertThatThrownBy(() -> SignatureImage.png(png(new BufferedImage(5000, 100, BufferedImage.TYPE_BYTE_GRAY))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5000x100 pixels is oversized");
    assertThatThrownBy(() -> SignatureImage.png(new byte[SignatureImage.MAX_BYTES + 1]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more than " + SignatureImage.MAX_BYTES);
    assertThatThrownBy(() -> SignatureImage.of(new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too small");
    assertThatThrownBy(() -> SignatureImage.of(new BufferedImage(400, 100, BufferedImage.TYPE_INT_ARGB)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot use the signature image: it is blank (no ink on it)");
  }

  @Test
  void refusesMissingOrUnsuitableFontsClearly() {
    assertThatThrownBy(() -> FormFonts.of(Path.of("/nonexistent/uming.ttc"), "UMingTW", FormFonts.DEBIAN_LATIN_FONT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Cannot find the form's CJK font at /nonexistent/uming.ttc: install Debian's fonts-arphic-uming");
    assertThatThrownBy(() -> FormFonts.of(FormFonts.DEBIAN_CJK_FONT, "NoSuchFace", FormFonts.DEBIAN_LATIN_FONT))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("without the face 'NoSuchFace'").hasMessageContaining("UMingTW");
    Path noto = Path.of("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc");
    if (noto.toFile().isFile()) {
      assertThatThrownBy(() -> FormFonts.of(noto, "NotoSansCJKtc-Regular", FormFonts.DEBIAN_LATIN_FONT))
          .isInstanceOf(IllegalStateException.class).hasMessageContaining("CFF outlines");
    }
  }

  static String normalised(String text) {
    return text.replaceAll("[ \\t]+", " ");
  }

  static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static BufferedImage scaled(byte[] png, int width, int height) {
    try {
      BufferedImage source = ImageIO.read(new java.io.ByteArrayInputStream(png));
      BufferedImage target = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
      java.awt.Graphics2D g = target.createGraphics();
      g.drawImage(source, 0, 0, width, height, null);
      g.dispose();
      return target;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
