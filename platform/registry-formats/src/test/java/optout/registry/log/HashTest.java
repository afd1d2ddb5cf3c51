package optout.registry.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HashTest {

  /** SHA-256 of no bytes, known from FIPS 180 test data and RFC 6962's empty tree. */
  private static final String EMPTY_HEX = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String EMPTY_BASE64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";

  @Test
  void hexAndBase64DescribeTheSameBytes() {
    Hash hash = Hash.fromHex(EMPTY_HEX);
    assertThat(hash.hex()).isEqualTo(EMPTY_HEX);
    assertThat(hash.base64()).isEqualTo(EMPTY_BASE64);
    assertThat(Hash.fromBase64(EMPTY_BASE64)).isEqualTo(hash);
    assertThat(Hash.fromHex(EMPTY_HEX.toUpperCase())).isEqualTo(hash);
    assertThat(hash).hasToString(EMPTY_HEX);
  }

  @Test
  void isImmutableWhateverTheCallerDoesWithArrays() {
    byte[] input = new byte[32];
    Hash hash = Hash.of(input);
    input[0] = 1;
    byte[] output = hash.bytes();
    output[1] = 1;
    assertThat(hash.bytes()).isEqualTo(new byte[32]);
  }

  @Test
  void equalsAndHashCodeFollowTheBytes() {
    byte[] bytes = new byte[32];
    bytes[31] = 7;
    byte[] other = bytes.clone();
    other[31] = 8;
    assertThat(Hash.of(bytes)).isEqualTo(Hash.of(bytes.clone())).hasSameHashCodeAs(Hash.of(bytes.clone()));
    assertThat(Hash.of(bytes)).isNotEqualTo(Hash.of(other)).isNotEqualTo(null).isNotEqualTo(bytes);
  }

  @Test
  void refusesAnythingButThirtyTwoBytes() {
    assertThatThrownBy(() -> Hash.of(new byte[31]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot make a hash: it has 31 bytes, a SHA-256 hash has 32");
    assertThatThrownBy(() -> Hash.fromHex(EMPTY_HEX + "00")).hasMessageContaining("66 hex digits");
    assertThatThrownBy(() -> Hash.fromHex(EMPTY_HEX.replace('e', 'g'))).hasMessage("Cannot make a hash: the text is not hexadecimal");
    assertThatThrownBy(() -> Hash.fromBase64("AAAA")).hasMessage("Cannot make a hash: it has 3 bytes, a SHA-256 hash has 32");
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",     // no padding
    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFV=",    // unused bits not zero
    "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU=",    // URL alphabet
    "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",  // trailing newline
    " 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=",   // leading space
  })
  void refusesNonCanonicalBase64(String text) {
    assertThatThrownBy(() -> Hash.fromBase64(text)).hasMessage("Cannot make a hash: the text is not canonical base64");
  }
}
