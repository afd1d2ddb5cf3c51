package optout.pad.api;

/**
 * One report of the pen: position and pressure in the device's own units, the time since the capture
 * started, whether the pen touches the surface or only hovers in range, and the device's sequence
 * number where it has one, and the pen's tilt where the device measures it (pens on tablets and phones;
 * Wacom STU pads do not). Samples are kept exactly as the device reported them.
 *
 * @param x horizontal position, 0 to {@link Capabilities#width()}
 * @param y vertical position, 0 to {@link Capabilities#height()}, growing downwards
 * @param pressure 0 to {@link Capabilities#maxPressure()}
 * @param timeMicros microseconds since the capture started (monotonic)
 * @param touching the pen touches the surface
 * @param inRange the pen is close enough to be tracked (always true while touching)
 * @param sequence the device's sequence number, or {@link #NO_SEQUENCE}
 * @param tiltX the pen's tilt towards positive x in degrees, -90 to 90 (Pointer Events' {@code tiltX}), or
 *     {@link #NO_TILT}
 * @param tiltY the pen's tilt towards positive y in degrees, -90 to 90, or {@link #NO_TILT}
 */
public record PenSample(int x, int y, int pressure, long timeMicros, boolean touching, boolean inRange, long sequence,
    int tiltX, int tiltY) {

  public static final long NO_SEQUENCE = -1;
  /** The device does not measure tilt. */
  public static final int NO_TILT = Integer.MIN_VALUE;

  /** A sample from a device that does not measure tilt. */
  public PenSample(int x, int y, int pressure, long timeMicros, boolean touching, boolean inRange, long sequence) {
    this(x, y, pressure, timeMicros, touching, inRange, sequence, NO_TILT, NO_TILT);
  }

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
    if ((tiltX == NO_TILT) != (tiltY == NO_TILT)) {
      throw new IllegalArgumentException("Cannot record a pen sample: tilt is measured on both axes or on none");
    }
    if (tiltX != NO_TILT && (Math.abs(tiltX) > 90 || Math.abs(tiltY) > 90)) {
      throw new IllegalArgumentException("Cannot record a pen sample: tilt must lie between -90 and 90 degrees");
    }
  }

  /** Whether the device measured the pen's tilt for this sample. */
  public boolean hasTilt() {
    return tiltX != NO_TILT;
  }
}
