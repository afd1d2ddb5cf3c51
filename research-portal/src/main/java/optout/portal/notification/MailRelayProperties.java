package optout.portal.notification;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The e-mail relay's settings ({@code optout.portal.mail.*}); the SMTP server itself is Spring Boot's
 * {@code spring.mail.*}, and the relay runs only when {@code spring.mail.host} is set.
 *
 * @param from the sender address (required once the relay runs)
 * @param interval how often the relay looks for due e-mail
 * @param firstRetry the wait after a first failed attempt; it doubles with every further failure ...
 * @param maxBackoff ... up to this
 * @param batch at most this many e-mails per round
 * @param keycloakClientId the confidential client whose service account may only view users (realm-management {@code view-users})
 * @param keycloakClientSecret its secret, or {@code keycloakClientSecretFile} holding it (outside git)
 */
@ConfigurationProperties("optout.portal.mail")
record MailRelayProperties(
    String from,
    @DefaultValue("10s") Duration interval,
    @DefaultValue("30s") Duration firstRetry,
    @DefaultValue("1h") Duration maxBackoff,
    @DefaultValue("20") int batch,
    @DefaultValue("optout-portal-mailer") String keycloakClientId,
    String keycloakClientSecret,
    Path keycloakClientSecretFile) {

  MailRelayProperties {
    if (interval.compareTo(Duration.ofMillis(100)) < 0 || firstRetry.isNegative() || maxBackoff.compareTo(firstRetry) < 0 || batch < 1) {
      throw new IllegalArgumentException("Cannot start the portal: optout.portal.mail needs an interval of at least 100ms, a first retry"
          + " of at least 0, a max-backoff of at least the first retry and a batch of at least 1");
    }
  }

  /** The client secret, from the setting or its file; refuses to start the relay without one. */
  String secret() {
    String secret = keycloakClientSecret;
    if ((secret == null || secret.isBlank()) && keycloakClientSecretFile != null) {
      try {
        secret = Files.readString(keycloakClientSecretFile, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot start the e-mail relay: cannot read optout.portal.mail.keycloak-client-secret-file", e);
      }
    }
    if (secret == null || secret.isBlank()) {
      throw new IllegalStateException("Cannot start the e-mail relay: spring.mail.host is set but neither"
          + " optout.portal.mail.keycloak-client-secret nor -file is: the relay looks addresses up in Keycloak");
    }
    return secret.strip();
  }

  /** The wait before the next attempt after {@code failures} failed ones: doubling from the first retry, capped. */
  Duration backoff(int failures) {
    Duration wait = firstRetry;
    for (int i = 1; i < failures && wait.compareTo(maxBackoff) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
  }
}
