package optout.demo.warehouse;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import optout.demo.DemoLogin;
import optout.pseudonymizer.id.PersonId;
import optout.warehouse.cli.WarehouseCommand;
import optout.warehouse.cli.WarehouseEnvironment;
import optout.warehouse.spec.DataDictionary;
import optout.warehouse.extract.ExclusionInput;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.extract.ExtractRelease;
import optout.warehouse.spec.ExtractSpec;
import optout.signing.DetachedSigner;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.propagate.Propagation;
import optout.warehouse.registry.RegistrySnapshotClient;
import optout.warehouse.report.Representativeness;
import optout.warehouse.spark.WarehouseSession;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The whole chain on one machine, after {@code ./optout up} and a small generate and ingest: a clerk
 * files opt-outs at the consent service's counter (virtual pad) for people who are in a diabetes
 * cohort; the registry receives them through the outbox; an extract is built against the registry's
 * verified exclusion snapshot; the demo shows the manifest, the representativeness summary and that
 * none of those people is in any table. Then one more person, who is in the delivered extract, opts
 * out; propagation removes them. National IDs are never printed, only masked.
 */
public final class WarehouseDemo {

  private static final String PROJECT = "demo-project";
  private static final String PURPOSE = "academic-research";
  private static final String SPEC = """
      {"project": "demo-project", "purpose": "academic-research",
       "legalBasis": "Demo only: Personal Data Protection Act art. 6(1)(4) and an IRB approval, as a real project would cite",
       "tables": {"enrollment": ["person", "birth_date", "sex", "county"],
                  "outpatient_visit": ["visit_id", "person", "hospital", "visit_date", "icd1", "icd2", "points"],
                  "outpatient_order": ["visit_id", "code", "total_quantity", "points"],
                  "pharmacy_dispensing": ["rx_id", "person", "dispense_date", "drug_days"]},
       "cohort": {"diagnoses": ["E11"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
       "generalisation": {"birthDate": "five-year-band", "careDates": "month"}}""";

