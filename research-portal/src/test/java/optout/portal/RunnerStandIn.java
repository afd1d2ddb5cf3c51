package optout.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;
import optout.platform.testing.TestDatabases;

/**
 * The warehouse runner's part, played through the runner's own database role (claim, progress, finish: exactly
 * what V2 grants it), with extract manifests signed by an Ed25519 key as the warehouse's and written into an
 * output directory as the runner writes them. The runner itself is tested in warehouse-jobs (RunnerCrashIT).
 */
public final class RunnerStandIn {

  private final Path output;
  private final KeyPair warehouseKey;
  private final Supplier<TestDatabases.TestDatabase> database;

  /** {@code database}: the portal's test database (read when the runner first connects). */
  public RunnerStandIn(Supplier<TestDatabases.TestDatabase> database) {
    this.database = database;
    try {
      output = Files.createTempDirectory("portal-warehouse-output");
      warehouseKey = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      Files.writeString(publicKey(), "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder().encodeToString(warehouseKey.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code optout.portal.warehouse-output}. */
  public Path output() {
    return output;
  }

  /** {@code optout.portal.manifest-public-key}. */
  public Path publicKey() {
    return output.resolve("extract-manifest.key.pub");
  }

  private Connection connect() throws Exception {
    TestDatabases.TestDatabase portal = database.get();
    return DriverManager.getConnection(portal.url(), portal.user() + "_runner", portal.password());
  }

  /** Claims the job (if queued) and reports progress; with a status, finishes it with that outcome. */
  public void run(UUID job, int progress, String status, String outcome) throws Exception {
    try (Connection connection = connect(); var statement = connection.prepareStatement("""
        update job set status = 'running', claimed_by = 'test-runner', claimed_at = now(), lease_until = now() + interval '1 minute',
          attempts = attempts + 1, progress = ? where id = ? and status in ('queued', 'running')""")) {
      statement.setInt(1, progress);
      statement.setObject(2, job);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
    if (status != null) {
      try (Connection connection = connect(); var statement = connection.prepareStatement(
          "update job set status = ?, progress = 100, finished_at = now(), outcome = ?, lease_until = null where id = ?")) {
        statement.setString(1, status);
        statement.setString(2, outcome);
        statement.setObject(3, job);
        assertThat(statement.executeUpdate()).isEqualTo(1);
      }
    }
  }

  /**
   * Releases an extract as the runner does: the signed manifest and the report in the output directory, then the
   * job finished with their paths. Answers the manifest's file (a test may alter it).
   */
  public Path releaseExtract(UUID job, String project, String extractId, String manifestJson, String reportJson, String tablesJson)
      throws Exception {
    Path directory = Files.createDirectories(output.resolve(extractId));
    byte[] manifest = manifestJson.getBytes(StandardCharsets.UTF_8);
    Path manifestFile = directory.resolve(extractId + ".manifest.json");
    Files.write(manifestFile, manifest);
    Signature signer = Signature.getInstance("Ed25519");
    signer.initSign(warehouseKey.getPrivate());
    signer.update(manifest);
    Files.writeString(directory.resolve(extractId + ".manifest.json.sig"), Base64.getEncoder().encodeToString(signer.sign()) + "\n");
    Path report = directory.resolve(extractId + ".representativeness.json");
    Files.writeString(report, reportJson);
    String namespace = "nhi.project_" + project.replace('-', '_');
    run(job, 100, "succeeded", "{\"kind\":\"extract\",\"extractId\":\"" + extractId + "\",\"manifest\":\"" + manifestFile
        + "\",\"manifestSha256\":\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(manifest))
        + "\",\"signature\":\"" + manifestFile + ".sig\",\"report\":\"" + report
        + "\",\"namespace\":\"" + namespace + "\",\"tables\":" + tablesJson + "}");
    return manifestFile;
  }
}
