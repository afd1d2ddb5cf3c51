package optout.trustcentre.reidentify;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import optout.platform.security.AccessRefusalListener;
import optout.pseudonymizer.reidentify.AuditEvent;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Attempts refused before any rule ran are audit events too, in the same hash chain: a caller whose roles
 * do not allow the request (403) and a request ID that does not exist or is not theirs to see (404). Each
 * is written in a transaction of its own, so the refusal that follows does not roll it back. Events name
 * the caller's subject, the method and the endpoint's pattern, never a body, pseudonym or person; the
 * project is {@value #UNKNOWN_PROJECT}. Unauthenticated requests (401) are not recorded: anyone can send
 * them in any number.
 */
@Component
class RefusalAudit implements AccessRefusalListener {

  static final String UNKNOWN_PROJECT = "-";
  private static final Pattern REQUEST_PATH = Pattern.compile(
      "^/api/v1/reidentifications/([0-9a-fA-F-]{36})(/[a-z]+)?$");

  private final ReidentificationStore store;
  private final Clock clock;

  RefusalAudit(ReidentificationStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void refused(HttpServletRequest request, Authentication caller) {
    String path = request.getRequestURI().substring(request.getContextPath().length());
    if (!path.startsWith("/api/v1/reidentifications") && !path.startsWith("/api/v1/audit-events")) {
      return;
    }
    UUID id = UUID.randomUUID(); // the chain's events each name a request; a refusal without one gets its own
    String endpoint = path.startsWith("/api/v1/audit-events") ? "/api/v1/audit-events" : "/api/v1/reidentifications";
    Matcher named = REQUEST_PATH.matcher(path);
    if (named.matches()) {
      id = UUID.fromString(named.group(1));
      endpoint = "/api/v1/reidentifications/{id}" + (named.group(2) == null ? "" : named.group(2));
    }
    record(id, caller.getName(), "access refused: " + request.getMethod() + " " + endpoint + " is not allowed for the caller's roles");
  }

  /** A request ID that does not exist, or that this caller may not see, asked for by {@code actor}. */
  @Transactional(propagation = Propagation.REQUIRES_NEW)
  public void notFound(UUID id, String actor, String step) {
    record(id, actor, "no such request for the caller: " + step);
  }

  private void record(UUID id, String actor, String note) {
    store.audit(List.of(new AuditEvent(AuditEvent.Type.REFUSED, id, actor, UNKNOWN_PROJECT, 0, clock.instant(), note)));
  }
}
