package optout.consent.filing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import optout.pad.api.SignatureCapture;
import optout.pad.stu.VirtualSigner;
import org.junit.jupiter.api.Test;

/** The pen record keeps the strokes' rhythm, not the browser's wall clock. */
class ServerTimeTest {

  @Test
  void aCaptureClaiming2022EndsAtTheServersSigningTimeWithItsStrokesUntouched() {
    SignatureCapture recorded = VirtualSigner.recording("signature-a");
    SignatureCapture claimed = new SignatureCapture(recorded.device(), recorded.capabilities(), Instant.parse("2022-03-01T08:00:00Z"),
        recorded.samples());
    Instant signedAt = Instant.parse("2026-12-06T15:00:00.123456Z");

    SignatureCapture kept = FilingService.onServerTime(claimed, signedAt);

    assertThat(kept.startedAt().plusNanos(kept.durationMicros() * 1000)).isEqualTo(signedAt);
    assertThat(kept.samples()).isEqualTo(claimed.samples());
    assertThat(kept.device()).isEqualTo(claimed.device());
  }
}
