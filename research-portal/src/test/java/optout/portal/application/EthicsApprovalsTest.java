package optout.portal.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.junit.jupiter.api.Test;

class EthicsApprovalsTest {

  private static byte[] pdf(int pages, String userPassword) throws IOException {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (int i = 0; i < pages; i++) {
        document.addPage(new PDPage());
      }
      if (userPassword != null) {
        document.protect(new StandardProtectionPolicy("owner", userPassword, new AccessPermission()));
      }
      document.save(out);
      return out.toByteArray();
    }
  }

  private static String refusal(byte[] bytes) {
    try {
      EthicsApprovals.check(bytes);
    } catch (EthicsApprovals.UnacceptableDocumentException refused) {
      return refused.problemType();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void aPdfWithPagesIsKeptByItsHash() throws IOException {
    byte[] bytes = pdf(2, null);
    EthicsApprovals.EthicsDocument document = EthicsApprovals.check(bytes);
    assertThat(document.pages()).isEqualTo(2);
    assertThat(document.size()).isEqualTo(bytes.length);
    assertThat(document.sha256()).hasSize(64).isEqualTo(EthicsApprovals.sha256(bytes));
  }

  @Test
  void everythingElseIsRefusedByItsBytes() throws IOException {
    assertThat(refusal(null)).isEqualTo("ethics-approval-empty");
    assertThat(refusal(new byte[0])).isEqualTo("ethics-approval-empty");
    assertThat(refusal("GIF89a".getBytes(StandardCharsets.US_ASCII))).isEqualTo("ethics-approval-not-pdf");
    assertThat(refusal(("<html>%PDF-1.7</html>").getBytes(StandardCharsets.US_ASCII))).isEqualTo("ethics-approval-not-pdf");
    assertThat(refusal("%PDF-1.7\n1 0 obj garbage".getBytes(StandardCharsets.US_ASCII))).isEqualTo("ethics-approval-unreadable");
    assertThat(refusal(pdf(1, "secret"))).isEqualTo("ethics-approval-encrypted");
    assertThat(refusal(pdf(1, ""))).isEqualTo("ethics-approval-encrypted");
    assertThat(refusal(pdf(0, null))).isEqualTo("ethics-approval-no-pages");
    byte[] truncated = pdf(1, null);
    assertThat(refusal(java.util.Arrays.copyOf(truncated, 40))).isEqualTo("ethics-approval-unreadable");
    assertThatThrownBy(() -> EthicsApprovals.check(new byte[EthicsApprovals.MAX_BYTES + 1]))
        .isInstanceOfSatisfying(EthicsApprovals.UnacceptableDocumentException.class, e -> assertThat(e.tooLarge()).isTrue());
  }
}
