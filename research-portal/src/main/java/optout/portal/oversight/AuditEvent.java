package optout.portal.oversight;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit event of one service, as the oversight console shows it: when, which service, what kind of
 * thing happened, who did it (a Keycloak subject or a service, never a person's identifier), what it is about
 * (a project, a log leaf, a request) and a one-line summary. Plain Java.
 *
 * @param at when it happened (UTC)
 * @param service the service that recorded it: {@code research-portal}, {@code optout-registry}, {@code trust-centre}
 * @param kind what happened, one of {@link AuditKinds}
 * @param actor who did it, or null when the service does not say
 * @param reference what it is about (e.g. {@code application-12}, {@code leaf 41}), or null
 * @param summary one line, never an identifier
 */
public record AuditEvent(Instant at, String service, String kind, String actor, String reference, String summary) {

  public AuditEvent {
    Objects.requireNonNull(service, "Cannot make an audit event: the service is missing");
    Objects.requireNonNull(kind, "Cannot make an audit event: the kind is missing");
    summary = summary == null ? "" : summary;
  }
}
