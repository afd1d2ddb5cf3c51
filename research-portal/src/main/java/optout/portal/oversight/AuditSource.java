package optout.portal.oversight;

import java.util.List;

/** One service's audit events, as that service exposes them to auditors. */
interface AuditSource {

  /** The service's name, as {@link AuditEvent#service()} carries it. */
  String service();

  /**
   * Its events that may match the query (the search filters again), newest first.
   *
   * @param auditorToken the signed-in auditor's access token, for services that check it themselves
   * @throws SourceUnavailable when the service cannot be asked now (the search reports it, never hides it)
   */
  List<AuditEvent> events(AuditQuery query, String auditorToken) throws SourceUnavailable;

  /** A service that could not answer: {@code reason} is a kind of failure, never a server's message. */
  final class SourceUnavailable extends Exception {
    SourceUnavailable(String reason) {
      super(reason, null, false, false);
    }
  }
}
