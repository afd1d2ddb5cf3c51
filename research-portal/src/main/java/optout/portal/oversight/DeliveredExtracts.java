package optout.portal.oversight;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The extracts the warehouse delivered (succeeded {@code extract} jobs) with the files the runner reported:
 * the signed manifest, its signature and the representativeness report, read only from inside the warehouse's
 * output directory. Read-only; the delivery feature shows the same to the researcher.
 */
@Component
class DeliveredExtracts {

  /** One delivered extract; {@code manifest} is null when its file cannot be read. */
  record Delivered(String project, String extractId, Instant deliveredAt, Path manifestFile, Path signatureFile, Path reportFile,
      byte[] manifest, JsonNode manifestJson) {

    /** The registry checkpoint the manifest names: its size, or null. */
    Long checkpointSize() {
      JsonNode size = manifestJson == null ? null : manifestJson.path("registry").path("checkpoint").path("size");
      return size != null && size.canConvertToExactIntegral() && size.canConvertToLong() ? size.asLong() : null;
    }
  }

  private final JdbcTemplate jdbc;
  private final JsonMapper json;
  private final Path output;
  private final Path manifestKey;

  DeliveredExtracts(JdbcTemplate jdbc, JsonMapper json, @Value("${optout.portal.warehouse-output}") Path output,
      @Value("${optout.portal.manifest-public-key}") Path manifestKey) {
    this.jdbc = jdbc;
    this.json = json;
    this.output = output.toAbsolutePath().normalize();
    this.manifestKey = manifestKey;
  }

  /** The warehouse's manifest key (PEM), as configured for delivery. */
  Path manifestKey() {
    return manifestKey;
  }

  /** Every delivered extract, newest first (at most 1,000). */
  List<Delivered> all() {
    List<Delivered> found = new ArrayList<>();
    jdbc.query("select project, outcome, finished_at from job where kind = 'extract' and status = 'succeeded' order by finished_at desc limit 1000",
        row -> {
          found.add(read(row.getString("project"), row.getString("outcome"), row.getTimestamp("finished_at").toInstant()));
        });
    return found;
  }

  /** The newest delivered extract of a project. */
  Optional<Delivered> of(String project) {
    return jdbc.query("select outcome, finished_at from job where kind = 'extract' and status = 'succeeded' and project = ?"
        + " order by finished_at desc limit 1", (row, n) -> read(project, row.getString("outcome"), row.getTimestamp("finished_at").toInstant()),
        project).stream().findFirst();
  }

  /** Checkpoint sizes that propagations of delivered projects ran against. */
  List<Long> propagationCheckpoints() {
    List<Long> sizes = new ArrayList<>();
    jdbc.query("select outcome from job where kind = 'propagation' and status = 'succeeded' and outcome is not null order by finished_at desc limit 1000",
        row -> {
          JsonNode size = json.readTree(row.getString("outcome")).path("registryCheckpoint").path("size");
          if (size.canConvertToExactIntegral() && size.canConvertToLong()) {
            sizes.add(size.asLong());
          }
        });
    return sizes;
  }

  private Delivered read(String project, String outcomeText, Instant deliveredAt) {
    JsonNode outcome = json.readTree(outcomeText);
    Path manifest = inside(outcome.path("manifest").asString(null));
    Path signature = inside(outcome.path("signature").asString(null));
    Path report = inside(outcome.path("report").asString(null));
    byte[] bytes = null;
    JsonNode parsed = null;
    try {
      if (manifest != null) {
        bytes = Files.readAllBytes(manifest);
        parsed = json.readTree(bytes);
      }
    } catch (IOException | RuntimeException e) {
      bytes = null;
      parsed = null;
    }
    return new Delivered(project, outcome.path("extractId").asString(null), deliveredAt, manifest, signature, report, bytes, parsed);
  }

  /** A path the runner reported, only if it lies inside the warehouse's output directory. */
  private Path inside(String reported) {
    if (reported == null) {
      return null;
    }
    Path path = Path.of(reported).toAbsolutePath().normalize();
    return path.startsWith(output) ? path : null;
  }
}
