package optout.portal.oversight;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import optout.portal.registrylog.RegistryLogProperties;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The registry's audit trail as it exposes it to auditors: the leaves of its transparency log (filings,
 * scope rules, exemption decisions: {@code GET /api/v1/log/leaves}, the newest {@code registry-leaves} below the
 * latest published checkpoint) and its alerts (surges, unauthenticated rows, a refusing witness:
 * {@code GET /api/v1/alerts}), both with the auditor's own token. A leaf's person commitment is never shown.
 */
@Component
class RegistryAudit implements AuditSource {

  static final String SERVICE = "optout-registry";
  private static final int PAGE = 1000;

  private final OversightProperties properties;
  private final RegistryLogProperties registry;
  private final ServiceClient client;
  private final JsonMapper json;

  RegistryAudit(OversightProperties properties, RegistryLogProperties registry, JsonMapper json) {
    this.properties = properties;
    this.registry = registry;
    this.client = new ServiceClient(properties.timeout());
    this.json = json;
  }

  @Override
  public String service() {
    return SERVICE;
  }

  @Override
  public List<AuditEvent> events(AuditQuery query, String auditorToken) throws SourceUnavailable {
    List<AuditEvent> events = new ArrayList<>(alerts(auditorToken));
    long size = publishedSize();
    for (long start = Math.max(0, size - properties.registryLeaves()); start < size; start += PAGE) {
      JsonNode page = read(client.get(registry.url(), "/api/v1/log/leaves?start=" + start + "&count=" + Math.min(PAGE, size - start),
          auditorToken, 8 << 20));
      for (JsonNode leaf : page) {
        events.add(leafEvent(leaf.path("index").asLong(), Base64.getDecoder().decode(leaf.path("leaf").asString())));
      }
    }
    return events;
  }

  /** The tree size of the latest published checkpoint (public). */
  long publishedSize() throws SourceUnavailable {
    String note = new String(client.get(registry.url(), "/api/v1/log/checkpoint", null, 64 << 10), StandardCharsets.UTF_8);
    String[] lines = note.split("\n");
    try {
      return Long.parseLong(lines[1].strip());
    } catch (RuntimeException e) {
      throw new SourceUnavailable("malformed-checkpoint");
    }
  }

  private List<AuditEvent> alerts(String token) throws SourceUnavailable {
    JsonNode page = read(client.get(registry.url(), "/api/v1/alerts?size=500", token, 4 << 20));
    List<AuditEvent> events = new ArrayList<>();
    for (JsonNode alert : page.path("alerts")) {
      String kind = alert.path("kind").asString();
      String detail = alert.path("detail").isMissingNode() ? "" : json.writeValueAsString(alert.path("detail"));
      events.add(new AuditEvent(instant(alert.path("raisedAt").asString()), SERVICE,
          kind.equals("opt-out-surge") ? AuditKinds.SURGE_ALERT : AuditKinds.LOG_ALERT, null, "alert " + alert.path("id").asLong(),
          kind + (detail.isEmpty() ? "" : " " + (detail.length() > 300 ? detail.substring(0, 300) + "..." : detail))));
    }
    return events;
  }

  /** A leaf as an event: the format decides the kind; the person commitment and the filer's pseudonym stay out. */
  static AuditEvent leafEvent(long index, byte[] leaf) {
    Map<String, String> fields = new HashMap<>();
    String[] lines = new String(leaf, StandardCharsets.UTF_8).split("\n");
    for (int i = 1; i < lines.length; i++) {
      int space = lines[i].indexOf(' ');
      if (space > 0) {
        fields.putIfAbsent(lines[i].substring(0, space), lines[i].substring(space + 1));
      }
    }
    String format = lines.length == 0 ? "" : lines[0];
    String reference = "leaf " + index;
    if (format.startsWith("nhi-optout-registry-event/")) {
      return new AuditEvent(instant(fields.get("recorded")), SERVICE, AuditKinds.FILING, fields.get("filed-by"), reference,
          fields.getOrDefault("type", "?") + " " + fields.getOrDefault("scopes", "") + " via " + fields.getOrDefault("channel", "?")
          + ", effective " + fields.getOrDefault("effective", "?"));
    }
    if (format.startsWith("nhi-optout-registry-exemption-decision/")) {
      return new AuditEvent(instant(fields.get("decided")), SERVICE, AuditKinds.EXEMPTION, null, reference,
          "exemption " + fields.getOrDefault("exemption", "?") + " " + fields.getOrDefault("action", "?") + " to "
          + fields.getOrDefault("grantee", "?"));
    }
    if (format.startsWith("nhi-optout-registry-scope-rules/")) {
      return new AuditEvent(null, SERVICE, AuditKinds.SCOPE_RULES, null, reference, "scope rules in force from this leaf on ("
          + (lines.length - 1) + " lines)");
    }
    return new AuditEvent(null, SERVICE, AuditKinds.FILING, null, reference, "leaf of an unknown format");
  }

  private JsonNode read(byte[] body) throws SourceUnavailable {
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      throw new SourceUnavailable("malformed-answer");
    }
  }

  static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
