package optout.portal.citizen;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import optout.platform.testing.PlatformTestEnvironment;
import optout.platform.testing.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The usage ledger in a database of its own ({@code optout.portal.citizen.ledger-url}, as the warehouse catalog's):
 * read as its read-only role through a pool of its own, bounded by {@code ledger-pool-size} however many citizens
 * ask at once (a connection per request ran it out of connections under load); rows of another key version never
 * shown; a ledger that cannot be reached is said (null, -1), not an error.
 */
class LedgerPoolIT {

  private static final long PERSON = 10_000_000_042L;

  /** The person's pseudonym under warehouse key version 1, as the registry names it. */
  private static final Map<Integer, Long> MINE = Map.of(1, PERSON);

  @Test
  void manyCitizensAtOnceShareABoundedPoolAndAnUnreachableLedgerIsSaid() throws Exception {
    PlatformTestEnvironment environment = PlatformTestEnvironment.current();
    TestDatabases.TestDatabase ledger = TestDatabases.create(environment, "ledger");
    TestDatabases.TestDatabase portal = TestDatabases.create(environment, "ledgerportal");
    LedgerRows.add(ledger, PERSON, "P-1", "EX-1", 1);
    LedgerRows.add(ledger, PERSON, "P-2", "EX-2", null);  // before versions were recorded: version 1
    LedgerRows.add(ledger, PERSON, "P-3", "EX-3", 2);     // someone else's pseudonym under version 2
    LedgerRows.add(ledger, PERSON + 1, "P-1", "EX-1", 1);
    HikariDataSource portalPool = new HikariDataSource();
    portalPool.setJdbcUrl(portal.url());
    portalPool.setUsername(portal.user());
    portalPool.setPassword(portal.password());
    portalPool.setMaximumPoolSize(4);
    JdbcTemplate portalSide = new JdbcTemplate(portalPool);
    portalSide.execute("""
        create table application (id uuid primary key, approved_version int);
        create table application_version (application_id uuid, version int, content jsonb);
        create table job (id uuid, kind text, project text, application_id uuid)""");

    try (DataUses uses = new DataUses(portalSide, properties(ledger.url(), ledger.applicationUser(), ledger.password(), 2),
        JsonMapper.builder().build())) {
      assertThat(uses.of(MINE)).extracting(DataUses.Use::extractId).containsExactly("EX-1", "EX-2");
      assertThat(uses.count(MINE)).isEqualTo(2);

      ExecutorService citizens = Executors.newFixedThreadPool(24);
      try {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 240; i++) {
          answers.add(citizens.submit(() -> uses.of(MINE).size()));
        }
        for (Future<Integer> answer : answers) {
          assertThat(answer.get()).isEqualTo(2);
        }
      } finally {
        citizens.shutdown();
      }
      // never more connections to the ledger than the pool's size
      try (var admin = DriverManager.getConnection(environment.postgresAdminUrl(), environment.postgresAdminUser(), "");
          var count = admin.prepareStatement("select count(*) from pg_stat_activity where usename = ?")) {
        count.setString(1, ledger.applicationUser());
        try (var rows = count.executeQuery()) {
          rows.next();
          assertThat(rows.getInt(1)).isBetween(1, 2);
        }
      }
      // another person's rows are theirs
      assertThat(uses.count(Map.of(1, PERSON + 1))).isEqualTo(1);
    }

    try (DataUses unreachable = new DataUses(portalSide, properties("jdbc:postgresql://127.0.0.1:1/none", "nobody", "none", 2),
        JsonMapper.builder().build())) {
      long started = System.nanoTime();
      assertThat(unreachable.of(MINE)).isNull();
      assertThat(unreachable.count(MINE)).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    } finally {
      portalPool.close();
    }
  }

  private static CitizenProperties properties(String url, String user, String password, int poolSize) {
    return new CitizenProperties(URI.create("http://127.0.0.1:1"), URI.create("http://127.0.0.1:1/online/"), Duration.ofMinutes(5), url, user,
        password, poolSize, Duration.ofMinutes(1), null, null);
  }
}
