package optout.portal.citizen;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where a person's data went: the usage ledger's rows of their warehouse pseudonyms (the warehouse's
 * {@code person_usage}, written by the warehouse runner, read-only here), each under its own warehouse key version
 * (the registry's now, and the older ones it still holds), with each project's approved title, institution and legal
 * basis; and the delivered extracts (the portal's own job table) with the registry checkpoint each was built at.
 */
@Component
class DataUses implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DataUses.class);

  /** One extract that included the person. */
  record Use(String extractId, String project, String title, String institution, String purpose, String legalBasis, LocalDate usedOn) {}

  private final JdbcTemplate portal;
  private final JdbcTemplate ledger;
  private final HikariDataSource ledgerPool;
  private final JsonMapper json;
  /**
   * Each project's approved title, institution and legal basis, remembered for a while: fixed once approved. A project the
   * portal does not know (an extract made outside it, by {@code ./optout warehouse extract}) is remembered as unknown too,
   * or every citizen it used would cost a query per request; the expiry lets a late-arriving approval show.
   */
  private final Cache<String, String[]> projects = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(Duration.ofMinutes(10)).build();
  /** The delivered extracts as last read (see {@link #releases()}). */
  private volatile Releases releases;

  /** The delivered extracts, and the number and latest time they were read at. */
  private record Releases(String key, List<ReleaseHistory.Release> releases) {}

  DataUses(JdbcTemplate portal, CitizenProperties properties, JsonMapper json) {
    this.portal = portal;
    this.json = json;
    if (properties.ledgerUrl() == null || properties.ledgerUrl().isBlank()) {
      this.ledger = portal;
      this.ledgerPool = null;
    } else {
      // a small pool of its own, read-only: a connection per request (connect and authenticate each time) cost more than the
      // query and, under many citizens at once, ran the ledger database out of connections
      HikariConfig pool = new HikariConfig();
      pool.setPoolName("usage-ledger");
      pool.setJdbcUrl(properties.ledgerUrl());
      pool.setUsername(properties.ledgerUsername());
      pool.setPassword(properties.ledgerPassword());
      pool.setReadOnly(true);
      pool.setMaximumPoolSize(properties.ledgerPoolSize());
      pool.setMinimumIdle(0);
      pool.setConnectionTimeout(5_000);
      pool.setInitializationFailTimeout(-1);  // an unreachable ledger is said on the page, it does not stop the portal
      this.ledgerPool = new HikariDataSource(pool);
      this.ledger = new JdbcTemplate(ledgerPool);
    }
  }

  @Override
  public void close() {
    if (ledgerPool != null) {
      ledgerPool.close();
    }
  }

  /**
   * The extracts that included the person, newest first; null if the ledger cannot be read now.
   *
   * @param pseudonyms the person's pseudonym under each warehouse key version (a pseudonym counts only under its own
   *     version: the same number under another version is someone else; rows without a version count as version 1)
   */
  List<Use> of(Map<Integer, Long> pseudonyms) {
    List<Map<String, Object>> rows;
    try {
      rows = ledger.queryForList("select extract_id, project, purpose, used_on from person_usage where " + whose(pseudonyms)
          + " order by used_on desc, extract_id", arguments(pseudonyms));
    } catch (DataAccessException e) {
      LOG.warn("Cannot read the usage ledger now ({})", e.getClass().getSimpleName());
      return null;
    }
    List<Use> uses = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      String project = (String) row.get("project");
      String[] about = about(project);
      uses.add(new Use((String) row.get("extract_id"), project, about[0], about[1], (String) row.get("purpose"), about[2],
          ((java.sql.Date) row.get("used_on")).toLocalDate()));
    }
    return uses;
  }

  /** How many ledger rows (extracts) name the person (see {@link #of}); -1 if the ledger cannot be read. */
  int count(Map<Integer, Long> pseudonyms) {
    try {
      return ledger.queryForObject("select count(*) from person_usage where " + whose(pseudonyms), Integer.class, arguments(pseudonyms));
    } catch (DataAccessException e) {
      LOG.warn("Cannot read the usage ledger now ({})", e.getClass().getSimpleName());
      return -1;
    }
  }

  private static String whose(Map<Integer, Long> pseudonyms) {
    if (pseudonyms.isEmpty()) {
      throw new IllegalArgumentException("no pseudonym");
    }
    return "(" + String.join(" or ", java.util.Collections.nCopies(pseudonyms.size(), "(person = ? and coalesce(warehouse_key_version, 1) = ?)")) + ")";
  }

  private static Object[] arguments(Map<Integer, Long> pseudonyms) {
    List<Object> arguments = new ArrayList<>();
    pseudonyms.forEach((version, pseudonym) -> {
      arguments.add(pseudonym);
      arguments.add(version);
    });
    return arguments.toArray();
  }

  /**
   * Every delivered extract, oldest first, with the checkpoint its exclusions were taken at. Read anew only when the
   * set of delivered extracts changed (their number or the latest's time), as every overview asks and each outcome is
   * JSON of up to 256 KB: a succeeded job's outcome never changes.
   */
  List<ReleaseHistory.Release> releases() {
    Map<String, Object> now = portal.queryForMap("""
        select count(*) as delivered, max(finished_at) as latest from job
        where kind = 'extract' and status = 'succeeded' and outcome is not null""");
    String key = now.get("delivered") + "/" + now.get("latest");
    Releases known = releases;
    if (known != null && known.key().equals(key)) {
      return known.releases();
    }
    List<ReleaseHistory.Release> read = readReleases();
    releases = new Releases(key, read);
    return read;
  }

  private List<ReleaseHistory.Release> readReleases() {
    List<ReleaseHistory.Release> read = new ArrayList<>();
    portal.query("""
        select purpose, outcome, finished_at from job where kind = 'extract' and status = 'succeeded' and outcome is not null
        order by finished_at, id""", (org.springframework.jdbc.core.RowCallbackHandler) rs -> {
      JsonNode outcome = json.readTree(rs.getString(2));
      JsonNode size = outcome.path("registryCheckpoint").path("size");
      if (size.isNumber() && outcome.path("extractId").isString()) {
        read.add(new ReleaseHistory.Release(outcome.get("extractId").asString(), rs.getString(1), size.asLong(),
            rs.getTimestamp(3).toInstant()));
      }
    });
    return List.copyOf(read);
  }

  private String[] about(String project) {
    return projects.get(project, this::approved);
  }

  /** The approved title, institution and legal basis of the project (nulls if the portal does not know it). */
  private String[] approved(String project) {
    List<String[]> found = portal.query("""
        select v.content ->> 'title', v.content ->> 'institution', v.content ->> 'legalBasis'
        from job j join application a on a.id = j.application_id
        join application_version v on v.application_id = a.id and v.version = a.approved_version
        where j.kind = 'extract' and j.project = ? limit 1""",
        (rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}, project);
    return found.isEmpty() ? new String[3] : found.get(0);
  }
}
