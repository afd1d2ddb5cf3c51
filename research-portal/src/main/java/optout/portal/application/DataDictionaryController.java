package optout.portal.application;

import static optout.platform.security.PlatformRole.RESEARCHER;
import static optout.platform.security.PlatformRole.REVIEWER;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import optout.platform.security.ApiAuthorization;
import optout.warehouse.spec.DataDictionary;
import optout.warehouse.spec.ExtractSpec;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What an application may ask for: the warehouse's tables and columns, each marked identifying, quasi-identifying or not; and the purposes. */
@RestController
@Tag(name = "applications")
class DataDictionaryController {

  static final String PATH = "/api/v1/data-dictionary";

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization dataDictionaryAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, PATH).hasAnyAuthority(authorities(RESEARCHER, REVIEWER));
    }
  }

  record ColumnView(String name, String description, String identification, boolean needsJustification) {}

  record TableView(String name, String description, List<ColumnView> columns) {}

  record DictionaryView(List<String> purposes, List<TableView> tables) {}

  @GetMapping(PATH)
  @Operation(summary = "The data dictionary and the purposes (registry scopes) an application may name")
  DictionaryView dictionary() {
    return new DictionaryView(ExtractSpec.PURPOSES.stream().sorted().toList(), DataDictionary.tables().stream()
        .map(t -> new TableView(t.name(), t.description(), DataDictionary.columnOrder(t.name()).stream()
            .map(c -> t.columns().get(c))
            .map(c -> new ColumnView(c.name(), c.description(), c.kind().identification().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
                c.kind().identification() != DataDictionary.Identification.NONE))
            .toList()))
        .toList());
  }
}
