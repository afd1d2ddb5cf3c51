package optout.consent.filing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import optout.consent.TestEvidence;
import optout.consent.filing.FilingService.UnreadableEvidenceException;
import org.junit.jupiter.api.Test;

/** Evidence is judged by opening it, not by its first bytes. */
class EvidenceCheckTest {

  private static void check(byte[] content) {
    EvidenceCheck.check(content, FilingService.sniff(content).orElseThrow());
  }

  @Test
  void realScansOfAPageAreAccepted() {
    assertThatCode(() -> check(TestEvidence.pdf())).doesNotThrowAnyException();
    assertThatCode(() -> check(TestEvidence.png(595, 842))).doesNotThrowAnyException();
    assertThatCode(() -> check(TestEvidence.jpeg())).doesNotThrowAnyException();
  }

  @Test
  void filesThatOnlyStartLikeOneAreRefused() {
    assertThatThrownBy(() -> check(TestEvidence.fakePng())).isInstanceOf(UnreadableEvidenceException.class);
    assertThatThrownBy(() -> check("%PDF-1.7\n%%EOF\n".getBytes(StandardCharsets.US_ASCII))).isInstanceOf(UnreadableEvidenceException.class)
        .hasMessageContaining("PDF");
    assertThatThrownBy(() -> check(TestEvidence.pdfWithoutPages())).isInstanceOf(UnreadableEvidenceException.class)
        .hasMessageContaining("no page");
    assertThatThrownBy(() -> check(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff, 0, 1, 2})).isInstanceOf(UnreadableEvidenceException.class);
    byte[] png = TestEvidence.png(595, 842);
    assertThatThrownBy(() -> check(Arrays.copyOf(png, png.length / 2))).isInstanceOf(UnreadableEvidenceException.class);
    byte[] pdf = TestEvidence.pdf();
    byte[] truncated = Arrays.copyOf(pdf, 40);
    assertThatThrownBy(() -> check(truncated)).isInstanceOf(UnreadableEvidenceException.class);
  }

  @Test
  void picturesTooSmallToReadOrTooLargeToDecodeAreRefused() {
    assertThatThrownBy(() -> check(TestEvidence.png(40, 40))).isInstanceOf(UnreadableEvidenceException.class)
        .hasMessageContaining("at least 200");
    // a header claiming 60000×60000 is refused before anything is decoded
    assertThatThrownBy(() -> check(TestEvidence.pngHeaderOnly(60_000, 60_000))).isInstanceOf(UnreadableEvidenceException.class)
        .hasMessageContaining("at most");
    assertThatThrownBy(() -> check(TestEvidence.pngHeaderOnly(9_000, 9_000))).isInstanceOf(UnreadableEvidenceException.class)
        .hasMessageContaining("at most");
    // a plausible header with no picture after it
    assertThatThrownBy(() -> check(TestEvidence.pngHeaderOnly(600, 800))).isInstanceOf(UnreadableEvidenceException.class)
        .hasMessageContaining("cannot be decoded");
  }
}
