package optout.warehouse.rotation;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import optout.warehouse.TestCatalogs;
import optout.warehouse.extract.ExclusionInput;
import optout.warehouse.extract.ExtractJob;
import optout.warehouse.extract.ExtractRelease;
import optout.warehouse.spec.ExtractSpec;
import optout.signing.DetachedSigner;
import optout.warehouse.extract.RegistrySnapshots;
import optout.warehouse.ingest.Ingest;
import optout.warehouse.ingest.Rekey;
import optout.warehouse.ingest.WarehouseTables;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.spark.WarehouseSession;
import optout.warehouse.synthetic.GenerateJob;
import optout.warehouse.synthetic.GeneratorSettings;
import org.apache.spark.sql.SparkSession;

/**
 * The warehouse's half of the key rotation test (the trust centre's {@code KeyRotationIT} runs it in a JVM
 * of its own, as the warehouse runs beside the services: Spark never shares a class path with Spring).
 * With the keystore of {@code OPTOUT_KEYSTORE} (warehouse key v1, the two projects' keys) and a fresh test
 * catalog: generate and ingest a first delivery (470 people, under v1), release project A's extract,
 * rotate the warehouse key and re-key the warehouse, generate and ingest a second delivery (under v2: the
 * same seed at twice the scale, so the first delivery's 470 people and 470 more), release project B's
 * extract. For each
 * project it leaves in the work directory what a researcher holds: the project's person pseudonyms
 * ({@code <project>.pseudonyms}, one a line, from the project's enrollment table) and the extract's signed
 * manifest ({@code <project>.manifest.json} and {@code .sig}); the raw deliveries stay in {@code raw-1} and
 * {@code raw-2} (the generator's truth), the manifest key in {@code keys}.
 *
 * <p>Usage: {@code RotationScenario WORK_DIRECTORY PROJECT_A PROJECT_B}
 */
public final class RotationScenario {

  private static final String SPEC = """
      {"project": "%s", "purpose": "academic-research", "legalBasis": "PDPA art. 6, IRB 2026-123",
       "tables": {"enrollment": ["person", "birth_date", "sex", "county"],
                  "outpatient_visit": ["visit_id", "person", "visit_date", "icd1", "hospital"]},
       "cohort": {"diagnoses": ["J0", "I10", "E11", "K0"], "from": "2022-01-01", "to": "2022-12-31", "minAge": 0, "maxAge": 120},
       "generalisation": {"birthDate": "year", "careDates": "month"}}""";

  private RotationScenario() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3) {
      throw new IllegalArgumentException("Usage: RotationScenario WORK_DIRECTORY PROJECT_A PROJECT_B");
    }
    Path work = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    // as in production: ingest, rotation and re-keying with the warehouse custody, the extracts with the release custody
    KeyAccess warehouse = KeyAccess.of(optout.pseudonymizer.custody.KeyCustodies.Duty.WAREHOUSE, System.getenv());
    KeyAccess release = KeyAccess.of(optout.pseudonymizer.custody.KeyCustodies.Duty.RELEASE, System.getenv());
    WarehouseSession.Settings settings = TestCatalogs.settings();
    SparkSession spark = WarehouseSession.open("rotation-scenario", settings);
    try {
      DetachedSigner signer = DetachedSigner.open(work.resolve("keys/extract-manifest.key"), true, "extract manifests");
      deliverAndRelease(spark, warehouse, release, settings, signer, work, 1, 0.00002, args[1], out);
      out.println("Rotating the warehouse key: warehouse.v" + warehouse.custody().createWarehouseKey().version());
      new Rekey(spark, warehouse, out).run(WarehouseTables.NAMESPACE);
      deliverAndRelease(spark, warehouse, release, settings, signer, work, 2, 0.00004, args[2], out);
    } finally {
      spark.stop();
    }
  }

  private static void deliverAndRelease(SparkSession spark, KeyAccess warehouse, KeyAccess release, WarehouseSession.Settings settings,
      DetachedSigner signer,
      Path work, int delivery, double scale, String project, PrintStream out) throws Exception {
    Path raw = work.resolve("raw-" + delivery);
    GenerateJob.run(spark, new GeneratorSettings(11, scale, 2022, 2022), new org.apache.hadoop.fs.Path(raw.toUri()), 2, out);
    Ingest.Report ingested = new Ingest(spark, warehouse, out).run(raw.toString(), Ingest.Settings.defaults());
    out.println("Delivery " + delivery + " ingested under warehouse key v" + ingested.keyVersion());
    // the registry re-keys at its start after the rotation, so its snapshots name the warehouse's new version
    ExclusionInput exclusion = RegistrySnapshots.publish(work.resolve("snapshot-" + delivery + ".parquet"), "academic-research", 0, List.of(),
        ingested.keyVersion()).verified();
    ExtractRelease.Released released = new ExtractRelease(spark, release, settings, signer, Clock.systemUTC())
        .release(ExtractSpec.parse(SPEC.formatted(project)), exclusion, work.resolve("output"));
    ExtractRelease.print(released, out);
    Files.copy(released.manifest(), work.resolve(project + ".manifest.json"));
    Files.copy(released.manifest().resolveSibling(released.manifest().getFileName() + ".sig"), work.resolve(project + ".manifest.json.sig"));
    List<String> persons = spark.table(ExtractJob.namespace(project) + ".enrollment").select("person").collectAsList().stream()
        .map(row -> Long.toString(row.getLong(0))).toList();
    Files.write(work.resolve(project + ".pseudonyms"), persons);
  }
}
