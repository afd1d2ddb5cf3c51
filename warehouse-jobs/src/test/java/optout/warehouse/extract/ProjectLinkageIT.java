package optout.warehouse.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import optout.pseudonymizer.token.ProjectRecordKeys;
import optout.warehouse.TestKeys;
import optout.warehouse.TestSpark;
import optout.warehouse.spec.DataDictionary;
import optout.warehouse.spec.ExtractSpec;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's linkage attack: two projects built from one spec, read back from their Parquet files by
 * DuckDB (its own Parquet reader, not Spark's), share no person, organisation or record-key value with
 * each other or with the warehouse, so joining their extracts on visit_id (or any such column) finds
 * nothing; inside each project orders still join their visits, stays and prescriptions exactly as in
 * the warehouse.
 */
class ProjectLinkageIT {

  private static final Set<DataDictionary.Kind> LINKABLE =
      Set.of(DataDictionary.Kind.PERSON, DataDictionary.Kind.ORGANISATION, DataDictionary.Kind.RECORD_KEY);
  /** Order table, its parent, the key joining them. */
  private static final List<List<String>> ORDERS = List.of(List.of("outpatient_order", "outpatient_visit", "visit_id"),
      List.of("inpatient_order", "inpatient_stay", "admission_id"), List.of("pharmacy_order", "pharmacy_dispensing", "rx_id"));

  private static SparkSession spark;
  private static TinyWarehouse warehouse;
  private static Connection duckDb;

  /** The same spec for both projects: every table with every column, the whole tiny cohort (everyone has a cold). */
  private static String spec(String project) {
    String tables = DataDictionary.tables().stream()
        .map(table -> "\"" + table.name() + "\": [" + DataDictionary.columnOrder(table.name()).stream().map(c -> "\"" + c + "\"")
            .collect(Collectors.joining(", ")) + "]")
        .collect(Collectors.joining(", "));
    return """
        {"project": "%s", "purpose": "academic-research", "legalBasis": "PDPA art. 6, IRB 2026-123",
         "tables": {%s},
         "cohort": {"diagnoses": ["E11", "J06"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
         "generalisation": {"birthDate": "year", "careDates": "day"}}""".formatted(project, tables);
  }

  @BeforeAll
  static void twoProjectsFromOneSpec() throws Exception {
    spark = TestSpark.session();
    warehouse = new TinyWarehouse().write(spark);
    Path directory = Files.createTempDirectory("linkage-it");
    ExclusionInput exclusion = RegistrySnapshots.publish(directory.resolve("snapshot.parquet"), "academic-research", 42,
        List.of(warehouse.layer1.get(4), warehouse.layer1.get(7))).verified();
    Clock clock = Clock.fixed(Instant.parse("2026-12-06T03:00:00Z"), ZoneOffset.UTC);
    for (String project : List.of(TestKeys.LINKAGE_A, TestKeys.LINKAGE_B)) {
      new ExtractJob(spark, TestKeys.release(), clock).run(ExtractSpec.parse(spec(project)), exclusion);
    }
    duckDb = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement sql = duckDb.createStatement()) {
      for (DataDictionary.Table table : DataDictionary.tables()) {
        sql.execute("create view w_" + table.name() + " as " + parquet("nhi.warehouse." + table.name()));
        sql.execute("create view a_" + table.name() + " as " + parquet(ExtractJob.namespace(TestKeys.LINKAGE_A) + "." + table.name()));
        sql.execute("create view b_" + table.name() + " as " + parquet(ExtractJob.namespace(TestKeys.LINKAGE_B) + "." + table.name()));
      }
    }
  }

  @AfterAll
  static void close() throws SQLException {
    if (duckDb != null) {
      duckDb.close();
    }
  }

  /** A select over the Parquet files of the table's current snapshot, for DuckDB. Only the file list comes from Iceberg. */
  private static String parquet(String table) {
    List<String> files = new ArrayList<>();
    for (Row row : spark.sql("select file_path from " + table + ".files").collectAsList()) {
      String file = row.getString(0);
      files.add("'" + (file.startsWith("file:") ? Path.of(URI.create(file)) : Path.of(file)).toString().replace("'", "''") + "'");
    }
    assertThat(files).as("data files of %s", table).isNotEmpty();
    return "select * from read_parquet([" + String.join(", ", files) + "])";
  }

  private static Set<Long> longs(String query) throws SQLException {
    Set<Long> values = new HashSet<>();
    try (Statement sql = duckDb.createStatement(); ResultSet rows = sql.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getLong(1));
      }
    }
    return values;
  }

  private static long count(String query) throws SQLException {
    try (Statement sql = duckDb.createStatement(); ResultSet rows = sql.executeQuery(query)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static Map<Long, Long> counts(String query) throws SQLException {
    Map<Long, Long> counts = new HashMap<>();
    try (Statement sql = duckDb.createStatement(); ResultSet rows = sql.executeQuery(query)) {
      while (rows.next()) {
        counts.put(rows.getLong(1), rows.getLong(2));
      }
    }
    return counts;
  }

  @Test
  void noPersonOrganisationOrRecordKeyValueIsSharedBetweenTheProjectsOrWithTheWarehouse() throws Exception {
    Set<Long> warehouseValues = new HashSet<>();
    Set<Long> allA = new HashSet<>();
    Set<Long> allB = new HashSet<>();
    int columns = 0;
    for (DataDictionary.Table table : DataDictionary.tables()) {
      for (String column : DataDictionary.columnOrder(table.name())) {
        if (!LINKABLE.contains(table.column(column).orElseThrow().kind())) {
          continue;
        }
        columns++;
        warehouseValues.addAll(longs("select " + column + " from w_" + table.name() + " where " + column + " is not null"));
        Set<Long> a = longs("select " + column + " from a_" + table.name());
        Set<Long> b = longs("select " + column + " from b_" + table.name());
        assertThat(a).as("%s.%s in project A", table.name(), column).isNotEmpty().doesNotContainNull();
        assertThat(b).as("%s.%s in project B", table.name(), column).hasSameSizeAs(a).doesNotContainNull();
        assertThat(a).as("%s.%s shared between the projects", table.name(), column).doesNotContainAnyElementsOf(b);
        // the attack itself: joining the two extracts on the column
        assertThat(count("select count(*) from a_" + table.name() + " a join b_" + table.name() + " b using (" + column + ")"))
            .as("rows of %s joined across projects on %s", table.name(), column).isZero();
        allA.addAll(a);
        allB.addAll(b);
      }
    }
    assertThat(columns).as("person, organisation and record-key columns in the spec").isEqualTo(14);
    assertThat(allA).doesNotContainAnyElementsOf(allB).doesNotContainAnyElementsOf(warehouseValues);
    assertThat(allB).doesNotContainAnyElementsOf(warehouseValues);
  }

  @Test
  void recordKeysAreTheProjectsPermutationAboveEveryWarehouseKey() throws Exception {
    ProjectRecordKeys keys = TestKeys.release().custody().projectRecordKeys(optout.pseudonymizer.id.ProjectId.of(TestKeys.LINKAGE_A));
    Set<Long> expected = new HashSet<>();
    for (long visit : longs("select visit_id from w_outpatient_visit where person in (" + includedLayer1() + ")")) {
      expected.add(keys.released("visit_id", visit));
    }
    assertThat(longs("select visit_id from a_outpatient_visit")).isEqualTo(expected);
    for (List<String> order : ORDERS) {
      String parent = order.get(1);
      String key = order.get(2);
      assertThat(longs("select " + key + " from a_" + parent)).allMatch(value -> value >= ProjectRecordKeys.RELEASED_FIRST)
          .hasSize((int) count("select count(*) from a_" + parent));
    }
  }

  @Test
  void insideEachProjectOrdersStillJoinTheirVisitsStaysAndPrescriptions() throws Exception {
    for (String project : List.of("a", "b")) {
      String id = project.equals("a") ? TestKeys.LINKAGE_A : TestKeys.LINKAGE_B;
      for (List<String> order : ORDERS) {
        String orders = order.get(0);
        String parent = order.get(1);
        String key = order.get(2);
        assertThat(count("select count(*) from " + project + "_" + orders)).as("%s orders in project %s", orders, project).isPositive();
        assertThat(count("select count(*) from " + project + "_" + orders + " where " + key + " not in (select " + key + " from "
            + project + "_" + parent + ")")).as("%s without their %s in project %s", orders, parent, project).isZero();
        // orders per person through the join, as in the warehouse (its persons under the project's pseudonyms)
        Map<Long, Long> released = counts("select p.person, count(*) from " + project + "_" + orders + " o join " + project + "_"
            + parent + " p using (" + key + ") group by p.person");
        Map<Long, Long> expected = new HashMap<>();
        counts("select p.person, count(*) from w_" + orders + " o join w_" + parent + " p using (" + key + ") where p.person in ("
            + includedLayer1() + ") group by p.person").forEach((layer1, n) -> {
              try {
                expected.put(TestKeys.release().project(id).pseudonym(layer1), n);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
        assertThat(released).as("%s per person through %s in project %s", orders, key, project).isEqualTo(expected).isNotEmpty();
      }
    }
  }

  /** The layer-1 pseudonyms of everyone in both projects: the cohort less persons 4 and 7. */
  private static String includedLayer1() {
    List<String> included = new ArrayList<>();
    for (int i = 0; i < TinyWarehouse.PERSONS; i++) {
      int age = java.time.Period.between(TinyWarehouse.birthDate(i), java.time.LocalDate.of(2022, 1, 1)).getYears();
      if (age >= 40 && age <= 90 && i != 4 && i != 7) {
        included.add(Long.toString(warehouse.layer1.get(i)));
      }
    }
    return String.join(", ", included);
  }
}
