package optout.platform.requestid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

  @Test
  void keepsAWellFormedCallerId() {
    assertThat(RequestIds.acceptOrCreate("counter-7.0001_x")).isEqualTo("counter-7.0001_x");
  }

  @Test
  void replacesMissingOddOrOversizedIds() {
    for (String bad : new String[] {null, "", "short", "has space in it", "line\nbreak-123", "a".repeat(65), "é-accented-id"}) {
      assertThat(RequestIds.acceptOrCreate(bad)).as(String.valueOf(bad)).matches("[0-9a-f-]{36}");
    }
  }
}
