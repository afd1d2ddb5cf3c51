package optout.portal.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The relay's settings: the backoff doubles and stops at its cap; the secret comes from the setting or its file, never from nowhere. */
class MailRelayPropertiesTest {

  @TempDir Path directory;

  private static MailRelayProperties settings(Duration first, Duration max, String secret, Path secretFile) {
    return new MailRelayProperties("portal@example.test", Duration.ofSeconds(10), first, max, 20, "optout-portal-mailer", secret, secretFile);
  }

  @Test
  void theWaitDoublesFromTheFirstRetryUpToTheCap() {
    MailRelayProperties settings = settings(Duration.ofSeconds(30), Duration.ofMinutes(5), "s", null);
    assertThat(settings.backoff(1)).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.backoff(2)).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.backoff(4)).isEqualTo(Duration.ofSeconds(240));
    assertThat(settings.backoff(5)).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void theSecretComesFromTheSettingOrItsFile() throws Exception {
    assertThat(settings(Duration.ofSeconds(1), Duration.ofSeconds(2), "from-setting", null).secret()).isEqualTo("from-setting");
    Path file = Files.writeString(directory.resolve("secret"), "from-file\n");
    assertThat(settings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, file).secret()).isEqualTo("from-file");
    assertThatThrownBy(() -> settings(Duration.ofSeconds(1), Duration.ofSeconds(2), " ", null).secret())
        .hasMessageContaining("keycloak-client-secret");
    assertThatThrownBy(() -> settings(Duration.ofSeconds(1), Duration.ofSeconds(2), null, directory.resolve("missing")).secret())
        .hasMessageContaining("keycloak-client-secret-file");
  }

  @Test
  void nonsenseSettingsAreRefusedAtStart() {
    assertThatThrownBy(() -> settings(Duration.ofMinutes(2), Duration.ofMinutes(1), "s", null)).hasMessageContaining("max-backoff");
    assertThatThrownBy(() -> new MailRelayProperties("a@b", Duration.ZERO, Duration.ZERO, Duration.ZERO, 20, "c", "s", null))
        .hasMessageContaining("interval");
  }
}
