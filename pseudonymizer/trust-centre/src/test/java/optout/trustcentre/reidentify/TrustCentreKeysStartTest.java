package optout.trustcentre.reidentify;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The trust centre does not start without the sealed re-identification keys (its only keys), and says why. */
class TrustCentreKeysStartTest {

  @Test
  void withoutTheSealedReidentificationKeysItDoesNotStart() {
    assertThatThrownBy(() -> new ReidentificationService(null, null, null, Clock.systemUTC(), Duration.ofDays(7), ""))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("set OPTOUT_REIDENTIFICATION_KEYS");
    assertThatThrownBy(() -> new ReidentificationService(null, null, null, Clock.systemUTC(), Duration.ofDays(7), "/nonexistent/reidentification.bcfks"))
        .isInstanceOf(NoSuchFileException.class).hasMessageContaining("./optout keys reidentification-seal");
  }
}
