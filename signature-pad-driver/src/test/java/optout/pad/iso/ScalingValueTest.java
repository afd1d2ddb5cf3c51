package optout.pad.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scaling value against fields worked out by hand: value = 2^(E - 16) * (1 + F / 2048), E the top
 * 5 bits, F the low 11 bits.
 */
class ScalingValueTest {

  @ParameterizedTest(name = "{0} <-> 0x{1}")
  @CsvSource({
      // 1 = 2^0 * 1: E = 16 (10000), F = 0
      "1.0, 8000",
      // 0.5 = 2^-1 * 1: E = 15 (01111), F = 0
      "0.5, 7800",
      // 100 = 2^6 * 1.5625: E = 22 (10110), F = 0.5625 * 2048 = 1152 (100 1000 0000) -> 1011 0100 1000 0000
      "100.0, B480",
      // 1000 = 2^9 * 1.953125: E = 25 (11001), F = 1952 (111 1010 0000) -> 1100 1111 1010 0000
      "1000.0, CFA0",
      // 10000 = 2^13 * 1.220703125: E = 29 (11101), F = 452 (001 1100 0100) -> 1110 1001 1100 0100
      "10000.0, E9C4",
      // 50000 = 2^15 * 1.52587890625: E = 31 (11111), F = 1077 (100 0011 0101) -> 1111 1100 0011 0101
      "50000.0, FC35",
      // the extremes: 2^-16 and 2^15 * (1 + 2047/2048)
      "0.0000152587890625, 0000",
      "65520.0, FFFF",
  })
  void exactValuesEncodeAndDecodeAsWorkedOutByHand(double value, String hex) {
    int field = Integer.parseInt(hex, 16);
    assertThat(ScalingValue.encode(value)).isEqualTo(field);
    assertThat(ScalingValue.decode(field)).isEqualTo(value);
  }

  @ParameterizedTest(name = "{0} -> 0x{1} = {2}")
  @CsvSource({
      // CSS pixels per mm, 96 / 25.4 = 3.7795...: 2^1 * 1.88976...; F = 0.88976 * 2048 = 1822.2 -> 1822
      // E = 17 -> 1000 1111 0001 1110; decodes as 2 * (1 + 1822/2048) = 3.779296875
      "3.7795275590551185, 8F1E, 3.779296875",
      // 2540 lines per inch = 100 / mm exactly, so a Wacom STU is exact; 1000 / 25.4 = 39.37...:
      // 2^5 * 1.23031; F = 0.23031 * 2048 = 471.7 -> 472, E = 21 -> 1010 1001 1101 1000 = 39.375
      "39.37007874015748, A9D8, 39.375",
      // a mantissa that rounds up to 2 moves to the next exponent: 1.99999 -> 2^1 * 1
      "1.99999, 8800, 2.0",
  })
  void inexactValuesRoundToTheNearestField(double value, String hex, double decoded) {
    int field = Integer.parseInt(hex, 16);
    assertThat(ScalingValue.encode(value)).isEqualTo(field);
    assertThat(ScalingValue.decode(field)).isEqualTo(decoded);
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -1.0, 65_600.0, 0x1p-17, Double.NaN, Double.POSITIVE_INFINITY})
  void valuesTheFieldCannotHoldAreRefused(double value) {
    assertThatThrownBy(() -> ScalingValue.encode(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot encode a scaling value: ");
  }

  @ParameterizedTest
  @ValueSource(longs = {1000, 500, 250, 200, 100, 50, 40, 25, 20})
  void everyTimeUnitTheCodecUsesIsExact(long unitMicros) {
    double perSecond = 1e6 / unitMicros;
    assertThat(ScalingValue.decode(ScalingValue.encode(perSecond))).isEqualTo(perSecond);
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 0x10000})
  void fieldsBeyondSixteenBitsAreRefused(int field) {
    assertThatThrownBy(() -> ScalingValue.decode(field)).hasMessage("Cannot decode a scaling value: it is a 16-bit field");
  }
}
