package optout.pad.quality;

import java.util.ArrayList;
import java.util.List;
import optout.pad.api.PenSample;
import optout.pad.api.SignatureCapture;

/**
 * Refuses captures a clerk should not accept, before the form is sealed. It judges only whether the
 * capture can be a signature at all (the pen was down, long enough, large enough, moving); it does not
 * and cannot verify whose signature it is.
 */
public final class QualityGate {

  /**
   * The limits. The defaults are deliberately lenient: a short signature or a seal-like mark written
   * by an elderly citizen must pass; what fails is an accidental tap or an empty pad.
   *
   * @param minimumTouchingSamples touching samples needed
   * @param minimumDurationMillis from the first to the last touching sample
   * @param minimumWidthMillimetres or {@code minimumHeightMillimetres}: the signature's extent on the pad
   */
  public record Limits(int minimumTouchingSamples, long minimumDurationMillis, double minimumWidthMillimetres,
      double minimumHeightMillimetres) {

    public static final Limits DEFAULT = new Limits(30, 300, 10.0, 5.0);

    public Limits {
      if (minimumTouchingSamples < 2 || minimumDurationMillis < 0 || minimumWidthMillimetres < 0 || minimumHeightMillimetres < 0) {
        throw new IllegalArgumentException("Cannot use the quality limits: they must be positive and ask for two samples at least");
      }
    }
  }

  /** The verdict: accepted when there is no issue. */
  public record Verdict(List<QualityIssue> issues) {
    public Verdict {
      issues = List.copyOf(issues);
    }

    public boolean accepted() {
      return issues.isEmpty();
    }
  }

  private final Limits limits;

  public QualityGate(Limits limits) {
    this.limits = limits;
  }

  public static QualityGate withDefaults() {
    return new QualityGate(Limits.DEFAULT);
  }

  public Verdict check(SignatureCapture capture) {
    List<PenSample> touching = capture.samples().stream().filter(PenSample::touching).toList();
    List<QualityIssue> issues = new ArrayList<>();
    if (touching.isEmpty()) {
      return new Verdict(List.of(QualityIssue.PEN_NEVER_DOWN));
    }
    if (touching.size() < limits.minimumTouchingSamples()) {
      issues.add(QualityIssue.TOO_FEW_POINTS);
    }
    long durationMicros = touching.get(touching.size() - 1).timeMicros() - touching.get(0).timeMicros();
    if (durationMicros < limits.minimumDurationMillis() * 1000) {
      issues.add(QualityIssue.TOO_SHORT);
    }
    int minX = Integer.MAX_VALUE;
    int maxX = Integer.MIN_VALUE;
    int minY = Integer.MAX_VALUE;
    int maxY = Integer.MIN_VALUE;
    for (PenSample sample : touching) {
      minX = Math.min(minX, sample.x());
      maxX = Math.max(maxX, sample.x());
      minY = Math.min(minY, sample.y());
      maxY = Math.max(maxY, sample.y());
    }
    if (minX == maxX && minY == maxY) {
      issues.add(QualityIssue.ALL_POINTS_IDENTICAL);
    } else {
      double unitsPerMm = capture.capabilities().unitsPerMillimetre();
      double widthMm = (maxX - minX) / unitsPerMm;
      double heightMm = (maxY - minY) / unitsPerMm;
      if (widthMm < limits.minimumWidthMillimetres() && heightMm < limits.minimumHeightMillimetres()) {
        issues.add(QualityIssue.TOO_SMALL);
      }
    }
    return new Verdict(issues);
  }
}
