package optout.portal.citizen;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ResourceServerProperties;
import optout.portal.keycloak.ServiceToken;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry's view of a citizen: {@code GET /api/v1/me/status} called with the citizen's own token (the
 * registry finds the person from Keycloak, never from the request, so the portal never sees the national ID,
 * only the warehouse pseudonym it answers with); and, for the "my status changed" watch, a person's status by
 * pseudonym as the configured service client. Nothing of either is logged.
 */
@Component
class RegistryStatus {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryStatus.class);
  private static final int MAX_BODY = 4 * 1024 * 1024;

  record Scope(String code, String traditionalChinese, String english, Instant since) {}

  record Exemption(String code, String traditionalChinese, String english, String legalBasis, List<String> scopes) {}

  record Receipt(long logIndex, String leaf, String leafHash, long treeSize, List<String> inclusionProof, String checkpoint) {}

  record Entry(String eventId, String type, List<String> scopes, String channel, String proxyRelation, Instant effectiveAt,
      Instant recordedAt, String documentSha256, Long logIndex, Receipt receipt) {}

  /**
   * {@code pseudonym} is under warehouse key version {@code keyVersion} (the registry's now); {@code olderPseudonyms} the
   * same person's under the older versions the registry still holds (key version to pseudonym; empty when asked by pseudonym).
   */
  record Status(long pseudonym, int keyVersion, Map<Integer, Long> olderPseudonyms, List<Scope> optedOut, List<Exemption> exemptions,
      List<Entry> history) {

    /** The person's pseudonym under every warehouse key version known: the older ones and the current one. */
    Map<Integer, Long> pseudonyms() {
      Map<Integer, Long> all = new TreeMap<>(olderPseudonyms);
      all.put(keyVersion, pseudonym);
      return all;
    }

    List<ReleaseHistory.Event> events() {
      return history.stream().map(e -> new ReleaseHistory.Event(e.type(), Set.copyOf(e.scopes()), e.logIndex())).toList();
    }

    /** SHA-256 (hex) over the history's events in order: changes with every filing that reaches the registry. */
    String fingerprint() {
      try {
        var digest = java.security.MessageDigest.getInstance("SHA-256");
        for (Entry entry : history) {
          digest.update((entry.eventId() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private final CitizenProperties properties;
  private final ResourceServerProperties security;
  private final JsonMapper json;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RegistryStatus(CitizenProperties properties, ResourceServerProperties security, JsonMapper json) {
    this.properties = properties;
    this.security = security;
    this.json = json;
  }

  /** The caller's own status, asked with their token. */
  Status mine(String callerToken) {
    HttpResponse<byte[]> answer = get("/api/v1/me/status", callerToken);
    if (answer.statusCode() == 404) {
      throw ProblemResponses.exception(HttpStatus.NOT_FOUND, "person-id-not-on-record", "No national ID on record",
          "Your account has no national ID on record at the registry. A counter clerk can add it after checking your identity.");
    }
    return parsed(answer);
  }

  /** Whether a person's status can be read by pseudonym (a service client is configured). */
  boolean watchesStatus() {
    return properties.statusClientId() != null && !properties.statusClientId().isBlank()
        && properties.statusClientSecret() != null && !properties.statusClientSecret().isBlank();
  }

  /** A person's status by pseudonym, as the configured service client (see {@link #watchesStatus()}). */
  Status of(long pseudonym) {
    return parsed(get("/api/v1/persons/" + pseudonym + "/status", serviceToken()));
  }

  private Status parsed(HttpResponse<byte[]> answer) {
    if (answer.statusCode() != 200 || answer.body().length > MAX_BODY) {
      LOG.info("The registry answered HTTP {} for a citizen's status", answer.statusCode());
      throw unavailable();
    }
    try {
      return status(json.readTree(answer.body()));
    } catch (RuntimeException e) {
      LOG.info("The registry's status answer could not be read ({})", e.getClass().getSimpleName());
      throw unavailable();
    }
  }

  private HttpResponse<byte[]> get(String path, String token) {
    URI uri = URI.create(properties.registryUrl().toString().replaceAll("/+$", "") + path);
    try {
      return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      LOG.info("Cannot reach the registry for a citizen's status ({})", e.getClass().getSimpleName());
      throw unavailable();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable();
    }
  }

  private volatile ServiceToken statusClient;

  /** The status client's token, reused until 30 s before it expires (one grant per watch round at most). */
  private String serviceToken() {
    if (statusClient == null) {
      statusClient = new ServiceToken(security.issuer(), properties.statusClientId(), properties.statusClientSecret(), json);
    }
    try {
      return statusClient.get();
    } catch (ServiceToken.Unavailable e) {
      LOG.info("No token for the status client ({})", e.getMessage());
      throw unavailable();
    }
  }

  private static RuntimeException unavailable() {
    return ProblemResponses.exception(HttpStatus.BAD_GATEWAY, "registry-unavailable", "The registry cannot be asked now",
        "Your opt-out status comes from the registry, which cannot be reached now. Try again in a few minutes.");
  }

  private static Status status(JsonNode root) {
    List<Scope> optedOut = new ArrayList<>();
    for (JsonNode s : root.path("optedOut")) {
      optedOut.add(new Scope(text(s, "scope"), text(s, "traditionalChinese"), text(s, "english"), instant(s, "since")));
    }
    List<Exemption> exemptions = new ArrayList<>();
    for (JsonNode e : root.path("exemptions")) {
      exemptions.add(new Exemption(text(e, "code"), text(e, "traditionalChinese"), text(e, "english"), text(e, "legalBasis"), strings(e.path("scopes"))));
    }
    List<Entry> history = new ArrayList<>();
    for (JsonNode h : root.path("history")) {
      JsonNode r = h.path("receipt");
      Receipt receipt = r.isObject() ? new Receipt(r.get("logIndex").asLong(), text(r, "leaf"), text(r, "leafHash"), r.get("treeSize").asLong(),
          strings(r.path("inclusionProof")), text(r, "checkpoint")) : null;
      history.add(new Entry(text(h, "eventId"), text(h, "type"), strings(h.path("scopes")), text(h, "channel"), text(h, "proxyRelation"),
          instant(h, "effectiveAt"), instant(h, "recordedAt"), text(h, "documentSha256"),
          h.path("logIndex").isNumber() ? h.get("logIndex").asLong() : null, receipt));
    }
    if (!root.path("pseudonym").isIntegralNumber() || !root.path("keyVersion").isIntegralNumber() || root.get("keyVersion").asInt() < 1) {
      throw new IllegalArgumentException("no pseudonym or key version");
    }
    int keyVersion = root.get("keyVersion").asInt();
    Map<Integer, Long> older = new TreeMap<>();
    for (JsonNode o : root.path("olderPseudonyms")) {
      if (!o.path("keyVersion").isIntegralNumber() || !o.path("pseudonym").isIntegralNumber() || o.get("keyVersion").asInt() < 1
          || o.get("keyVersion").asInt() >= keyVersion) {
        throw new IllegalArgumentException("an older pseudonym without an older key version");
      }
      older.put(o.get("keyVersion").asInt(), o.get("pseudonym").asLong());
    }
    return new Status(root.get("pseudonym").asLong(), keyVersion, Map.copyOf(older), optedOut, exemptions, history);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.asString() : null;
  }

  private static Instant instant(JsonNode node, String field) {
    String value = text(node, field);
    return value == null ? null : Instant.parse(value);
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    for (JsonNode value : array) {
      values.add(value.asString());
    }
    return List.copyOf(values);
  }
}
