package optout.pad.iso;

/**
 * The two-byte scaling value of an ISO/IEC 19794-7 channel description: how many record units make
 * one physical unit (units per millimetre, per second, per degree).
 *
 * <p>Layout as we read it from GOST R ISO/IEC 19794-7-2009 (an identical translation of ISO/IEC
 * 19794-7:2007), Annex B ({@code ScalingValue ::= SEQUENCE {exponent INTEGER (-16..15), fraction
 * INTEGER (0..2047)}}), and from two independent open-source readers (Innovery's bsi-core and a
 * Fraunhofer SIT parser), which both compute {@code 2^(E - 16) * (1 + F / 2^11)}: the top 5 bits hold
 * the exponent biased by 16, the low 11 bits the fraction of a mantissa between 1 and 2. ISO/IEC
 * 8825-6's illustrative ECN module for this format comments that the exponent is two's complement;
 * we follow the readers and the formula, and note the difference here.
 *
 * <p>So every value is positive: 0x0000 is 2^-16 and 0xFFFF is 65,520. A value has 12 significant
 * bits, so resolutions like 100 units/mm, 1,000 or 50,000 units/s are exact, while e.g. CSS pixels
 * per millimetre (3.7795...) are rounded to the nearest value.
 */
final class ScalingValue {

  /** The smallest value the field can hold. */
  static final double MIN = 0x1p-16;
  /** The largest value the field can hold: 2^15 * (1 + 2047/2048). */
  static final double MAX = 65_520.0;

  private ScalingValue() {}

  /** The nearest scaling value (ties away from zero), as an unsigned 16-bit field. */
  static int encode(double value) {
    if (!(value > 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException("Cannot encode a scaling value: it must be a positive finite number");
    }
    int exponent = Math.getExponent(value);
    double mantissa = Math.scalb(value, -exponent);
    long fraction = Math.round((mantissa - 1) * 2048);
    if (fraction == 2048) {
      exponent++;
      fraction = 0;
    }
    if (exponent < -16 || exponent > 15) {
      throw new IllegalArgumentException("Cannot encode a scaling value: it must lie between 2^-16 and 65,520");
    }
    return ((exponent + 16) << 11) | (int) fraction;
  }

  /** The value of an unsigned 16-bit field; exact, as every field value is a double. */
  static double decode(int field) {
    if (field < 0 || field > 0xFFFF) {
      throw new IllegalArgumentException("Cannot decode a scaling value: it is a 16-bit field");
    }
    int exponent = field >>> 11;
    int fraction = field & 0x7FF;
    return Math.scalb((double) (2048 + fraction), exponent - 16 - 11);
  }
}
