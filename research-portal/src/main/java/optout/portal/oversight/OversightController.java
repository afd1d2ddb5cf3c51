package optout.portal.oversight;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import optout.portal.registrylog.RegistryLogProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The oversight console's API (issue 17, item 5), auditors only: one search over every service's audit
 * events with filters and CSV export, the registry checkpoints the platform relied on with their witness
 * cosignatures (and a relay of the registry's public consistency proofs for the page to check), and the
 * evidence bundle of any delivered extract.
 */
@RestController
@Validated
@EnableConfigurationProperties(OversightProperties.class)
class OversightController {

  static final String OVERSIGHT = "/api/v1/oversight";

  record SearchView(List<AuditEvent> events, List<AuditSearch.SourceStatus> sources, boolean truncated, List<String> services,
      List<String> kinds) {}

  record ConsistencyView(long from, long to, List<String> path) {}

  private final AuditSearch search;
  private final CheckpointHistory checkpoints;
  private final EvidenceBundle bundles;
  private final RegistryLogProperties registry;
  private final ServiceClient client;
  private final JsonMapper json;

  OversightController(AuditSearch search, CheckpointHistory checkpoints, EvidenceBundle bundles, RegistryLogProperties registry,
      OversightProperties properties, JsonMapper json) {
    this.search = search;
    this.checkpoints = checkpoints;
    this.bundles = bundles;
    this.registry = registry;
    this.client = new ServiceClient(properties.timeout());
    this.json = json;
  }

  @GetMapping(OVERSIGHT + "/events")
  @Operation(summary = "Audit events of every service (or of those named), newest first, filtered by time, kind and words")
  ResponseEntity<SearchView> events(JwtAuthenticationToken caller,
      @RequestParam Optional<Instant> from,
      @RequestParam Optional<Instant> to,
      @RequestParam(required = false) @Size(max = 5) List<@Pattern(regexp = "[a-z-]{1,32}") String> service,
      @RequestParam(required = false) @Size(max = 20) List<@Pattern(regexp = "[a-z-]{1,32}") String> kind,
      @RequestParam Optional<@Size(max = 100) String> q,
      @RequestParam(defaultValue = "500") @Min(1) @Max(5000) int limit) {
    AuditSearch.Result result = search.search(query(from, to, service, kind, q, limit), caller.getToken().getTokenValue());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore())
        .body(new SearchView(result.events(), result.sources(), result.truncated(), search.services(), AuditKinds.ALL));
  }

  @GetMapping(OVERSIGHT + "/events.csv")
  @Operation(summary = "The same search as CSV (RFC 4180); the sources' state in the header Audit-Sources")
  ResponseEntity<String> csv(JwtAuthenticationToken caller,
      @RequestParam Optional<Instant> from,
      @RequestParam Optional<Instant> to,
      @RequestParam(required = false) @Size(max = 5) List<@Pattern(regexp = "[a-z-]{1,32}") String> service,
      @RequestParam(required = false) @Size(max = 20) List<@Pattern(regexp = "[a-z-]{1,32}") String> kind,
      @RequestParam Optional<@Size(max = 100) String> q,
      @RequestParam(defaultValue = "5000") @Min(1) @Max(50000) int limit) {
    AuditSearch.Result result = search.search(query(from, to, service, kind, q, limit), caller.getToken().getTokenValue());
    String sources = String.join(", ", result.sources().stream().map(s -> s.service() + "=" + s.status()).toList());
    return ResponseEntity.ok().cacheControl(CacheControl.noStore())
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"audit-events.csv\"")
        .header("Audit-Sources", sources)
        .header("Audit-Truncated", Boolean.toString(result.truncated()))
        .contentType(new MediaType("text", "csv", java.nio.charset.StandardCharsets.UTF_8))
        .body(AuditCsv.of(result.events()));
  }

  @GetMapping(OVERSIGHT + "/checkpoints")
  @Operation(summary = "The registry checkpoints the platform relied on (extracts, propagations, the latest), oldest first, with their verification")
  ResponseEntity<List<CheckpointHistory.Entry>> checkpoints() {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(checkpoints.entries());
  }

  @GetMapping(OVERSIGHT + "/log/consistency")
  @Operation(summary = "The registry's consistency proof between two tree sizes (its public RFC 9162 proof, relayed for the page to verify)")
  ConsistencyView consistency(@RequestParam @Min(0) @Max(Long.MAX_VALUE / 2) long from, @RequestParam @Min(1) @Max(Long.MAX_VALUE / 2) long to) {
    if (from > to) {
      throw ProblemResponses.exception(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "'from' must not exceed 'to'.");
    }
    try {
      JsonNode proof = json.readTree(client.get(registry.url(), "/api/v1/log/consistency?from=" + from + "&to=" + to, null, 64 << 10));
      List<String> path = new java.util.ArrayList<>();
      proof.path("path").forEach(hash -> path.add(hash.asString()));
      return new ConsistencyView(from, to, path);
    } catch (AuditSource.SourceUnavailable | RuntimeException e) {
      throw ProblemResponses.exception(HttpStatus.BAD_GATEWAY, "registry-unavailable", "Registry unavailable",
          "The registry gave no consistency proof between these sizes.");
    }
  }

  @GetMapping(OVERSIGHT + "/projects/{project}/evidence-bundle")
  @Operation(summary = "The evidence bundle of the project's delivered extract: a zip an auditor verifies offline (verify/verify-evidence-bundle.py)")
  ResponseEntity<StreamingResponseBody> bundle(JwtAuthenticationToken caller,
      @PathVariable @Pattern(regexp = "application-[1-9][0-9]{0,17}") String project) throws IOException {
    EvidenceBundle.Made made;
    try {
      made = bundles.make(project, caller.getToken().getSubject(), caller.getToken().getTokenValue());
    } catch (EvidenceBundle.Unavailable e) {
      HttpStatus status = switch (e.type) {
        case "no-delivery" -> HttpStatus.NOT_FOUND;
        case "registry-unavailable" -> HttpStatus.BAD_GATEWAY;
        default -> HttpStatus.CONFLICT;
      };
      throw ProblemResponses.exception(status, e.type, "No evidence bundle", e.getMessage());
    }
    StreamingResponseBody body = out -> {
      try {
        Files.copy(made.file(), out);
      } finally {
        Files.deleteIfExists(made.file());
      }
    };
    return ResponseEntity.ok().cacheControl(CacheControl.noStore())
        .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"evidence-" + project + ".zip\"")
        .header("X-Content-SHA256", made.sha256())
        .contentLength(made.size())
        .contentType(MediaType.parseMediaType("application/zip"))
        .body(body);
  }

  private AuditQuery query(Optional<Instant> from, Optional<Instant> to, List<String> asked, List<String> kindsAsked, Optional<String> q, int limit) {
    List<String> services = asked == null ? List.of() : asked;
    List<String> kinds = kindsAsked == null ? List.of() : kindsAsked;
    for (String service : services) {
      if (!search.services().contains(service)) {
        throw ProblemResponses.exception(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
            "'service' must be one of " + search.services() + ".");
      }
    }
    for (String kind : kinds) {
      if (!AuditKinds.ALL.contains(kind)) {
        throw ProblemResponses.exception(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", "'kind' must be one of " + AuditKinds.ALL + ".");
      }
    }
    try {
      return new AuditQuery(from.orElse(null), to.orElse(null), Set.copyOf(services), Set.copyOf(kinds), q.orElse(null), limit);
    } catch (IllegalArgumentException e) {
      throw ProblemResponses.exception(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request", e.getMessage());
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization oversightAccess() {
      return rules -> rules.requestMatchers(OVERSIGHT + "/**").hasAnyAuthority(authorities(AUDITOR));
    }
  }
}
