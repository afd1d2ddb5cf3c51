package optout.registry.transparency;

import static optout.platform.security.PlatformRole.AUDITOR;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.HexFormat;
import java.util.List;
import optout.platform.security.ApiAuthorization;
import optout.registry.event.store.EventStore;
import optout.registry.log.MerkleLog;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The openings of the person commitments in event leaves, for auditors only: with them an auditor checks
 * that each leaf names the person the registry says, and recomputes every exclusion snapshot from the log
 * ({@code docs/recompute-snapshot.py}). They are the warehouse pseudonyms of everyone who ever filed, so
 * no other role may read them; the leaves alone never name anyone.
 */
@RestController
@Validated
@Tag(name = "transparency log")
class OpeningController {

  static final String OPENINGS = LogController.LOG + "/openings";

  /**
   * The opening of one event leaf's commitment {@code SHA-256("nhi-optout-person/1" 0x00 salt person)}.
   *
   * @param index the leaf's index
   * @param person the warehouse (layer-1) pseudonym, the 8 bytes big-endian in the commitment
   * @param salt the 16-byte salt, 32 lower-case hex digits
   * @param keyVersion the warehouse key version the pseudonym was made under
   */
  record Opening(long index, long person, String salt, int keyVersion) {}

  private final MerkleLog merkle;
  private final EventStore events;

  OpeningController(MerkleLog merkle, EventStore events) {
    this.merkle = merkle;
    this.events = events;
  }

  @GetMapping(OPENINGS)
  @Operation(summary = "Openings of the person commitments of the event leaves in [start, start+count); record leaves have none"
      + " (auditors only: pseudonyms of people who opted out)")
  List<Opening> openings(@RequestParam @Min(0) long start, @RequestParam(defaultValue = "100") @Min(1) @Max(1000) int count) {
    long end = Math.min(start + count, merkle.size());
    return events.logged(start, end).stream().map(stored -> new Opening(stored.logIndex().orElseThrow(), stored.event().person(),
        HexFormat.of().formatHex(stored.event().personSalt()), stored.personKeyVersion())).toList();
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    @Bean
    ApiAuthorization openingAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, OPENINGS).hasAnyAuthority(authorities(AUDITOR));
    }
  }
}
