package optout.portal.oversight;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The portal's own audit trail, read from the tables where it is already recorded: every change of an
 * application's status, every warehouse job (previews, extracts, propagations, and the {@code close} job that
 * destroys a project's release keys: a key operation), every output asked for, checked, released, rejected or
 * refused, every project closed, every evidence bundle taken out. Reasons and other free text are left out:
 * they may hold anything. The window, the kinds and the words are applied in SQL, so the limit counts matches.
 */
@Component
class PortalAudit implements AuditSource {

  static final String SERVICE = "research-portal";

  private static final String EVENTS = """
      select * from (
        select c.changed_at as at, 'application' as kind, c.actor_subject as actor, 'application-' || a.number as reference,
               'status ' || coalesce(c.from_status, 'new') || ' -> ' || c.to_status || ' (version ' || c.version || ', by the '
               || c.actor_role || ')' as summary
          from status_change c join application a on a.id = c.application_id
        union all
        select coalesce(j.finished_at, j.claimed_at, j.queued_at),
               case j.kind when 'close' then 'key-operation' else j.kind end,
               j.claimed_by, j.project,
               case j.kind when 'close' then 'close job (destroy the project''s release keys, drop its tables): ' else j.kind || ' job: ' end
               || j.status || case when j.status in ('queued', 'running') then ' (' || j.progress || ' %)' else '' end
               || ', purpose ' || j.purpose || ', version ' || j.version
          from job j
        union all
        select o.submitted_at, 'output-release', o.requester_subject, 'application-' || a.number,
               'output ' || o.number || ' asked for (' || o.rules || '), released table sha256 ' || o.released_sha256
          from output_release o join application a on a.id = o.application_id
        union all
        select o.decided_at, 'output-release', null, 'application-' || a.number, 'output ' || o.number || ' ' || o.status
          from output_release o join application a on a.id = o.application_id where o.decided_at is not null
        union all
        select k.decided_at, 'output-release', k.checker_subject, 'application-' || a.number,
               'output ' || o.number || ' checked: ' || k.outcome
          from output_check k join output_release o on o.id = k.output_id join application a on a.id = o.application_id
        union all
        select r.attempted_at, 'output-release', r.requester_subject, coalesce(r.project, 'no project'),
               'output upload refused: ' || r.problem_type
               || case when cardinality(r.rules) > 0 then ' (' || array_to_string(r.rules, ', ') || ')' else '' end
               || case when r.by_project_owner then '' else ', not by the project''s researcher' end
               || ', upload sha256 ' || r.upload_sha256
          from refused_output r
        union all
        select p.closed_at, 'application', p.closed_by, p.project, 'project closed'
          from project_closure p
        union all
        select e.exported_at, 'evidence-export', e.auditor_subject, e.project,
               'evidence bundle of extract ' || e.extract_id || ' at checkpoint ' || e.checkpoint_size || ', sha256 ' || e.bundle_sha256
          from evidence_export e
      ) events
      where (?::timestamptz is null or at >= ?::timestamptz) and (?::timestamptz is null or at < ?::timestamptz)
        and (cardinality(?::text[]) = 0 or kind = any(?::text[]))
        and lower(coalesce(actor, '') || ' ' || coalesce(reference, '') || ' ' || summary) like all (?::text[])
      order by at desc
      limit ?
      """;

  private final JdbcTemplate jdbc;

  PortalAudit(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public String service() {
    return SERVICE;
  }

  @Override
  public List<AuditEvent> events(AuditQuery query, String auditorToken) {
    List<String> words = new ArrayList<>();
    if (query.text() != null) {
      for (String word : query.text().split("\\s+")) {
        words.add("%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      }
    } else {
      words.add("%");
    }
    return jdbc.query(connection -> {
      var statement = connection.prepareStatement(EVENTS);
      Timestamp from = query.from() == null ? null : Timestamp.from(query.from());
      Timestamp to = query.to() == null ? null : Timestamp.from(query.to());
      statement.setTimestamp(1, from);
      statement.setTimestamp(2, from);
      statement.setTimestamp(3, to);
      statement.setTimestamp(4, to);
      var kinds = connection.createArrayOf("text", query.kinds().toArray());
      statement.setArray(5, kinds);
      statement.setArray(6, kinds);
      statement.setArray(7, connection.createArrayOf("text", words.toArray()));
      statement.setInt(8, query.limit());
      return statement;
    }, (row, n) -> new AuditEvent(instant(row.getTimestamp("at")), SERVICE, row.getString("kind"), row.getString("actor"),
        row.getString("reference"), row.getString("summary")));
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
