package optout.pad.api;

/**
 * Reports lost between the device and us, seen as skipped sequence numbers. A capture with gaps is still
 * returned (the samples it has are genuine); the gaps are reported so that nobody mistakes it for a
 * complete recording.
 *
 * @param afterSequence the last sequence number received before the gap
 * @param missing how many reports were lost
 * @param atTimeMicros the capture time of the first sample after the gap
 */
public record SequenceGap(long afterSequence, long missing, long atTimeMicros) {

  public SequenceGap {
    if (missing <= 0) {
      throw new IllegalArgumentException("Cannot report a gap: at least one report must be missing");
    }
  }
}
