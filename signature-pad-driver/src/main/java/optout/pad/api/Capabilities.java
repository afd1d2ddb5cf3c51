package optout.pad.api;

/**
 * What a pad measures and shows.
 *
 * @param width largest x, in device units
 * @param height largest y, in device units
 * @param maxPressure largest pressure value
 * @param unitsPerMillimetre device units per millimetre (the same on both axes)
 * @param samplesPerSecond the nominal sampling rate
 * @param screenWidth the pad's screen in pixels (0 if it has none)
 * @param screenHeight the pad's screen in pixels (0 if it has none)
 */
public record Capabilities(int width, int height, int maxPressure, double unitsPerMillimetre, int samplesPerSecond,
    int screenWidth, int screenHeight) {

  public Capabilities {
    if (width <= 0 || height <= 0 || maxPressure <= 0 || !(unitsPerMillimetre > 0) || samplesPerSecond <= 0) {
      throw new IllegalArgumentException("Cannot describe a pad: size, pressure range, resolution and sampling rate must be positive");
    }
    if (screenWidth < 0 || screenHeight < 0) {
      throw new IllegalArgumentException("Cannot describe a pad: its screen size cannot be negative");
    }
  }
}
