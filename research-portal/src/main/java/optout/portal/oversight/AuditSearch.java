package optout.portal.oversight;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * One search over every service's audit trail: each source is asked (those the query names), what matches
 * is merged newest first (events without a time last, by service and reference) and cut at the limit. A
 * service that cannot answer is reported as such in {@link Result#sources()}, never silently left out: an
 * empty answer must not look like "nothing happened".
 */
@Service
class AuditSearch {

  /** How one service answered: {@code status} {@code ok} or {@code unavailable}, {@code problem} a kind, {@code detail} extra facts. */
  record SourceStatus(String service, String status, int events, String problem, String detail) {}

  record Result(List<AuditEvent> events, List<SourceStatus> sources, boolean truncated) {}

  static final Comparator<AuditEvent> NEWEST_FIRST = Comparator
      .comparing(AuditEvent::at, Comparator.nullsLast(Comparator.<Instant>reverseOrder()))
      .thenComparing(AuditEvent::service)
      .thenComparing(AuditEvent::reference, Comparator.nullsLast(Comparator.<String>reverseOrder()));

  private final List<AuditSource> sources;
  private final TrustCentreAudit trustCentre;

  AuditSearch(List<AuditSource> sources, TrustCentreAudit trustCentre) {
    this.sources = List.copyOf(sources);
    this.trustCentre = trustCentre;
  }

  List<String> services() {
    return sources.stream().map(AuditSource::service).sorted().toList();
  }

  Result search(AuditQuery query, String auditorToken) {
    List<AuditEvent> found = new ArrayList<>();
    List<SourceStatus> statuses = new ArrayList<>();
    for (AuditSource source : sources) {
      if (!query.asks(source.service())) {
        continue;
      }
      try {
        List<AuditEvent> matching = source.events(query, auditorToken).stream().filter(query::matches).toList();
        found.addAll(matching);
        String detail = source == trustCentre ? trustCentre.chain(auditorToken) : null;
        statuses.add(new SourceStatus(source.service(), "ok", matching.size(), null, detail));
      } catch (AuditSource.SourceUnavailable e) {
        statuses.add(new SourceStatus(source.service(), "unavailable", 0, e.getMessage(), null));
      }
    }
    statuses.sort(Comparator.comparing(SourceStatus::service));
    found.sort(NEWEST_FIRST);
    boolean truncated = found.size() > query.limit();
    return new Result(truncated ? List.copyOf(found.subList(0, query.limit())) : List.copyOf(found), List.copyOf(statuses), truncated);
  }
}
