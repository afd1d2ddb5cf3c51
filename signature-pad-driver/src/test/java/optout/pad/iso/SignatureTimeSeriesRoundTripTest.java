package optout.pad.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import optout.pad.SyntheticSignatures;
import optout.pad.api.Capabilities;
import optout.pad.api.DeviceInfo;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SignatureTimeSeriesRoundTripTest {

  private static SignatureCapture roundTrip(SignatureCapture capture) {
    return SignatureTimeSeries.decode(SignatureTimeSeries.encode(capture));
  }

  /** The synthetic handwriting with a pen leaning the way a right hand holds it, changing as it writes. */
  static SignatureCapture tilted(SignatureCapture capture) {
    List<PenSample> samples = new ArrayList<>();
    int i = 0;
    for (PenSample s : capture.samples()) {
      samples.add(new PenSample(s.x(), s.y(), s.pressure(), s.timeMicros(), s.touching(), s.inRange(), s.sequence(),
          -40 + i % 30, 25 - i % 50));
      i++;
    }
    return new SignatureCapture(capture.device(), capture.capabilities(), capture.startedAt(), samples);
  }

  private static SignatureCapture withTimes(long... times) {
    List<PenSample> samples = new ArrayList<>();
    for (int i = 0; i < times.length; i++) {
      samples.add(new PenSample(100 + i, 200, 10, times[i], true, true, i));
    }
    return SyntheticSignatures.of(samples);
  }

  private static List<Long> times(SignatureCapture capture) {
    return capture.samples().stream().map(PenSample::timeMicros).toList();
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0, 0.4, 0.05})
  void handwritingRoundTripsExactly(double pressureScale) {
    SignatureCapture capture = SyntheticSignatures.handwriting(pressureScale);
    assertThat(roundTrip(capture)).isEqualTo(capture);
  }

  @Test
  void tiltedHandwritingRoundTripsExactly() {
    SignatureCapture capture = tilted(SyntheticSignatures.handwriting(1.0));
    assertThat(capture.hasTilt()).isTrue();
    SignatureCapture decoded = roundTrip(capture);
    assertThat(decoded).isEqualTo(capture);
    assertThat(decoded.hasTilt()).isTrue();
  }

  @Test
  void everyFieldOfTheCaptureRoundTrips() {
    // What the record carries, field by field: the standard channels hold x, y, the time, pressure,
    // touching and tilt; our extended data block holds the device, the pad, the start time, in range and
    // the sequence numbers. Nothing is left out; only times off the 20 µs grid are rounded (see below).
    SignatureCapture capture = new SignatureCapture(
        new DeviceInfo("和鑫 Wacom", "STU-430 ✍", "", "fw 1.02"),
        new Capabilities(9600, 6000, 1023, 3.7795275590551185, 133, 320, 0),
        Instant.parse("2026-11-24T02:00:00.123456789Z"),
        List.of(
            new PenSample(0, 0, 0, 700, false, false, PenSample.NO_SEQUENCE, -90, 90),
            new PenSample(9600, 6000, 1023, 1_200, true, true, 65_535, 90, -90),
            new PenSample(4800, 3000, 0, 1_300, false, true, 0, 0, 0),
            new PenSample(4801, 3001, 1, 1_300, true, true, 1, -1, 1)));
    SignatureCapture decoded = roundTrip(capture);

    assertThat(decoded.device().vendor()).isEqualTo("和鑫 Wacom");
    assertThat(decoded.device().model()).isEqualTo("STU-430 ✍");
    assertThat(decoded.device().serialNumber()).isEmpty();
    assertThat(decoded.device().firmware()).isEqualTo("fw 1.02");
    assertThat(decoded.capabilities()).isEqualTo(capture.capabilities());
    assertThat(decoded.capabilities().unitsPerMillimetre()).isEqualTo(3.7795275590551185);
    assertThat(decoded.startedAt()).isEqualTo(Instant.parse("2026-11-24T02:00:00.123456789Z"));
    for (int i = 0; i < capture.samples().size(); i++) {
      PenSample expected = capture.samples().get(i);
      PenSample actual = decoded.samples().get(i);
      assertThat(actual.x()).isEqualTo(expected.x());
      assertThat(actual.y()).isEqualTo(expected.y());
      assertThat(actual.pressure()).isEqualTo(expected.pressure());
      assertThat(actual.timeMicros()).isEqualTo(expected.timeMicros());
      assertThat(actual.touching()).isEqualTo(expected.touching());
      assertThat(actual.inRange()).isEqualTo(expected.inRange());
      assertThat(actual.sequence()).isEqualTo(expected.sequence());
      assertThat(actual.tiltX()).isEqualTo(expected.tiltX());
      assertThat(actual.tiltY()).isEqualTo(expected.tiltY());
    }
    assertThat(decoded).isEqualTo(capture);
  }

  @Test
  void hoverAndOutOfRangeSamplesKeepTheirPlaceAndPressure() {
    SignatureCapture capture = SyntheticSignatures.handwriting(1.0);
    List<PenSample> samples = new ArrayList<>(capture.samples());
    PenSample last = samples.get(samples.size() - 1);
    samples.add(new PenSample(last.x(), last.y(), 0, last.timeMicros() + 5_000, false, false, last.sequence() + 1));
    capture = SyntheticSignatures.of(samples);

    SignatureCapture decoded = roundTrip(capture);
    assertThat(decoded.samples().stream().filter(s -> !s.touching() && s.inRange()).count()).isEqualTo(27);
    assertThat(decoded.samples().stream().filter(s -> !s.touching()).allMatch(s -> s.pressure() == 0)).isTrue();
    assertThat(decoded.samples().get(decoded.samples().size() - 1).inRange()).isFalse();
    assertThat(decoded.strokes()).hasSize(3);
    assertThat(decoded).isEqualTo(capture);
  }

  @Test
  void sequenceNumbersRoundTripWhateverTheirShape() {
    long[] sequences = {PenSample.NO_SEQUENCE, PenSample.NO_SEQUENCE, 65_534, 65_535, 0, 1, 2, 7, 8, PenSample.NO_SEQUENCE,
        Long.MAX_VALUE, Long.MIN_VALUE, -5, -4, -3, -2, 0};
    List<PenSample> samples = new ArrayList<>();
    for (int i = 0; i < sequences.length; i++) {
      samples.add(new PenSample(10, 10, 5, i * 5_000L, true, true, sequences[i]));
    }
    SignatureCapture capture = SyntheticSignatures.of(samples);
    assertThat(roundTrip(capture)).isEqualTo(capture);
  }

  @Test
  void aPadAt200HzIsWrittenInMilliseconds() {
    SignatureCapture capture = SyntheticSignatures.handwriting(1.0);
    assertThat(SignatureTimeSeries.timeUnitMicros(capture)).isEqualTo(1000);
    byte[] record = SignatureTimeSeries.encode(capture);
    // DT scaling value: 1000 units per second
    assertThat(new byte[] {record[17], record[18]}).containsExactly(0xCF, 0xA0);
  }

  @Test
  void browserTimesInTenthsOfAMillisecondRoundTripExactly() {
    SignatureCapture capture = withTimes(0, 8_300, 16_600, 25_000, 33_400, 1_000_100);
    assertThat(SignatureTimeSeries.timeUnitMicros(capture)).isEqualTo(100);
    assertThat(roundTrip(capture)).isEqualTo(capture);
  }

  @Test
  void timesOnTheTwentyMicrosecondGridRoundTripExactly() {
    SignatureCapture capture = withTimes(20, 40, 1_000_060, 1_000_080);
    assertThat(SignatureTimeSeries.timeUnitMicros(capture)).isEqualTo(20);
    assertThat(roundTrip(capture)).isEqualTo(capture);
  }

  @Test
  void timesOffEveryGridAreRoundedToTheNearestTwentyMicroseconds() {
    // 5 µs browser timestamps: no unit holds them; 20 µs is the finest, each time moves by at most 10 µs
    // (half a unit rounds up), and the rounded times never go backwards.
    SignatureCapture capture = withTimes(0, 5, 15, 1_010, 1_000_005);
    assertThat(SignatureTimeSeries.timeUnitMicros(capture)).isEqualTo(20);
    SignatureCapture decoded = roundTrip(capture);
    assertThat(times(decoded)).containsExactly(0L, 0L, 20L, 1_020L, 1_000_000L);
    assertThat(decoded.samples().stream().map(s -> new PenSample(s.x(), s.y(), s.pressure(), 0, s.touching(), s.inRange(),
        s.sequence())).toList()).isEqualTo(capture.samples().stream().map(s -> new PenSample(s.x(), s.y(), s.pressure(), 0,
        s.touching(), s.inRange(), s.sequence())).toList());
  }

  @Test
  void aLongPauseInFineTimesMovesToACoarserRoundedUnit() {
    // 0.1 ms times, but 10 s between two samples: 100,000 units of 100 µs do not fit 16 bits. The finest
    // unit whose gaps fit is 200 µs, and the odd 100 µs is rounded (up).
    SignatureCapture capture = withTimes(0, 100, 10_000_100);
    assertThat(SignatureTimeSeries.timeUnitMicros(capture)).isEqualTo(200);
    assertThat(times(roundTrip(capture))).containsExactly(0L, 200L, 10_000_200L);
  }

  @Test
  void aPauseOfUpTo65535MillisecondsIsWritten() {
    SignatureCapture capture = withTimes(65_535_000, 131_070_000);
    assertThat(roundTrip(capture)).isEqualTo(capture);
  }

  @Test
  void aLongerPauseIsRefused() {
    assertThatThrownBy(() -> SignatureTimeSeries.encode(withTimes(0, 65_536_000)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot encode the capture as ISO/IEC 19794-7: two samples lie more than 65.535 seconds apart,"
            + " more than the DT channel holds");
  }

  @Test
  void theLargestCaptureRoundTripsQuickly() {
    List<PenSample> samples = new ArrayList<>();
    for (int i = 0; i < SignatureTimeSeries.MAX_SAMPLES; i++) {
      samples.add(new PenSample(i % 9600, i % 6000, i % 1024, i * 5_000L, i % 7 != 0, true, i, i % 181 - 90, 90 - i % 181));
    }
    SignatureCapture capture = SyntheticSignatures.of(samples);
    long start = System.nanoTime();
    byte[] record = SignatureTimeSeries.encode(capture);
    SignatureCapture decoded = SignatureTimeSeries.decode(record);
    assertThat(decoded).isEqualTo(capture);
    assertThat(record).hasSizeLessThan(13 * SignatureTimeSeries.MAX_SAMPLES + 200);
    assertThat(System.nanoTime() - start).isLessThan(2_000_000_000L);
  }

  @Test
  void aCaptureWithoutSamplesIsRefused() {
    assertThatThrownBy(() -> SignatureTimeSeries.encode(SyntheticSignatures.of(List.of())))
        .hasMessage("Cannot encode the capture as ISO/IEC 19794-7: it has no samples");
  }

  @Test
  void aNullCaptureIsRefused() {
    assertThatThrownBy(() -> SignatureTimeSeries.encode(null))
        .hasMessage("Cannot encode the capture as ISO/IEC 19794-7: the capture is required");
    assertThatThrownBy(() -> SignatureTimeSeries.decode(null))
        .hasMessage("Cannot read the ISO/IEC 19794-7 record: the record is required");
  }

  @Test
  void tooManySamplesAreRefused() {
    List<PenSample> samples = new ArrayList<>();
    for (int i = 0; i <= SignatureTimeSeries.MAX_SAMPLES; i++) {
      samples.add(new PenSample(1, 1, 1, i * 1_000L, true, true, i));
    }
    assertThatThrownBy(() -> SignatureTimeSeries.encode(SyntheticSignatures.of(samples)))
        .hasMessage("Cannot encode the capture as ISO/IEC 19794-7: it has more than 120000 samples");
  }

  @Test
  void valuesBeyondTheChannelsAreRefused() {
    Capabilities wide = new Capabilities(40_000, 40_000, 100_000, 100.0, 200, 0, 0);
    DeviceInfo device = SyntheticSignatures.DEVICE;
    Instant start = Instant.parse("2026-11-24T02:00:00Z");
    assertThatThrownBy(() -> SignatureTimeSeries.encode(new SignatureCapture(device, wide, start,
        List.of(new PenSample(32_768, 0, 0, 0, true, true, 0)))))
        .hasMessage("Cannot encode the capture as ISO/IEC 19794-7: a sample's x or y exceeds 32767, the largest X and Y"
            + " the record holds");
    assertThatThrownBy(() -> SignatureTimeSeries.encode(new SignatureCapture(device, wide, start,
        List.of(new PenSample(0, 0, 65_536, 0, true, true, 0)))))
        .hasMessage("Cannot encode the capture as ISO/IEC 19794-7: a sample's pressure exceeds 65535, the largest F the"
            + " record holds");
    Capabilities fine = new Capabilities(9600, 6000, 1023, 100_000.0, 200, 0, 0);
    assertThatThrownBy(() -> SignatureTimeSeries.encode(new SignatureCapture(device, fine, start,
        List.of(new PenSample(0, 0, 0, 0, true, true, 0)))))
        .hasMessage("Cannot encode the capture as ISO/IEC 19794-7: the pad's resolution must lie between 2^-16 and"
            + " 65,520 units per millimetre");
  }

  @Test
  void sequenceNumbersThatJumpEverywhereDoNotFitAndAreRefused() {
    List<PenSample> samples = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      samples.add(new PenSample(1, 1, 1, i * 1_000L, true, true, i * 2L));
    }
    assertThatThrownBy(() -> SignatureTimeSeries.encode(SyntheticSignatures.of(samples)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot encode the capture as ISO/IEC 19794-7: the device's description and sequence"
            + " numbers need ")
        .hasMessageEndingWith(" bytes of extended data, more than 65,535 (sequence numbers that jump at almost every"
            + " sample do not fit)");
  }

  @Test
  void encodingIsDeterministic() {
    SignatureCapture capture = tilted(SyntheticSignatures.handwriting(0.7));
    assertThat(SignatureTimeSeries.encode(capture)).isEqualTo(SignatureTimeSeries.encode(capture));
    byte[] record = SignatureTimeSeries.encode(capture);
    assertThat(SignatureTimeSeries.encode(SignatureTimeSeries.decode(record))).isEqualTo(record);
  }
}
