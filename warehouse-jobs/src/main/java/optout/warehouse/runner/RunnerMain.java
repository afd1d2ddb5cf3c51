package optout.warehouse.runner;

import optout.warehouse.extract.ExclusionInput;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import optout.pseudonymizer.custody.KeyCustodies;
import optout.warehouse.cli.UsageException;
import optout.warehouse.cli.WarehouseEnvironment;
import optout.signing.DetachedSigner;
import optout.warehouse.keys.KeyAccess;
import optout.warehouse.registry.RegistrySnapshotClient;
import optout.warehouse.spark.WarehouseSession;
import org.apache.spark.sql.SparkSession;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The warehouse runner, a long-running Spark application ({@code ./optout up} starts it): one Spark
 * session, then jobs from the portal's job table until it is stopped. Settings from the environment: the
 * warehouse's ({@link WarehouseEnvironment}: catalog, Spark master, the release custody, the manifest
 * key, the registry) and the job table's, {@value #JDBC_URL}, {@value #JDBC_USER} and {@value #JDBC_PASSWORD}
 * (the runner's own role), {@value #LEASE} and {@value #POLL}; {@value #LEDGER_READER}, a role that may read the usage
 * ledger's PostgreSQL table (the portal's read-only role; the table is made at start if missing).
 */
public final class RunnerMain {

  public static final String JDBC_URL = "OPTOUT_RUNNER_JDBC_URL";
  public static final String JDBC_USER = "OPTOUT_RUNNER_JDBC_USER";
  public static final String JDBC_PASSWORD = "OPTOUT_RUNNER_JDBC_PASSWORD";
  public static final String LEASE = "OPTOUT_RUNNER_LEASE";
  public static final String POLL = "OPTOUT_RUNNER_POLL";
  public static final String LEDGER_READER = "OPTOUT_RUNNER_LEDGER_READER";
  static final String DEFAULT_JDBC_URL = "jdbc:postgresql://127.0.0.1:54320/research_portal";
  static final String DEFAULT_USER = "research_portal_runner";

  private RunnerMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    try {
      Path output = WarehouseEnvironment.output(env);
      RegistrySnapshotClient registry = new RegistrySnapshotClient(WarehouseEnvironment.registry(env));
      run(env, new ExclusionSource() {
        @Override
        public ExclusionInput latest(String purpose) throws Exception {
          return registry.latest(purpose, output.resolve("snapshots"));
        }

        @Override
        public ExclusionInput latest(String purpose, int keyVersion) throws Exception {
          return registry.latest(purpose, keyVersion, output.resolve("snapshots"));
        }
      });
    } catch (UsageException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
  }

  /** Runs jobs with exclusion snapshots from {@code exclusions} until the JVM is stopped. */
  public static void run(Map<String, String> env, ExclusionSource exclusions) throws Exception {
    PGSimpleDataSource jobs = jobTable(env);
    Duration lease = duration(env, LEASE, "PT2M");
    Duration poll = duration(env, POLL, "PT2S");
    WarehouseSession.Settings session = WarehouseEnvironment.session(env);
    String ledgerReader = env.get(LEDGER_READER);
    optout.warehouse.ledger.UsageLedger.preparePostgres(session, ledgerReader == null || ledgerReader.isBlank() ? null : ledgerReader.strip());
    KeyAccess keys = WarehouseEnvironment.keys(KeyCustodies.Duty.RELEASE, env);
    DetachedSigner signer = DetachedSigner.open(WarehouseEnvironment.manifestKey(env), WarehouseEnvironment.mayCreateManifestKey(env), "extract manifests");
    String name = env.getOrDefault("OPTOUT_RUNNER_NAME", ManagementFactory.getRuntimeMXBean().getName());
    SparkSession spark = WarehouseSession.open("warehouse-runner", session);
    Clock clock = Clock.systemUTC();
    WarehouseWork work = new WarehouseWork(spark, keys, session, signer, WarehouseEnvironment.output(env), exclusions, clock);
    System.out.println("Warehouse runner " + name + " claiming jobs (lease " + lease + ", Spark master " + spark.sparkContext().master() + ")");
    new JobRunner(new JobQueue(jobs, clock), name, lease, work.kinds()).runUntilInterrupted(poll);
  }

  static PGSimpleDataSource jobTable(Map<String, String> env) {
    String url = env.get(JDBC_URL);
    String password = env.get(JDBC_PASSWORD);
    if (password == null || password.isBlank()) {
      if (url != null && !url.isBlank()) {
        throw new UsageException(JDBC_URL + " is set: set " + JDBC_PASSWORD + " too");
      }
      password = "optout-local-demo";  // the embedded database's documented local demo password
    }
    PGSimpleDataSource source = new PGSimpleDataSource();
    source.setUrl(url == null || url.isBlank() ? DEFAULT_JDBC_URL : url);
    source.setUser(env.getOrDefault(JDBC_USER, DEFAULT_USER));
    source.setPassword(password);
    return source;
  }

  static Duration duration(Map<String, String> env, String name, String fallback) {
    try {
      return Duration.parse(env.getOrDefault(name, fallback).strip());
    } catch (DateTimeParseException e) {
      throw new UsageException(name + " must be an ISO-8601 duration such as PT2M");
    }
  }
}
