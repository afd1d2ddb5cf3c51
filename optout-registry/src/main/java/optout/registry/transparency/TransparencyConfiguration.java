package optout.registry.transparency;

import java.io.IOException;
import optout.registry.log.MerkleLog;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The log over PostgreSQL and the registry's keys. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({LogProperties.class, WitnessProperties.class})
class TransparencyConfiguration {

  @Bean
  RegistryLogKeys registryLogKeys(LogProperties properties) throws IOException {
    return RegistryLogKeys.load(properties.signingKeyFile(), properties.origin(), properties.createSigningKey());
  }

  @Bean
  MerkleLog merkleLog(JdbcClient jdbc, JdbcTemplate template) {
    return new MerkleLog(new JdbcNodeStore(jdbc, template));
  }
}