  private WarehouseDemo() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("Usage: WarehouseDemo RAW_DIRECTORY (./optout demo runs it)");
      System.exit(2);
    }
    WarehouseCommand.useCommandLineLogging();
    System.exit(run(Path.of(args[0]), System.getenv(), System.out));
  }

  static int run(Path raw, Map<String, String> env, PrintStream out) throws Exception {
    WarehouseSession.Settings session = WarehouseEnvironment.session(env);
    // The demo checks its own results by computing the pseudonyms it expects, so it uses both custodies; the
    // extract and propagation themselves get only the release custody.
    KeyAccess warehouseKeys = WarehouseEnvironment.keys(optout.pseudonymizer.custody.KeyCustodies.Duty.WAREHOUSE, env);
    KeyAccess releaseKeys = WarehouseEnvironment.keys(optout.pseudonymizer.custody.KeyCustodies.Duty.RELEASE, env);
    Path output = WarehouseEnvironment.output(env);
    URI consent = URI.create(env.getOrDefault("OPTOUT_CONSENT_URL", "http://localhost:8082"));
    URI issuer = URI.create(env.getOrDefault(WarehouseEnvironment.KEYCLOAK_ISSUER, "http://localhost:8080/realms/nhi-optout"));
    RegistrySnapshotClient registry = new RegistrySnapshotClient(WarehouseEnvironment.registry(env));
    SparkSession spark = WarehouseCommand.open("warehouse-demo", session);
    try {
      ExtractSpec spec = ExtractSpec.parse(SPEC);
      Files.createDirectories(output);
      Files.writeString(output.resolve("demo-spec.json"), SPEC, StandardCharsets.UTF_8);

      out.println("\n== 1. People with type 2 diabetes (E11) in 2022-2023, aged 40-90: six of them will opt out");
      // not anyone who opted out in an earlier run of the demo: the registry's current snapshot says who did
      ExclusionInput already = registry.latest(PURPOSE, output.resolve("snapshots"));
      java.util.Set<Long> optedOut = new java.util.HashSet<>();
      for (Row row : spark.read().parquet(already.parquet().toString()).collectAsList()) {
        optedOut.add(row.getLong(0));
      }
      List<String> people = new ArrayList<>();
      for (String candidate : cohortMembers(spark, raw, 500)) {
        if (people.size() < 6 && !optedOut.contains(warehouseKeys.warehouse().pseudonym(PersonId.parse(candidate)))) {
          people.add(candidate);
        }
      }
      if (people.size() < 6) {
        throw new IllegalStateException("Too few people of the cohort are left who have not opted out in earlier runs: delete var/demo and"
            + " var/warehouse, or raise OPTOUT_DEMO_SCALE");
      }
      out.println("   chosen: " + people.stream().map(WarehouseDemo::mask).toList());

      out.println("\n== 2. A clerk files their opt-outs at the counter; each signs on the virtual pad");
      CounterClerk clerk = new CounterClerk(consent, DemoLogin.accessToken(issuer, "optout-web", consent.resolve("/counter/"), "clerk-demo",
          "local-demo-only"));
      List<String> first = people.subList(0, 5);
      long published = registry.publishedSize();
      for (String person : first) {
        String filing = clerk.fileOptOut(person, PURPOSE);
        clerk.awaitDelivery(filing, Duration.ofSeconds(60));
        out.println("   " + mask(person) + ": filing " + filing + ", sealed, delivered to the registry");
      }
      // the registry's next checkpoint covers them, once its witness cosigned it (what the registry serves then)
      registry.awaitPublishedSize(published + first.size(), Duration.ofSeconds(60));

      out.println("\n== 3. The extract, against the registry's verified exclusion snapshot");
      ExclusionInput exclusion = registry.latest(PURPOSE, output.resolve("snapshots"));
      DetachedSigner signer = DetachedSigner.open(WarehouseEnvironment.manifestKey(env), WarehouseEnvironment.mayCreateManifestKey(env), "extract manifests");
      ExtractRelease.Released released = new ExtractRelease(spark, releaseKeys, session, signer, Clock.systemUTC()).release(spec, exclusion, output);
      ExtractRelease.print(released, out);
      out.println("\n   The manifest (canonical JSON, signed):");
      out.println("   " + Files.readString(released.manifest()));

      out.println("\n== 4. Representativeness: the cohort before and after exclusion");
      for (Representativeness.Dimension dimension : released.representativeness().dimensions()) {
        out.printf("   %-18s largest |d| %.3f%s%n", dimension.name(), dimension.largestDifference(), dimension.flagged() ? "  FLAGGED" : "");
      }

      out.println("\n== 5. Proof: none of the five who opted out is in any table of the extract");
      String namespace = ExtractJob.namespace(PROJECT);
      Dataset<Row> snapshot = spark.read().parquet(exclusion.parquet().toString());
      for (String person : first) {
        long layer1 = warehouseKeys.warehouse().pseudonym(PersonId.parse(person));
        long layer2 = releaseKeys.project(PROJECT).pseudonym(layer1);
        boolean inSnapshot = snapshot.where(col("pseudonym").equalTo(layer1)).count() == 1;
        long rows = rowsAbout(spark, namespace, layer2);
        out.println("   " + mask(person) + ": in the registry's snapshot " + (inSnapshot ? "yes" : "NO") + "; rows in the extract " + rows);
        if (!inSnapshot || rows != 0) {
          throw new IllegalStateException("The extract does not honour the opt-out of " + mask(person));
        }
      }

      out.println("\n== 6. After delivery, one more person in the extract opts out; propagation removes them");
      String late = people.get(5);
      long lateLayer2 = releaseKeys.project(PROJECT).pseudonym(warehouseKeys.warehouse().pseudonym(PersonId.parse(late)));
      long before = rowsAbout(spark, namespace, lateLayer2);
      out.println("   " + mask(late) + ": " + before + " rows in the extract before");
      long publishedBefore = registry.publishedSize();
      String filing = clerk.fileOptOut(late, PURPOSE);
      clerk.awaitDelivery(filing, Duration.ofSeconds(60));
      registry.awaitPublishedSize(publishedBefore + 1, Duration.ofSeconds(60));
      ExclusionInput newer = registry.latest(PURPOSE, output.resolve("snapshots"));
      Propagation.Removed removed = new Propagation(spark, releaseKeys, Clock.systemUTC()).propagate(PROJECT, newer);
      long after = rowsAbout(spark, namespace, lateLayer2);
      out.println("   propagated checkpoint " + newer.checkpointSize() + ": " + removed.rowsPerTable() + ", " + removed.filesDeleted()
          + " files deleted");
      out.println("   " + mask(late) + ": " + after + " rows in the extract after");
      if (before == 0 || after != 0) {
        throw new IllegalStateException("Propagation did not remove " + mask(late));
      }
      out.println("\nDone: every opt-out was honoured, before and after delivery.");
      return 0;
    } finally {
      spark.stop();
    }
  }

  /** Rows in the project's tables that are about the person (by their layer-2 pseudonym). */
  private static long rowsAbout(SparkSession spark, String namespace, long layer2) {
    long rows = 0;
    for (DataDictionary.Table table : DataDictionary.tables()) {
      String name = namespace + "." + table.name();
      if (table.personColumn().isPresent() && spark.catalog().tableExists(name)) {
        rows += spark.table(name).where(col("person").equalTo(layer2)).count();
      }
    }
    return rows;
  }

  /** The first {@code count} people (by ID, so the same each run) of the raw files in the demo's cohort. */
  private static List<String> cohortMembers(SparkSession spark, Path raw, int count) {
    Dataset<Row> visits = spark.read().option("header", "true").csv(raw.resolve("CD").toString());
    Dataset<Row> persons = spark.read().option("header", "true").csv(raw.resolve("ID").toString());
    Dataset<Row> diabetic = visits
        .where(col("FUNC_DATE").between("2022-01-01", "2023-12-31"))
        .where(col("ICD9CM_1").startsWith("E11").or(col("ICD9CM_2").startsWith("E11")).or(col("ICD9CM_3").startsWith("E11")))
        .select("ID").distinct();
    Dataset<Row> aged = persons.where(col("ID_BIRTHDAY").between("1931-01-02", "1982-01-01")).select("ID");
    List<String> ids = new ArrayList<>();
    for (Row row : diabetic.join(aged, "ID").orderBy("ID").limit(count).collectAsList()) {
      ids.add(row.getString(0));
    }
    return ids;
  }

  private static String mask(String id) {
    return id.charAt(0) + "******" + id.substring(id.length() - 3);
  }
}
