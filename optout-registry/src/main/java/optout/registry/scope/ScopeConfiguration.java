package optout.registry.scope;

import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The scopes and legal exemptions from {@code optout.registry.scopes} and {@code optout.registry.exemptions}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScopeConfiguration.Properties.class)
class ScopeConfiguration {

  @ConfigurationProperties("optout.registry")
  record Properties(List<ScopeProperties> scopes, List<ExemptionProperties> exemptions) {}

  record ScopeProperties(String code, String zh, String en, String fhirPurpose, boolean coversAll) {}

  record ExemptionProperties(String code, String zh, String en, String legalBasis, Set<String> scopes) {}

  @Bean
  ScopeCatalogue scopeCatalogue(Properties properties) {
    return new ScopeCatalogue(
        properties.scopes() == null ? List.of() : properties.scopes().stream()
            .map(s -> new Scope(s.code(), s.zh(), s.en(), s.fhirPurpose(), s.coversAll())).toList(),
        properties.exemptions() == null ? List.of() : properties.exemptions().stream()
            .map(e -> new LegalExemption(e.code(), e.zh(), e.en(), e.legalBasis(), e.scopes())).toList());
  }
}
