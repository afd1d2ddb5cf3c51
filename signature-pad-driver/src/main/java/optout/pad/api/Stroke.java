package optout.pad.api;

import java.util.List;

/** One continuous line: the samples from pen-down to pen-up. */
public record Stroke(List<PenSample> samples) {

  public Stroke {
    if (samples == null || samples.isEmpty() || samples.stream().anyMatch(s -> !s.touching())) {
      throw new IllegalArgumentException("Cannot make a stroke: it needs touching samples only, at least one");
    }
    samples = List.copyOf(samples);
  }
}
