package optout.pad.api;

/**
 * One report of the pen: position and pressure in the device's own units, the time since the capture
 * started, whether the pen touches the surface or only hovers in range, and the device's sequence
 * number where it has one. Samples are kept exactly as the device reported them.
 *
 * @param x horizontal position, 0 to {@link Capabilities#width()}
 * @param y vertical position, 0 to {@link Capabilities#height()}, growing downwards
 * @param pressure 0 to {@link Capabilities#maxPressure()}
 * @param timeMicros microseconds since the capture started (monotonic)
 * @param touching the pen touches the surface
 * @param inRange the pen is close enough to be tracked (always true while touching)
 * @param sequence the device's sequence number, or {@link #NO_SEQUENCE}
 */
public record PenSample(int x, int y, int pressure, long timeMicros, boolean touching, boolean inRange, long sequence) {

  public static final long NO_SEQUENCE = -1;

  public PenSample {
    if (x < 0 || y < 0 || pressure < 0) {
      throw new IllegalArgumentException("Cannot record a pen sample: position and pressure cannot be negative");
    }
    if (timeMicros < 0) {
      throw new IllegalArgumentException("Cannot record a pen sample: its time cannot lie before the capture started");
    }
    if (touching && !inRange) {
      throw new IllegalArgumentException("Cannot record a pen sample: a pen that touches is in range");
    }
  }
}
