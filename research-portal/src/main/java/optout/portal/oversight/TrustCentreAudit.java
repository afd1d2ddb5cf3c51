package optout.portal.oversight;

import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The trust centre's re-identification audit chain ({@code GET /api/v1/audit-events}, auditors): every request,
 * approval, rejection, refusal, expiry and release, naming the actor, the project and how many pseudonyms,
 * never a pseudonym or a person. The chain's own verification ({@code /verification}) is reported with the source.
 */
@Component
class TrustCentreAudit implements AuditSource {

  static final String SERVICE = "trust-centre";
  private static final int PAGE = 1000;
  private static final int PAGES = 50;

  private final OversightProperties properties;
  private final ServiceClient client;
  private final JsonMapper json;

  TrustCentreAudit(OversightProperties properties, JsonMapper json) {
    this.properties = properties;
    this.client = new ServiceClient(properties.timeout());
    this.json = json;
  }

  @Override
  public String service() {
    return SERVICE;
  }

  @Override
  public List<AuditEvent> events(AuditQuery query, String auditorToken) throws SourceUnavailable {
    List<AuditEvent> events = new ArrayList<>();
    long after = 0;
    for (int page = 0; page < PAGES; page++) {
      JsonNode answer = read(client.get(properties.trustCentreUrl(), "/api/v1/audit-events?after=" + after + "&limit=" + PAGE, auditorToken,
          8 << 20));
      for (JsonNode event : answer) {
        events.add(new AuditEvent(RegistryAudit.instant(event.path("at").asString()), SERVICE, AuditKinds.REIDENTIFICATION,
            text(event, "actor"), text(event, "project"), "re-identification " + event.path("type").asString().toLowerCase(java.util.Locale.ROOT)
            + " (" + event.path("pseudonymCount").asInt() + " pseudonyms)" + (text(event, "note") == null ? "" : ": " + clip(text(event, "note")))));
      }
      after += answer.size();
      if (answer.size() < PAGE) {
        break;
      }
    }
    return events;
  }

  /** Whether the chain recomputes: {@code valid}, or where it breaks; null when it cannot be asked. */
  String chain(String auditorToken) {
    try {
      JsonNode verification = read(client.get(properties.trustCentreUrl(), "/api/v1/audit-events/verification", auditorToken, 64 << 10));
      return verification.path("valid").asBoolean() ? "hash chain valid over " + verification.path("events").asLong() + " events"
          : "hash chain BROKEN at event " + verification.path("brokenAt").asLong();
    } catch (SourceUnavailable e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.asString() : null;
  }

  private static String clip(String note) {
    return note.length() > 200 ? note.substring(0, 200) + "..." : note;
  }

  private JsonNode read(byte[] body) throws SourceUnavailable {
    try {
      return json.readTree(body);
    } catch (JacksonException e) {
      throw new SourceUnavailable("malformed-answer");
    }
  }
}
