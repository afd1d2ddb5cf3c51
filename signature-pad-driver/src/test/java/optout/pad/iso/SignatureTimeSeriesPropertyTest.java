package optout.pad.iso;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import optout.pad.api.Capabilities;
import optout.pad.api.DeviceInfo;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;
import org.junit.jupiter.api.Test;

/**
 * Encode then decode is the identity for captures of every shape we expect: random pads, devices,
 * start times, hovering and out-of-range runs, tilt or none, sequence numbers that count up, wrap,
 * jump or are missing, and times on the grids real devices use (1 ms pads, 0.1 ms browsers, and the
 * finer units down to 20 µs). Seeded, so a failure repeats.
 */
class SignatureTimeSeriesPropertyTest {

  private static final long[] GRIDS = {5_000, 1_000, 500, 250, 200, 100, 50, 40, 25, 20};
  private static final double[] RESOLUTIONS = {100.0, 3.7795275590551185, 39.37007874015748, 10.0, 0.5, 1.0 / 3};
  private static final String[] TEXTS = {"Wacom", "STU-540", "和信醫院", "", "1.0.3", "Pointer Events ✍", "serial-\u00e9"};

  @Test
  void encodeThenDecodeIsTheIdentity() {
    Random random = new Random(20261124L);
    for (int round = 0; round < 400; round++) {
      SignatureCapture capture = capture(random);
      byte[] record = SignatureTimeSeries.encode(capture);
      assertThat(SignatureTimeSeries.decode(record)).as("round %d", round).isEqualTo(capture);
      assertThat(SignatureTimeSeries.encode(SignatureTimeSeries.decode(record))).as("round %d", round).isEqualTo(record);
    }
  }

  private static SignatureCapture capture(Random random) {
    int width = 1 + random.nextInt(32_767);
    int height = 1 + random.nextInt(32_767);
    int maxPressure = 1 + random.nextInt(random.nextBoolean() ? 1023 : 65_535);
    double resolution = random.nextInt(4) == 0 ? 0.01 + random.nextDouble() * 1000 : RESOLUTIONS[random.nextInt(RESOLUTIONS.length)];
    Capabilities pad = new Capabilities(width, height, maxPressure, resolution, 1 + random.nextInt(1000),
        random.nextInt(2000), random.nextInt(2000));
    String vendor = TEXTS[random.nextInt(TEXTS.length)];
    String model = TEXTS[random.nextInt(TEXTS.length)];
    DeviceInfo device = new DeviceInfo(vendor.isBlank() ? "v" : vendor, model.isBlank() ? "m" : model,
        TEXTS[random.nextInt(TEXTS.length)], TEXTS[random.nextInt(TEXTS.length)]);
    Instant startedAt = Instant.ofEpochSecond(1_700_000_000L + random.nextInt(400_000_000), random.nextInt(1_000_000_000));

    long grid = GRIDS[random.nextInt(GRIDS.length)];
    long longestGap = Math.min(grid * 0xFFFF, 3_000_000);
    boolean tilt = random.nextInt(3) == 0;
    int count = 1 + (random.nextInt(10) == 0 ? random.nextInt(5_000) : random.nextInt(300));
    long time = random.nextBoolean() ? 0 : grid * random.nextInt(50);
    long sequence = random.nextInt(4) == 0 ? PenSample.NO_SEQUENCE : random.nextInt(70_000);
    int state = random.nextInt(3);
    List<PenSample> samples = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      if (random.nextInt(20) == 0) {
        state = random.nextInt(3);
      }
      boolean touching = state == 0;
      boolean inRange = state != 2;
      int x = random.nextInt(width + 1);
      int y = random.nextInt(height + 1);
      int pressure = touching ? random.nextInt(maxPressure + 1) : random.nextInt(10) == 0 ? random.nextInt(maxPressure + 1) : 0;
      samples.add(new PenSample(x, y, pressure, time, touching, inRange, sequence,
          tilt ? random.nextInt(181) - 90 : PenSample.NO_TILT, tilt ? random.nextInt(181) - 90 : PenSample.NO_TILT));
      time += random.nextInt(30) == 0 ? (random.nextLong(longestGap / grid + 1)) * grid : grid * random.nextInt(3);
      int change = random.nextInt(50);
      if (sequence == PenSample.NO_SEQUENCE) {
        sequence = change == 0 ? random.nextInt(1000) : PenSample.NO_SEQUENCE;
      } else if (change == 0) {
        sequence = PenSample.NO_SEQUENCE;
      } else if (change == 1) {
        sequence += 2 + random.nextInt(10);
      } else {
        sequence = sequence == 65_535 ? 0 : sequence + 1;
      }
    }
    return new SignatureCapture(device, pad, startedAt, samples);
  }
}
