package optout.registry.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads snapshot files with a reader that shares no code with parquet-java: DuckDB (C++, its own
 * Parquet and zstd implementations), through its JDBC driver in test scope. What DuckDB reads is
 * what Spark, pyarrow and others will read; our own reader could share a writer's mistake.
 */
class DuckDbReaderTest {

  @TempDir
  Path directory;

  @Test
  void duckDbReadsTheValuesSchemaStatisticsAndMetadata() throws Exception {
    long[] values = Snapshots.pseudonyms(300, 11).toArray();
    Path file = directory.resolve("academic-research-1234.parquet");
    SnapshotSummary summary = ExclusionSnapshot.write(file, Snapshots.ACADEMIC, LongStream.of(values));

    try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duckDb.createStatement()) {
      String parquet = "read_parquet(" + literal(file) + ")";
      try (ResultSet row = sql.executeQuery(
          "select count(*), min(pseudonym), max(pseudonym), count(distinct pseudonym) from " + parquet)) {
        row.next();
        assertThat(row.getLong(1)).isEqualTo(300);
        assertThat(row.getLong(2)).isEqualTo(values[0]);
        assertThat(row.getLong(3)).isEqualTo(values[299]);
        assertThat(row.getLong(4)).isEqualTo(300);
      }
      // The values in file order, hashed here: the set hash does not depend on our reader.
      List<Long> read = new ArrayList<>();
      try (ResultSet rows = sql.executeQuery("select pseudonym from " + parquet)) {
        while (rows.next()) {
          read.add(rows.getLong(1));
        }
      }
      long[] readValues = read.stream().mapToLong(Long::longValue).toArray();
      assertThat(readValues).containsExactly(values);
      assertThat(Snapshots.independentSetHash(readValues)).isEqualTo(summary.setSha256());

      try (ResultSet column = sql.executeQuery("select column_name, column_type, \"null\" from (describe select * from "
          + parquet + ")")) {
        column.next();
        assertThat(column.getString(1)).isEqualTo("pseudonym");
        assertThat(column.getString(2)).isEqualTo("BIGINT");
        assertThat(column.next()).isFalse();
      }
      try (ResultSet schema = sql.executeQuery("select type, repetition_type, converted_type, logical_type from parquet_schema("
          + literal(file) + ") where name = 'pseudonym'")) {
        schema.next();
        assertThat(schema.getString(1)).isEqualTo("INT64");
        assertThat(schema.getString(2)).isEqualTo("REQUIRED");
        assertThat(schema.getString(3)).isNull();
        assertThat(schema.getString(4)).isNull();
      }
      try (ResultSet chunk = sql.executeQuery("select compression, stats_min_value, stats_max_value, encodings from parquet_metadata("
          + literal(file) + ")")) {
        chunk.next();
        assertThat(chunk.getString(1)).isEqualTo("ZSTD");
        assertThat(chunk.getString(2)).isEqualTo(Long.toString(values[0]));
        assertThat(chunk.getString(3)).isEqualTo(Long.toString(values[299]));
        assertThat(chunk.getString(4)).contains("PLAIN");
      }
      assertThat(keyValueMetadata(sql, file)).containsEntry("nhi-optout.format", "nhi-optout-exclusion-snapshot/1")
          .containsEntry("nhi-optout.purpose", "academic-research")
          .containsEntry("nhi-optout.exemption", "none")
          .containsEntry("nhi-optout.checkpoint.origin", Snapshots.CHECKPOINT.origin())
          .containsEntry("nhi-optout.checkpoint.size", "1234")
          .containsEntry("nhi-optout.checkpoint.root-hash", Snapshots.CHECKPOINT.rootHash().base64())
          .containsEntry("nhi-optout.count", "300")
          .containsEntry("nhi-optout.set-sha256", summary.setSha256().hex());
    }
  }

  @Test
  void duckDbReadsAnEmptySnapshot() throws Exception {
    Path file = directory.resolve("empty.parquet");
    ExclusionSnapshot.write(file, Snapshots.ACADEMIC, LongStream.empty());

    try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duckDb.createStatement();
        ResultSet row = sql.executeQuery("select count(*), min(pseudonym) from read_parquet(" + literal(file) + ")")) {
      row.next();
      assertThat(row.getLong(1)).isZero();
      assertThat(row.getObject(2)).isNull();
    }
  }

  @Test
  void duckDbReadsSeveralRowGroupsInOrder() throws Exception {
    int count = SnapshotFileWriter.ROW_GROUP_ROWS + 1000;
    Path file = directory.resolve("large.parquet");
    SnapshotSummary summary = ExclusionSnapshot.write(file, Snapshots.ACADEMIC, Snapshots.pseudonyms(count, 12));

    try (Connection duckDb = DriverManager.getConnection("jdbc:duckdb:"); Statement sql = duckDb.createStatement()) {
      try (ResultSet row = sql.executeQuery("select count(*), count(distinct row_group_id) from parquet_metadata("
          + literal(file) + ")")) {
        row.next();
        assertThat(row.getLong(2)).isEqualTo(2);
      }
      // Ascending in file order, checked by DuckDB itself.
      try (ResultSet row = sql.executeQuery("select count(*), bool_and(previous is null or pseudonym > previous) from ("
          + "select pseudonym, lag(pseudonym) over (order by file_row_number) as previous from read_parquet("
          + literal(file) + ", file_row_number = true))")) {
        row.next();
        assertThat(row.getLong(1)).isEqualTo(summary.count());
        assertThat(row.getBoolean(2)).isTrue();
      }
    }
  }

  private static Map<String, String> keyValueMetadata(Statement sql, Path file) throws SQLException {
    Map<String, String> metadata = new HashMap<>();
    try (ResultSet rows = sql.executeQuery("select key, value from parquet_kv_metadata(" + literal(file) + ")")) {
      while (rows.next()) {
        metadata.put(new String(rows.getBytes(1), StandardCharsets.UTF_8), new String(rows.getBytes(2), StandardCharsets.UTF_8));
      }
    }
    return metadata;
  }

  private static String literal(Path file) {
    return "'" + file.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
