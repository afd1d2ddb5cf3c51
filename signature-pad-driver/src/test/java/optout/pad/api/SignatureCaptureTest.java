package optout.pad.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import optout.pad.SyntheticSignatures;
import org.junit.jupiter.api.Test;

class SignatureCaptureTest {

  @Test
  void strokesAreTheRunsOfTouchingSamples() {
    SignatureCapture capture = SyntheticSignatures.handwriting(0.7);
    assertThat(capture.strokes()).hasSize(3);
    assertThat(capture.strokes()).extracting(s -> s.samples().size()).containsExactly(120, 140, 90);
    assertThat(capture.samples()).hasSize(120 + 15 + 140 + 12 + 90);
    assertThat(capture.durationMicros()).isEqualTo((377 - 1) * 5_000L);
  }

  @Test
  void refusesSamplesThatNoPadCouldHaveReported() {
    Capabilities pad = SyntheticSignatures.PAD;
    DeviceInfo device = SyntheticSignatures.DEVICE;
    Instant start = Instant.EPOCH;
    assertThatThrownBy(() -> new PenSample(-1, 0, 0, 0, false, true, 0))
        .hasMessage("Cannot record a pen sample: position and pressure cannot be negative");
    assertThatThrownBy(() -> new PenSample(0, 0, 0, 0, true, false, 0))
        .hasMessage("Cannot record a pen sample: a pen that touches is in range");
    assertThatThrownBy(() -> new SignatureCapture(device, pad, start, List.of(new PenSample(9601, 0, 0, 0, false, true, 0))))
        .hasMessage("Cannot make a capture: a sample lies outside the pad's range");
    assertThatThrownBy(() -> new SignatureCapture(device, pad, start, List.of(
            new PenSample(0, 0, 0, 10, false, true, 0), new PenSample(0, 0, 0, 5, false, true, 1))))
        .hasMessage("Cannot make a capture: sample times must not go backwards");
    assertThatThrownBy(() -> new Capabilities(0, 10, 10, 1, 1, 0, 0)).hasMessageStartingWith("Cannot describe a pad");
    assertThatThrownBy(() -> new DeviceInfo(" ", "m", null, null)).hasMessage("Cannot describe a device: vendor and model are required");
  }
}
