package optout.portal.citizen;

import java.sql.DriverManager;
import optout.platform.testing.TestDatabases;

/**
 * Usage-ledger rows as the warehouse writes them ({@code UsageLedger}: the same table, made the same way),
 * in the portal's test database, readable by the portal's application role.
 */
public final class LedgerRows {

  private LedgerRows() {}

  public static void add(TestDatabases.TestDatabase database, long person, String project, String extractId, Integer keyVersion)
      throws Exception {
    try (var connection = DriverManager.getConnection(database.url(), database.user(), database.password());
        var statement = connection.createStatement()) {
      statement.execute("""
          create table if not exists person_usage (
            person bigint not null, project text not null, extract_id text not null, purpose text not null, used_on date not null,
            primary key (person, extract_id))""");
      statement.execute("create index if not exists person_usage_by_person on person_usage (person)");
      statement.execute("alter table person_usage add column if not exists warehouse_key_version integer");
      statement.execute("grant select on person_usage to " + database.applicationUser());
      try (var insert = connection.prepareStatement("insert into person_usage values (?, ?, ?, 'academic-research', current_date, ?)")) {
        insert.setLong(1, person);
        insert.setString(2, project);
        insert.setString(3, extractId);
        insert.setObject(4, keyVersion, java.sql.Types.INTEGER);
        insert.executeUpdate();
      }
    }
  }
}
