package optout.platform.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogMaskingTest {

  @Test
  void masksNationalIdsAndResidentCertificateNumbersOfBothFormats() {
    assertThat(LogMasking.mask("lookup for A123456789 failed")).isEqualTo("lookup for [person-id] failed");
    assertThat(LogMasking.mask("F234567890,AC01234567;A800000014")).isEqualTo("[person-id],[person-id];[person-id]");
    assertThat(LogMasking.mask("id=a123456789")).isEqualTo("id=[person-id]");
  }

  @Test
  void leavesOtherNumbersAlone() {
    assertThat(LogMasking.mask("order A12345678 of 2026")).isEqualTo("order A12345678 of 2026");
    assertThat(LogMasking.mask("A1234567890 is eleven characters")).isEqualTo("A1234567890 is eleven characters");
    assertThat(LogMasking.mask("A323456789 has no valid second digit")).isEqualTo("A323456789 has no valid second digit");
    assertThat(LogMasking.mask("visit 20261124 at 0900")).isEqualTo("visit 20261124 at 0900");
  }

  @Test
  void masksTokensAndSecrets() {
    String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    assertThat(LogMasking.mask("got " + jwt + " from client")).isEqualTo("got [token] from client");
    assertThat(LogMasking.mask("Authorization: Bearer abc.def-ghi")).isEqualTo("Authorization: Bearer [token]");
    assertThat(LogMasking.mask("password=hunter2 user=x")).isEqualTo("password=[secret] user=x");
    assertThat(LogMasking.mask("{\"client_secret\": \"s3cr3t\"}")).isEqualTo("{\"client_secret\": \"[secret]\"}");
  }

  @Test
  void passesNullAndEmptyThrough() {
    assertThat(LogMasking.mask(null)).isNull();
    assertThat(LogMasking.mask("")).isEmpty();
  }
}
