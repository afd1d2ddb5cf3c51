package optout.trustcentre.citizen;

import static optout.platform.security.PlatformRole.CITIZEN;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.security.GeneralSecurityException;
import optout.platform.identity.CallerIdentities;
import optout.platform.security.ApiAuthorization;
import optout.pseudonymizer.custody.KeyCustody;
import optout.pseudonymizer.id.PersonId;
import optout.pseudonymizer.pseudonym.WarehousePseudonymizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** A citizen's own warehouse pseudonym, for the registry and the portal to find their records. */
@RestController
@Tag(name = "citizen")
class CitizenPseudonymController {

  static final String PATH = "/api/v1/citizens/me/pseudonym";

  record CitizenPseudonym(long pseudonym, int keyVersion) {}

  private final CallerIdentities identities;
  private final KeyCustody custody;

  CitizenPseudonymController(CallerIdentities identities, KeyCustody custody) {
    this.identities = identities;
    this.custody = custody;
  }

  @GetMapping(PATH)
  @Operation(summary = "The caller's own warehouse (layer-1) pseudonym; the ID comes from their identity, never from the request")
  CitizenPseudonym mine(JwtAuthenticationToken caller) throws GeneralSecurityException {
    PersonId person = identities.personId(caller);
    WarehousePseudonymizer warehouse = custody.warehousePseudonymizer();
    return new CitizenPseudonym(warehouse.pseudonym(person), warehouse.keyVersion());
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization citizenPseudonymAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, PATH).hasAnyAuthority(authorities(CITIZEN));
    }
  }
}
