package optout.portal.statistics;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import optout.portal.delivery.LatestCheckpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public statistics (issue 17, item 4), for anyone without logging in: the registry's own suppressed publication
 * ({@code GET /api/v1/statistics} of the registry, fetched by the portal so that the browser talks to nobody else),
 * checked once more for small cells ({@link SmallCellGuard}), with surge notices worked out from the published series
 * ({@link SurgeNotices}) and the registry's newest witnessed checkpoint. Kept for a minute; the registry itself
 * publishes at most every five minutes.
 */
@RestController
@Tag(name = "public statistics")
class PublicStatistics {

  static final String PATH = "/api/v1/public/statistics";
  private static final Logger LOG = LoggerFactory.getLogger(PublicStatistics.class);
  private static final Duration KEPT = Duration.ofMinutes(1);

  /** What the page shows. {@code registry} is the registry's publication as it served it (suppressed cells null). */
  record View(Instant fetchedAt, JsonNode registry, LatestCheckpoint.Latest checkpoint, List<SurgeNotices.Surge> surges, Map<String, String> cadence) {}

  private record Kept(View view, Instant until) {}

  private final LatestCheckpoint checkpoints;
  private final StatisticsHistory history;
  private final JsonMapper json;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private volatile Kept kept;

  PublicStatistics(LatestCheckpoint checkpoints, StatisticsHistory history, JsonMapper json, Clock clock) {
    this.checkpoints = checkpoints;
    this.history = history;
    this.json = json;
    this.clock = clock;
  }

  @GetMapping(PATH)
  @SecurityRequirements
  @Operation(summary = "Opt-outs by purpose, county, sex and age band, filings per day, surge notices and the newest witnessed checkpoint (no login)")
  ResponseEntity<View> statistics() {
    Kept now = kept;
    if (now == null || clock.instant().isAfter(now.until())) {
      now = new Kept(fetch(), clock.instant().plus(KEPT));
      kept = now;
    }
    return ResponseEntity.ok().cacheControl(CacheControl.maxAge(KEPT).cachePublic()).body(now.view());
  }

  private View fetch() {
    JsonNode publication;
    try {
      HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(checkpoints.registry() + "/api/v1/statistics"))
          .timeout(Duration.ofSeconds(10)).header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200 || answer.body().length > 4 * 1024 * 1024) {
        LOG.info("The registry answered HTTP {} for its statistics", answer.statusCode());
        throw unavailable();
      }
      publication = json.readTree(answer.body());
    } catch (IOException | RuntimeException e) {
      if (e instanceof org.springframework.web.ErrorResponseException refusal) {
        throw refusal;
      }
      LOG.info("Cannot fetch the registry's statistics now ({})", e.getClass().getSimpleName());
      throw unavailable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    }
    String small = SmallCellGuard.firstSmallCell(publication, publication.path("threshold").asInt(SmallCellGuard.MINIMUM_THRESHOLD));
    if (small != null || !publication.path("optedOut").isObject()) {
      LOG.warn("Not publishing the registry's statistics: a cell is small or malformed at {}", small);
      throw unavailable();
    }
    Map<LocalDate, Long> filed = new LinkedHashMap<>();
    for (JsonNode day : publication.path("dailyFilings").path("days")) {
      JsonNode count = day.path("optOutsFiled").path("count");
      if (day.path("day").isString() && count.isIntegralNumber()) {
        try {
          filed.put(LocalDate.parse(day.get("day").asString()), count.asLong());
        } catch (java.time.format.DateTimeParseException e) {
          LOG.warn("Not publishing the registry's statistics: a day of its series is malformed");
          throw unavailable();
        }
      }
    }
    try {
      history.record(publication);
    } catch (RuntimeException e) {
      LOG.warn("Cannot record today's statistics publication ({}): shown all the same", e.getClass().getSimpleName());
    }
    Map<String, String> cadence = new LinkedHashMap<>();
    cadence.put("registry", "The registry computes a new publication at most every five minutes (asOf, nextUpdate).");
    cadence.put("portal", "This page shows the newest publication, fetched at most once a minute.");
    return new View(clock.instant(), publication, checkpoints.fetch().orElse(null), SurgeNotices.of(filed), cadence);
  }

  /** Each one-way table over time: one publication a day, newest first, at most {@code days}. */
  @GetMapping(PATH + "/history")
  @SecurityRequirements
  @Operation(summary = "The people opted out by purpose, county, sex and age band over time: one publication a day (no login)")
  ResponseEntity<List<StatisticsHistory.Day>> history(@org.springframework.web.bind.annotation.RequestParam(defaultValue = "90") String days) {
    if (!days.matches("[1-9][0-9]{0,2}") || Integer.parseInt(days) > 366) {
      ErrorResponseException refusal = ProblemResponses.exception(HttpStatus.BAD_REQUEST, "invalid-request", "Invalid request",
          "days must be a whole number from 1 to 366.");
      refusal.getBody().setProperty("errors", List.of(Map.of("field", "days", "message", "must be a whole number from 1 to 366")));
      throw refusal;
    }
    return ResponseEntity.ok().cacheControl(CacheControl.maxAge(KEPT).cachePublic()).body(history.days(Integer.parseInt(days)));
  }

  private static org.springframework.web.ErrorResponseException unavailable() {
    return ProblemResponses.exception(HttpStatus.SERVICE_UNAVAILABLE, "statistics-unavailable", "Statistics unavailable",
        "The registry's statistics cannot be shown now; try again later.");
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    /** GET of the statistics only. */
    @Bean
    ApiAuthorization publicStatisticsAccess() {
      return rules -> rules.requestMatchers(HttpMethod.GET, PATH, PATH + "/history").permitAll();
    }
  }
}
