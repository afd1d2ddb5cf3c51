package optout.portal.citizen;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import optout.platform.pdf.FormFonts;
import optout.platform.pdf.Typesetter;
import optout.platform.seal.SealOptions;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;

/**
 * The citizen's report as a PDF (plain Java, PDFBox): everything their page shows, zh-TW first with English: the
 * status per purpose now, every filing of their history with its receipt (log index, leaf hash, tree size and the
 * checkpoint it was verified against, with the portal's check of its signatures), where their data was used, the
 * releases that left them out ("excluded from N releases") and the legal exemptions that apply. Set with the consent
 * service's fonts and typesetting ({@link FormFonts}, {@link Typesetter}); the seal is added afterwards
 * ({@link ReportSeal}). It names no national ID and no pseudonym: the person is the one who downloaded it.
 */
final class CitizenReport {

  private static final ZoneId TAIPEI = ZoneId.of("Asia/Taipei");
  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(TAIPEI);
  private static final float MARGIN = 56f;
  private static final float BODY = 9.5f;
  private static final float LEADING = 1.35f;
  /** Room kept free at the foot of each page for the seal's box on the last one. */
  static final float SEAL_HEIGHT = 64f;

  static final Map<String, String[]> FILING_NAMES = Map.of(
      "opt-out-filed", new String[] {"退出", "Opt-out"},
      "opt-out-withdrawn", new String[] {"撤回退出", "Withdrawal"},
      "scopes-changed", new String[] {"變更用途", "Purposes changed"});
  static final Map<String, String[]> CHANNEL_NAMES = Map.of(
      "counter", new String[] {"臨櫃", "Counter"},
      "online", new String[] {"線上", "Online"},
      "proxy", new String[] {"代理人", "Proxy"});

  private final FormFonts fonts;

  CitizenReport(FormFonts fonts) {
    this.fonts = fonts;
  }

  /** The unsealed report and where its seal's box goes (below the last line of the last page). */
  record Rendered(byte[] pdf, SealOptions.Placement sealBox) {}

  /** The report's pages, unsealed; the seal goes in the box kept free at the foot of the last page. */
  Rendered render(CitizenController.Overview overview, CitizenController.UsesView uses, Instant at) {
    try (PDDocument document = new PDDocument(); FormFonts.Opened opened = fonts.open(document)) {
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle("個人資料退出狀態報告 Opt-out status report");
      info.setCreator("NHI opt-out research portal");
      Writer writer = new Writer(document, new Typesetter(opened));
      writer.heading("個人資料退出狀態報告", "Opt-out status report", 16f);
      writer.paragraph("產製時間 Produced " + WHEN.format(at) + "（臺北時間 Taipei time）。本報告由研究入口網站依登入者本人之資料產製並加蓋電子印信；"
          + "內容與登入後「我的退出狀態」頁面相同。", BODY, Color.DARK_GRAY);
      writer.paragraph("Produced for the signed-in citizen and sealed by the research portal: it holds what their page shows.",
          BODY, Color.DARK_GRAY);

      writer.heading("目前的退出狀態", "My opt-out status now", 12.5f);
      if (overview.optedOut().isEmpty()) {
        writer.paragraph("您目前沒有退出任何用途。 You have opted out of no purpose.", BODY, Color.BLACK);
      }
      for (CitizenController.ScopeView scope : overview.optedOut()) {
        writer.bullet(scope.traditionalChinese() + " " + scope.english() + "：自 since " + when(scope.since()));
      }

      writer.heading("申請紀錄與證明", "My filings and their receipts", 12.5f);
      if (overview.filings().isEmpty()) {
        writer.paragraph("尚無申請紀錄。 No filing yet.", BODY, Color.BLACK);
      }
      int n = 0;
      for (CitizenController.FilingView filing : overview.filings()) {
        n++;
        String[] type = FILING_NAMES.getOrDefault(filing.type(), new String[] {filing.type(), filing.type()});
        String[] channel = filing.channel() == null ? new String[] {"", ""}
            : CHANNEL_NAMES.getOrDefault(filing.channel(), new String[] {filing.channel(), filing.channel()});
        writer.subheading(n + ". " + type[0] + " " + type[1] + "：" + String.join("、", filing.scopes()));
        writer.bullet("管道 Channel " + channel[0] + " " + channel[1] + "；生效 Effective " + when(filing.effectiveAt()) + "；登錄 Recorded "
            + when(filing.recordedAt()));
        if (filing.documentSha256() != null) {
          writer.bullet("簽署文件 Signed form SHA-256 " + filing.documentSha256());
        }
        CitizenController.ReceiptView receipt = filing.receipt();
        if (receipt == null) {
          writer.bullet("收據：尚未記入透明化日誌。 Receipt: not yet in the transparency log.");
          continue;
        }
        writer.bullet("收據 Receipt：日誌序號 log index " + receipt.logIndex() + "，樹大小 tree size " + receipt.treeSize());
        writer.bullet("葉雜湊 Leaf hash " + receipt.leafHash());
        List<String> checkpoint = receipt.checkpoint() == null ? List.of() : receipt.checkpoint().lines().limit(3).toList();
        writer.bullet("驗證所依檢查點 Checkpoint verified against：" + String.join(" / ", checkpoint));
        WitnessedCheckpoints.Verdict check = receipt.checkpointCheck();
        boolean verified = check != null && check.registrySignatureVerified() && check.witnessCosignatureVerified();
        writer.bullet(verified ? "檢查點已由登記處簽署並經見證者共同簽署。 The checkpoint is signed by the registry and cosigned by the witness."
            : "檢查點未驗證 The checkpoint is NOT verified" + (check == null || check.problem() == null ? "" : "：" + check.problem()));
      }

      writer.heading("我的資料被哪些研究使用", "Where my data was used", 12.5f);
      if (!uses.usageAvailable()) {
        writer.paragraph("目前無法讀取使用紀錄。 The usage ledger could not be read when this report was made.", BODY, Color.BLACK);
      } else if (uses.uses().isEmpty()) {
        writer.paragraph("沒有研究使用您的資料。 No research extract used your data.", BODY, Color.BLACK);
      }
      for (DataUses.Use use : uses.uses()) {
        writer.bullet(date(use.usedOn()) + "　" + nonNull(use.title()) + "（" + nonNull(use.institution()) + "）；用途 purpose " + nonNull(use.purpose())
            + "；法律依據 legal basis " + nonNull(use.legalBasis()) + "；擷取 extract " + use.extractId());
      }
      writer.subheading("排除您資料的釋出：共 " + overview.excludedFrom() + " 次 Excluded from " + overview.excludedFrom() + " release"
          + (overview.excludedFrom() == 1 ? "" : "s"));
      for (CitizenController.ExcludedView release : overview.excludedReleases()) {
        writer.bullet(when(release.releasedAt()) + "　擷取 extract " + release.extractId() + "；用途 purpose " + release.purpose()
            + "；檢查點大小 checkpoint size " + release.checkpointSize());
      }

      writer.heading("仍適用的法定例外", "Legal exemptions that still apply", 12.5f);
      if (overview.exemptions().isEmpty()) {
        writer.paragraph("無。 None.", BODY, Color.BLACK);
      }
      for (CitizenController.ExemptionView exemption : overview.exemptions()) {
        writer.bullet(exemption.traditionalChinese() + " " + exemption.english() + "：" + nonNull(exemption.legalBasis()) + "；用途 purposes "
            + String.join("、", exemption.scopes()));
      }
      writer.paragraph("退出或撤回請至 To file or withdraw: " + overview.onlineFilingUrl(), BODY, Color.DARK_GRAY);
      writer.keepRoomForSeal();
      writer.close();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return new Rendered(out.toByteArray(),
          new SealOptions.Placement(writer.pages - 1, MARGIN, writer.sealTop() - SEAL_HEIGHT, 300f, SEAL_HEIGHT));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot make the citizen's report", e);
    }
  }

