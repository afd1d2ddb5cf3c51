package optout.registry.exemption;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import optout.platform.security.ApiAuthorization;
import optout.registry.scope.LegalExemption;
import optout.registry.scope.ScopeCatalogue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Auditors grant and revoke legal exemptions to releasing services; anyone can read which service holds
 * which exemption, on what approval, and how often it was used (the public register of exemptions).
 */
@RestController
@Validated
@Tag(name = "legal exemptions")
class ExemptionController {

  static final String EXEMPTIONS = "/api/v1/exemptions";

  record DecisionRequest(
      @NotBlank @Pattern(regexp = "[a-z][a-z0-9-]{2,63}", message = "must be a service's client ID") String grantee,
      @NotBlank @Size(min = 3, max = 300) String approvalReference) {}

  record DecisionView(String exemption, String grantee, String action, String approvalReference, Instant decidedAt) {}

  record ExemptionView(String code, String traditionalChinese, String english, String legalBasis, List<String> scopes,
      List<String> grantedTo, long uses, Instant lastUsedAt, List<DecisionView> decisions) {}

  private final ExemptionGrants grants;
  private final ScopeCatalogue catalogue;

  ExemptionController(ExemptionGrants grants, ScopeCatalogue catalogue) {
    this.grants = grants;
    this.catalogue = catalogue;
  }

  @PostMapping(EXEMPTIONS + "/{code}/grants")
  @Operation(summary = "Grant a legal exemption to a releasing service, citing the act that approved it (auditors)")
  ResponseEntity<DecisionView> grant(@PathVariable @Pattern(regexp = "[a-z][a-z0-9-]{0,63}") String code,
      @Valid @RequestBody DecisionRequest request, JwtAuthenticationToken auditor) {
    return created(grants.grant(code, request.grantee(), request.approvalReference(), auditor.getToken().getSubject()));
  }

  @PostMapping(EXEMPTIONS + "/{code}/revocations")
  @Operation(summary = "Revoke a service's grant of a legal exemption (auditors)")
  ResponseEntity<DecisionView> revoke(@PathVariable @Pattern(regexp = "[a-z][a-z0-9-]{0,63}") String code,
      @Valid @RequestBody DecisionRequest request, JwtAuthenticationToken auditor) {
    return created(grants.revoke(code, request.grantee(), request.approvalReference(), auditor.getToken().getSubject()));
  }

  @GetMapping(EXEMPTIONS)
  @Operation(summary = "Every legal exemption: its basis, the services that may invoke it, its decisions and how often it was used (public)")
  List<ExemptionView> register() {
    List<DecisionView> decisions = grants.decisions().stream().map(ExemptionController::view).toList();
    Map<String, ExemptionGrants.Uses> uses = grants.uses();
    return catalogue.exemptions().stream().map(exemption -> register(exemption, decisions, uses.get(exemption.code()))).toList();
  }

  private ExemptionView register(LegalExemption exemption, List<DecisionView> all, ExemptionGrants.Uses uses) {
    List<DecisionView> decisions = all.stream().filter(d -> d.exemption().equals(exemption.code())).toList();
    // decisions come oldest first: the latest for each grantee holds
    Map<String, String> latest = new TreeMap<>();
    decisions.forEach(d -> latest.put(d.grantee(), d.action()));
    List<String> grantedTo = latest.entrySet().stream().filter(e -> e.getValue().equals("grant")).map(Map.Entry::getKey).toList();
    return new ExemptionView(exemption.code(), exemption.traditionalChinese(), exemption.english(), exemption.legalBasis(),
        exemption.scopes().stream().sorted().toList(), grantedTo, uses == null ? 0 : uses.count(), uses == null ? null : uses.lastUsedAt(),
        decisions);
  }

  private static ResponseEntity<DecisionView> created(ExemptionGrants.Decision decision) {
    return ResponseEntity.created(URI.create(EXEMPTIONS)).body(view(decision));
  }

  /** Without the deciding auditor's account: the register is public. */
  private static DecisionView view(ExemptionGrants.Decision decision) {
    return new DecisionView(decision.exemption(), decision.grantee(), decision.action(), decision.approvalReference(), decision.decidedAt());
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization exemptionAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.GET, EXEMPTIONS).permitAll()
          .requestMatchers(HttpMethod.POST, EXEMPTIONS + "/*/grants", EXEMPTIONS + "/*/revocations").hasAnyAuthority(authorities(AUDITOR));
    }
  }
}
