package optout.pad;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import optout.pad.api.Capabilities;
import optout.pad.api.DeviceInfo;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;

/** Test captures shaped like a pad's output: 200 samples a second, pressure rising and falling per stroke. */
public final class SyntheticSignatures {

  /** Like a Wacom STU-430: 96 x 60 mm at 100 units/mm, 1024 pressure levels, 200 Hz. */
  public static final Capabilities PAD = new Capabilities(9600, 6000, 1023, 100.0, 200, 320, 200);
  public static final DeviceInfo DEVICE = new DeviceInfo("Test", "Synthetic pad", "0001", "1.0");
  private static final long STEP_MICROS = 5_000;

  private SyntheticSignatures() {}

  /** Three cursive strokes with hovering between them, about 2 s in all. */
  public static SignatureCapture handwriting(double pressureScale) {
    List<PenSample> samples = new ArrayList<>();
    long[] time = {0};
    long[] sequence = {0};
    stroke(samples, time, sequence, 1500, 3000, 2200, 900, 3.0, 120, pressureScale);
    hover(samples, time, sequence, 3700, 3000, 15);
    stroke(samples, time, sequence, 3800, 3200, 2400, 700, 4.5, 140, pressureScale);
    hover(samples, time, sequence, 6200, 3400, 12);
    stroke(samples, time, sequence, 6300, 3100, 1600, 1100, 2.0, 90, pressureScale);
    return new SignatureCapture(DEVICE, PAD, Instant.parse("2026-11-24T02:00:00Z"), samples);
  }

  public static SignatureCapture of(List<PenSample> samples) {
    return new SignatureCapture(DEVICE, PAD, Instant.parse("2026-11-24T02:00:00Z"), samples);
  }

  private static void stroke(List<PenSample> samples, long[] time, long[] sequence, int x0, int y0, int length,
      int amplitude, double waves, int count, double pressureScale) {
    for (int i = 0; i < count; i++) {
      double t = i / (double) (count - 1);
      int x = (int) (x0 + length * t);
      int y = (int) (y0 + amplitude * Math.sin(2 * Math.PI * waves * t) * (0.6 + 0.4 * Math.cos(Math.PI * t)));
      int pressure = (int) Math.max(1, Math.min(1023, pressureScale * 1023 * Math.sin(Math.PI * Math.min(1, 0.05 + t))));
      samples.add(new PenSample(x, y, pressure, time[0], true, true, sequence[0]++));
      time[0] += STEP_MICROS;
    }
  }

  private static void hover(List<PenSample> samples, long[] time, long[] sequence, int x, int y, int count) {
    for (int i = 0; i < count; i++) {
      samples.add(new PenSample(x, y, 0, time[0], false, true, sequence[0]++));
      time[0] += STEP_MICROS;
    }
  }
}