  private static String when(Instant instant) {
    return instant == null ? "—" : WHEN.format(instant);
  }

  private static String date(LocalDate day) {
    return day == null ? "—" : day.toString();
  }

  private static String nonNull(String text) {
    return text == null ? "—" : text;
  }

  /** Flows text down A4 pages, a new page when the next line does not fit. */
  private static final class Writer {
    private final PDDocument document;
    private final Typesetter type;
    private final float width = PDRectangle.A4.getWidth() - 2 * MARGIN;
    private PDPageContentStream content;
    private float y;
    private int pages;

    Writer(PDDocument document, Typesetter type) throws IOException {
      this.document = document;
      this.type = type;
      newPage();
    }

    // every text goes through Typesetter.drawable: titles, institutions and legal bases come from researchers and other
    // services, and a character no font draws must not leave the citizen without their report

    void heading(String chinese, String english, float size) throws IOException {
      space(size * 0.9f);
      line(type.drawable(chinese + "  " + english), size, Color.BLACK, true, 0);
      space(2f);
    }

    void subheading(String text) throws IOException {
      space(3f);
      for (String wrapped : type.wrap(type.drawable(text), 10.5f, width)) {
        line(wrapped, 10.5f, Color.BLACK, true, 0);
      }
    }

    void paragraph(String text, float size, Color color) throws IOException {
      for (String wrapped : type.wrap(type.drawable(text), size, width)) {
        line(wrapped, size, color, false, 0);
      }
      space(2f);
    }

    void bullet(String text) throws IOException {
      List<String> wrapped = new ArrayList<>(type.wrap(type.drawable(text), BODY, width - 12f));
      for (int i = 0; i < wrapped.size(); i++) {
        if (i == 0) {
          ensure(BODY * LEADING);
          type.show(content, "•", MARGIN + 2f, y - BODY, BODY, Color.BLACK, false);
        }
        line(wrapped.get(i), BODY, Color.BLACK, false, 12f);
      }
    }

    void keepRoomForSeal() throws IOException {
      ensure(SEAL_HEIGHT + 12f);
    }

    private void space(float points) {
      y -= points;
    }

    private void line(String text, float size, Color color, boolean bold, float indent) throws IOException {
      ensure(size * LEADING);
      type.show(content, text, MARGIN + indent, y - size, size, color, bold);
      y -= size * LEADING;
    }

    private void ensure(float height) throws IOException {
      if (y - height < MARGIN + 14f) {
        newPage();
      }
    }

    private void newPage() throws IOException {
      if (content != null) {
        content.close();
      }
      PDPage page = new PDPage(PDRectangle.A4);
      document.addPage(page);
      pages++;
      content = new PDPageContentStream(document, page);
      type.show(content, "第 " + pages + " 頁 Page " + pages, MARGIN, MARGIN - 20f, 8f, Color.GRAY, false);
      y = PDRectangle.A4.getHeight() - MARGIN;
    }

    void close() throws IOException {
      content.close();
    }

    /** Where the seal's box goes on the last page: below the last line. */
    float sealTop() {
      return y - 6f;
    }
  }
}
