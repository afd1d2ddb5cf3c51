package optout.pad.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A captured handwritten signature: the device, what it measures, when the capture started, and every
 * sample in order, hovering ones included (their timing is part of how a person signs).
 */
public record SignatureCapture(DeviceInfo device, Capabilities capabilities, Instant startedAt, List<PenSample> samples) {

  public SignatureCapture {
    if (device == null || capabilities == null || startedAt == null || samples == null) {
      throw new IllegalArgumentException("Cannot make a capture: device, capabilities, start and samples are required");
    }
    samples = List.copyOf(samples);
    long previous = -1;
    boolean tilt = !samples.isEmpty() && samples.get(0).hasTilt();
    for (PenSample sample : samples) {
      if (sample.hasTilt() != tilt) {
        throw new IllegalArgumentException("Cannot make a capture: tilt is measured in every sample or in none");
      }
      if (sample.timeMicros() < previous) {
        throw new IllegalArgumentException("Cannot make a capture: sample times must not go backwards");
      }
      if (sample.x() > capabilities.width() || sample.y() > capabilities.height() || sample.pressure() > capabilities.maxPressure()) {
        throw new IllegalArgumentException("Cannot make a capture: a sample lies outside the pad's range");
      }
      previous = sample.timeMicros();
    }
  }

  /** The strokes: each run of touching samples. */
  public List<Stroke> strokes() {
    List<Stroke> strokes = new ArrayList<>();
    List<PenSample> current = new ArrayList<>();
    for (PenSample sample : samples) {
      if (sample.touching()) {
        current.add(sample);
      } else if (!current.isEmpty()) {
        strokes.add(new Stroke(current));
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      strokes.add(new Stroke(current));
    }
    return strokes;
  }

  /** Whether the device measured the pen's tilt (then every sample has it). */
  public boolean hasTilt() {
    return !samples.isEmpty() && samples.get(0).hasTilt();
  }

  /** From the first to the last sample, in microseconds. */
  public long durationMicros() {
    return samples.isEmpty() ? 0 : samples.get(samples.size() - 1).timeMicros() - samples.get(0).timeMicros();
  }
}
