package optout.portal.delivery;

import io.swagger.v3.oas.annotations.Operation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import optout.portal.application.ApplicationStatus;
import optout.portal.application.ApplicationStore;
import optout.portal.application.ApplicationStore.ApplicationRow;
import optout.portal.launch.Jobs;
import optout.platform.problem.ProblemResponses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivery (issue 16, item 5): once the approved extract ran, the researcher sees its manifest (and whether
 * its signature verifies under the warehouse's key), the representativeness report, the project's tables
 * and how to reach them in the secure environment, and how many persons later opt-outs removed since
 * delivery. While the extract runs, its status and progress. Researchers only, their own applications.
 */
@RestController
@EnableConfigurationProperties(DeliveryProperties.class)
class DeliveryController {

  static final String PATH = "/api/v1/applications/{id}/delivery";
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryController.class);

  private final ApplicationStore applications;
  private final Jobs jobs;
  private final JsonMapper json;
  private final DeliveryProperties properties;
  private final RegistryCheckpoints checkpoints;

  DeliveryController(ApplicationStore applications, Jobs jobs, JsonMapper json, DeliveryProperties properties, RegistryCheckpoints checkpoints) {
    this.applications = applications;
    this.jobs = jobs;
    this.json = json;
    this.properties = properties;
    this.checkpoints = checkpoints;
  }

  /** The manifest and its check: {@code verified} is the warehouse's signature and the SHA-256 the runner reported. */
  record Manifest(JsonNode content, boolean verified, boolean signatureValid, boolean sha256Matches, String sha256, String signingKeySha256) {}

  /** The registry checkpoint the manifest names and what was verified of it; {@code verified} only if all three hold. */
  record Checkpoint(String origin, Long size, String rootHash, boolean registrySignatureVerified, boolean witnessCosignatureVerified,
      boolean matchesManifest, boolean verified, String problem) {}

  record ProjectTable(String name, String table, long rows) {}

  /** Later opt-outs carried into the project: persons removed since delivery, and when the last propagation ran. */
  record Propagated(long personsRemovedSinceDelivery, int propagations, Instant lastPropagatedAt, Long lastCheckpointSize, String pending) {}

  /**
   * {@code checkpoint}: the registry checkpoint the manifest names (its exclusion snapshot's), checked against the registry's
   * signature and the witness's cosignature.
   */
  record DeliveryView(UUID job, String extractId, String status, int progress, Instant queuedAt, Instant deliveredAt, Manifest manifest,
      Checkpoint checkpoint, JsonNode representativeness, List<ProjectTable> tables, String access, Propagated propagation, String error) {}

  @GetMapping(PATH)
  @Operation(summary = "The delivered extract: manifest (signature checked), representativeness report, tables and how to reach them, persons removed since delivery")
  DeliveryView show(JwtAuthenticationToken caller, @PathVariable UUID id) throws IOException {
    ApplicationRow application = applications.find(id).filter(a -> a.ownerSubject().equals(caller.getToken().getSubject()))
        .orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "not-found", "Not found", "No such application of yours."));
    if (application.status() != ApplicationStatus.APPROVED) {
      throw ProblemResponses.exception(HttpStatus.CONFLICT, "not-approved", "Not approved",
          "Only an approved application has an extract; this one is " + application.status().wire() + ".");
    }
    Jobs.JobView extract = jobs.latest(id, "extract").orElseThrow(() -> ProblemResponses.exception(HttpStatus.NOT_FOUND, "no-delivery",
        "No extract", "No extract was queued for this application."));
    JsonNode outcome = extract.outcome() == null ? null : json.readTree(extract.outcome());
    if (!extract.status().equals("succeeded")) {
      String error = extract.status().equals("failed") && outcome != null && outcome.has("error") ? outcome.get("error").asString() : null;
      return new DeliveryView(extract.id(), null, extract.status(), extract.progress(), extract.queuedAt(), null, null, null, null, List.of(), null,
          null, error);
    }
    String namespace = outcome.get("namespace").asString();
    List<ProjectTable> tables = new ArrayList<>();
    outcome.get("tables").properties().forEach(e -> tables.add(new ProjectTable(e.getKey(), namespace + "." + e.getKey(), e.getValue().asLong())));
    String access = "In the secure environment, with the project's account: Spark SQL on the catalog nhi, e.g. SELECT * FROM "
        + namespace + "." + tables.get(0).name() + " (./optout warehouse, or any Spark session with the Iceberg catalog). "
        + "Nothing in these tables links to another project or to the warehouse.";
    Manifest manifest = manifest(outcome);
    return new DeliveryView(extract.id(), outcome.get("extractId").asString(), extract.status(), extract.progress(), extract.queuedAt(),
        extract.finishedAt(), manifest, checkpoint(manifest.content().path("registry").path("checkpoint")), report(outcome), tables, access,
        propagated(extract), null);
  }

  private Manifest manifest(JsonNode outcome) throws IOException {
    Path file = underOutput(outcome.get("manifest").asString());
    Path signature = underOutput(outcome.get("signature").asString());
    byte[] bytes = Files.readAllBytes(file);
    ManifestCheck.Verdict verdict;
    try {
      verdict = ManifestCheck.check(bytes, Files.readString(signature), outcome.get("manifestSha256").asString(), properties.manifestPublicKey());
    } catch (GeneralSecurityException | IOException e) {
      LOG.warn("Cannot check an extract manifest's signature: {}", e.getClass().getSimpleName());
      verdict = new ManifestCheck.Verdict(false, false, null);
    }
    return new Manifest(json.readTree(bytes), verdict.verified(), verdict.signatureValid(), verdict.sha256Matches(),
        outcome.get("manifestSha256").asString(), verdict.keySha256());
  }

  private Checkpoint checkpoint(JsonNode named) {
    JsonNode size = named.path("size");
    CheckpointCheck.Verdict verdict = checkpoints.check(named.path("origin").isString() ? named.get("origin").asString() : null,
        size.canConvertToExactIntegral() && size.canConvertToLong() ? size.asLong() : null,
        named.path("rootHash").isString() ? named.get("rootHash").asString() : null);
    return new Checkpoint(verdict.origin(), verdict.size(), verdict.rootHash(), verdict.registrySignatureVerified(),
        verdict.witnessCosignatureVerified(), verdict.matchesManifest(), verdict.verified(), verdict.problem());
  }

  private JsonNode report(JsonNode outcome) throws IOException {
    return json.readTree(Files.readAllBytes(underOutput(outcome.get("report").asString())));
  }

  /** A path the runner reported, accepted only inside the warehouse's output directory. */
  private Path underOutput(String reported) {
    Path path = Path.of(reported).toAbsolutePath().normalize();
    if (!path.startsWith(properties.warehouseOutput())) {
      throw ProblemResponses.exception(HttpStatus.INTERNAL_SERVER_ERROR, "delivery-unavailable", "Delivery unavailable",
          "The extract's files are not where the portal reads the warehouse's releases.");
    }
    return path;
  }

  private Propagated propagated(Jobs.JobView extract) {
    long removed = 0;
    int count = 0;
    Instant last = null;
    Long checkpoint = null;
    String pending = null;
    for (Jobs.JobView propagation : jobs.propagations(extract.project())) {
      if (propagation.pending()) {
        pending = propagation.status();
      }
      if (!propagation.status().equals("succeeded") || propagation.outcome() == null) {
        continue;
      }
      JsonNode outcome = json.readTree(propagation.outcome());
      removed += outcome.get("personsRemoved").asLong();
      count++;
      last = propagation.finishedAt();
      checkpoint = outcome.path("registryCheckpoint").path("size").asLong();
    }
    return new Propagated(removed, count, last, checkpoint, pending);
  }
}
