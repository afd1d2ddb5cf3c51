package optout.consent.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.junit.jupiter.api.Test;

class ReceiptRendererTest {

  private static final FormTemplate RECEIPT = FormTemplate.load("receipt", 1);
  private static final VerificationCode CODE = new VerificationCode("K7QH2MZP4XW3BN6R");
  private static final URI BASE = URI.create("https://optout.example.gov.tw/");

  private static byte[] receipt(Filing filing) {
    return new ReceiptRenderer(TestForms.fonts(), TestForms.CLOCK).render(Receipt.forFiling(filing, CODE, BASE), RECEIPT);
  }

  @Test
  void theReceiptShowsTheFilingAndTheCodeButNoNationalId() {
    byte[] pdf = receipt(TestForms.optOut());
    Path file = TestForms.write("receipt.pdf", pdf);

    String text = FormRendererTest.normalised(Poppler.text(file));
    assertThat(text)
        .contains("全民健康保險資料次級利用申請回執")
        .contains("Receipt for a Filing on the Secondary Use of National Health Insurance Data")
        .contains("F-2026-000042")
        .contains("停止次級利用 Opt-out of secondary use")
        .contains("學術研究、商業利用")
        .contains("Academic research; Commercial use")
        .contains("民國115年11月25日 14:03:05")
        .contains("K7QH-2MZP-4XW3-BN6R")
        .contains("https://optout.example.gov.tw/verify/K7QH2MZP4XW3BN6R")
        .contains("receipt v1")
        .contains("SHA-256 " + RECEIPT.sha256())
        .doesNotContain(TestForms.NATIONAL_ID)
        .doesNotContain(TestForms.MASKED_ID)
        .doesNotContain("789");
    assertThat(FormRendererTest.contains(TestForms.decodedStreams(pdf), TestForms.NATIONAL_ID.getBytes(StandardCharsets.US_ASCII))).isFalse();
    assertThat(Poppler.info(file)).contains("Pages:           1");
    assertThat(pdf.length).isLessThan(300 * 1024);
  }

  @Test
  void theQrCodeDecodesToTheVerificationUrl() throws Exception {
    byte[] pdf = receipt(TestForms.withdrawal());
    TestForms.write("receipt-withdrawal.pdf", pdf);

    BufferedImage page;
    try (PDDocument document = Loader.loadPDF(pdf)) {
      page = new PDFRenderer(document).renderImageWithDPI(0, 150, ImageType.RGB);
    }
    javax.imageio.ImageIO.write(page, "png", TestForms.OUTPUT.resolve("receipt-page1.png").toFile());
    int[] pixels = page.getRGB(0, 0, page.getWidth(), page.getHeight(), null, 0, page.getWidth());
    Result result = new MultiFormatReader().decode(
        new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(page.getWidth(), page.getHeight(), pixels))),
        Map.of(DecodeHintType.POSSIBLE_FORMATS, List.of(BarcodeFormat.QR_CODE), DecodeHintType.TRY_HARDER, Boolean.TRUE));

    assertThat(result.getText()).isEqualTo("https://optout.example.gov.tw/verify/K7QH2MZP4XW3BN6R");
    assertThat(FormRendererTest.normalised(Poppler.text(TestForms.OUTPUT.resolve("receipt-withdrawal.pdf"))))
        .contains("撤回停止利用請求（恢復同意）")
        .contains("Withdrawal of an opt-out (consent again)")
        .contains("政府統計及政策研擬");
  }

  @Test
  void refusesBadCodesAddressesAndTemplates() {
    assertThatThrownBy(() -> new VerificationCode("k7qh2mzp4xw3bn6r")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("16 characters of A-Z and 2-7");
    assertThatThrownBy(() -> new VerificationCode("K7QH2MZP4XW3BN6")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VerificationCode("K7QH2MZP4XW3BN61")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Receipt.forFiling(TestForms.optOut(), CODE, URI.create("http://optout.example.gov.tw")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("absolute https URL");
    assertThatThrownBy(() -> Receipt.forFiling(TestForms.optOut(), CODE, URI.create("https://optout.example.gov.tw/?id=A123456789")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no query");
    assertThat(Receipt.forFiling(TestForms.optOut(), CODE, URI.create("http://localhost:8082")).verificationUrl())
        .hasToString("http://localhost:8082/verify/K7QH2MZP4XW3BN6R");
    Receipt receipt = Receipt.forFiling(TestForms.optOut(), CODE, BASE);
    assertThatThrownBy(() -> new ReceiptRenderer(TestForms.fonts(), TestForms.CLOCK).render(receipt, FormTemplate.load("opt-out", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Cannot render the receipt: it needs the receipt template, not opt-out");
  }
}
