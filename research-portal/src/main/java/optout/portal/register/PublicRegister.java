package optout.portal.register;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import optout.portal.application.ApplicationContent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The register's content, read from the portal's own tables in one repeatable-read transaction: every approved
 * application (its approved version's public fields), its extract as the warehouse runner reported it (the cohort
 * as a band only), its closure, and its released outputs. Never a researcher's, reviewer's or checker's subject.
 */
@Component
class PublicRegister {

  private final JdbcTemplate jdbc;
  private final JsonMapper json;

  PublicRegister(JdbcTemplate jdbc, JsonMapper json) {
    this.jdbc = jdbc;
    this.json = json;
  }

  private record Row(UUID id, long number, String purpose, ApplicationContent content, Instant approvedAt, Instant closedAt,
      String extractStatus, Instant extractFinishedAt, String extractOutcome) {}

  /** Every approved project, oldest approval first (by number). */
  @Transactional(readOnly = true, isolation = org.springframework.transaction.annotation.Isolation.REPEATABLE_READ)
  public List<RegisterEntry> all() {
    List<Row> rows = jdbc.query("""
        select a.id, a.number, a.approved_purpose, v.content::text,
          (select d.decided_at from decision d where d.application_id = a.id and d.version = a.approved_version) as approved_at,
          c.closed_at, j.status, j.finished_at, j.outcome
        from application a
        join application_version v on v.application_id = a.id and v.version = a.approved_version
        left join project_closure c on c.application_id = a.id
        left join lateral (select status, finished_at, outcome from job
                           where job.application_id = a.id and job.kind = 'extract' order by queued_at desc limit 1) j on true
        where a.status = 'approved'
        order by a.number""", this::row);
    Map<UUID, List<RegisterEntry.Output>> outputs = new LinkedHashMap<>();
    jdbc.query("""
        select application_id, number, description, rules, decided_at, released_sha256 from output_release
        where status = 'released' order by application_id, number""", (ResultSet rs) -> {
      outputs.computeIfAbsent(rs.getObject(1, UUID.class), k -> new ArrayList<>()).add(new RegisterEntry.Output(rs.getInt(2), rs.getString(3),
          rs.getString(4), instant(rs.getTimestamp(5)), rs.getString(6)));
    });
    return rows.stream().map(row -> entry(row, outputs.getOrDefault(row.id(), List.of()))).toList();
  }

  public Optional<RegisterEntry> find(String id) {
    return all().stream().filter(entry -> entry.id().equals(id)).findFirst();
  }

  private Row row(ResultSet rs, int n) throws SQLException {
    return new Row(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), json.readValue(rs.getString(4), ApplicationContent.class),
        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getString(7), instant(rs.getTimestamp(8)), rs.getString(9));
  }

  private RegisterEntry entry(Row row, List<RegisterEntry.Output> outputs) {
    ApplicationContent content = row.content();
    String cohortBand = null;
    Instant releasedAt = null;
    RegisterEntry.Extract extract = null;
    String exemption = null;
    if ("succeeded".equals(row.extractStatus()) && row.extractOutcome() != null) {
      JsonNode outcome = json.readTree(row.extractOutcome());
      JsonNode included = outcome.path("persons").path("included");
      cohortBand = included.canConvertToLong() && included.asLong() >= 0 ? CohortBand.of(included.asLong()) : null;
      releasedAt = row.extractFinishedAt();
      JsonNode checkpoint = outcome.path("registryCheckpoint");
      extract = new RegisterEntry.Extract(text(outcome, "extractId"), text(outcome, "manifestSha256"),
          checkpoint.path("size").canConvertToLong() ? checkpoint.path("size").asLong() : null, text(checkpoint, "rootHash"));
      exemption = text(outcome, "exemption");
    }
    // sorted, so that a snapshot's bytes do not depend on the order the researcher ticked the tables in
    Map<String, List<String>> tables = new TreeMap<>();
    content.tablesOrEmpty().forEach((table, columns) -> tables.put(table, List.copyOf(columns)));
    String status = row.closedAt() != null ? "closed" : extract != null ? "active" : "approved";
    return new RegisterEntry("application-" + row.number(), row.number(), content.title(), content.institution(), content.laySummary(),
        content.publicBenefit(), row.purpose(), content.legalBasis(), tables, cohortBand, row.approvedAt(), releasedAt, row.closedAt(),
        status, exemption == null, exemption, extract, List.copyOf(outputs));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    return value.isString() ? value.asString() : null;
  }

  private static Instant instant(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }
}
