package optout.witness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import optout.registry.log.Ed25519CosignatureSigner;
import optout.witness.keys.WitnessKeyFile;
import optout.witness.protocol.KnownLogs;
import optout.witness.protocol.Witness;
import optout.witness.state.WitnessState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The registry's witness: the oversight body's process that cosigns the registry's checkpoints
 * (c2sp.org/tlog-witness). Its own key, its own state in files, no database and no login: the protocol
 * needs none, a submission is only as good as the log's signature on it.
 *
 * <p>The exclusions keep it this small when it shares a classpath (the registry's integration tests start
 * one in their JVM): no data source, no migrations, no Spring Security.
 */
@SpringBootApplication(excludeName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.JdbcClientAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.health.DataSourceHealthContributorAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.metrics.DataSourcePoolMetricsAutoConfiguration",
    "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
    "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
    "org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
    "org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration"})
@EnableConfigurationProperties(WitnessProperties.class)
public class WitnessApplication {

  private static final Logger log = LoggerFactory.getLogger(WitnessApplication.class);

  public static void main(String[] args) {
    SpringApplication.run(WitnessApplication.class, args);
  }

  @Bean
  Witness witness(WitnessProperties properties) throws IOException {
    Clock clock = Clock.systemUTC();
    Ed25519CosignatureSigner cosigner = properties.createSigningKey()
        ? WitnessKeyFile.createIfMissing(properties.signingKeyFile(), properties.name(), clock)
        : WitnessKeyFile.load(properties.signingKeyFile(), clock);
    if (!cosigner.keyName().equals(properties.name())) {
      throw new IOException("The witness's key is named " + cosigner.keyName() + ", but optout.witness.name is " + properties.name());
    }
    List<String> entries = new ArrayList<>(properties.logs());
    if (properties.logsFile() != null) {
      entries.addAll(Files.readAllLines(properties.logsFile(), StandardCharsets.UTF_8));
    }
    KnownLogs logs = KnownLogs.parse(entries);
    if (logs.isEmpty()) {
      log.warn("The witness knows no log (optout.witness.logs, OPTOUT_WITNESS_LOGS or _LOGS_FILE): it refuses every checkpoint");
    }
    // Its name and key ID only: the key itself is published at GET /verifier-key, not written to logs.
    log.info("The witness {} (key ID {}) witnesses {} log(s)", cosigner.keyName(), String.format("%08x", cosigner.keyId()),
        logs.origins().size());
    return new Witness(logs, cosigner, new WitnessState(properties.stateDirectory()), clock);
  }
}
