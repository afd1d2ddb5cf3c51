package optout.warehouse.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import optout.registry.log.CheckpointVerifier;
import optout.registry.log.Ed25519NoteVerifier;
import optout.registry.log.Hash;
import optout.warehouse.extract.ExclusionInput;
import optout.warehouse.extract.VerifiedSnapshots;

/**
 * Fetches the exclusion snapshot of a purpose at the registry's latest checkpoint and verifies it
 * before anything uses it. The job logs in at Keycloak with a service account that the registry gives
 * the role data-releaser (by default the portal's, {@code optout-portal}); the log's origin and
 * verifier key are taken from the registry once and should be pinned in configuration for production,
 * so that a compromised registry endpoint cannot swap the key under the check.
 */
public final class RegistrySnapshotClient {

  /**
   * Where the registry and Keycloak are, and who the job is; {@code checkpointMemory}, if not null, is the
   * file that keeps the newest checkpoint verified, which every later one must extend;
   * {@code witnessVerifierKey}, if not null, the registry's witness, whose cosignature every checkpoint
   * used (and remembered) must carry.
   */
  public record Settings(URI registry, URI tokenEndpoint, String clientId, String clientSecret, String logOrigin, String pinnedVerifierKey,
      Path checkpointMemory, String witnessVerifierKey) {

    /** Without a witness: the log's signature alone is checked. */
    public Settings(URI registry, URI tokenEndpoint, String clientId, String clientSecret, String logOrigin, String pinnedVerifierKey,
        Path checkpointMemory) {
      this(registry, tokenEndpoint, clientId, clientSecret, logOrigin, pinnedVerifierKey, checkpointMemory, null);
    }

    List<String> witnessKeys() {
      return witnessVerifierKey == null || witnessVerifierKey.isBlank() ? List.of() : List.of(witnessVerifierKey);
    }
  }

  /** The registry's snapshot IDs: purpose[+exemption]@tree size. */
  private static final Pattern SNAPSHOT_ID =
      Pattern.compile("[a-z][a-z0-9-]{0,63}(\\+[a-z][a-z0-9-]{0,63})?@(0|[1-9][0-9]{0,18})(~k[1-9][0-9]{0,8})?");

  private final Settings settings;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper();

  public RegistrySnapshotClient(Settings settings) {
    this.settings = settings;
  }

  /** Makes (or finds) the snapshot of {@code purpose} at the latest checkpoint, downloads it to {@code directory}, and verifies it. */
  public ExclusionInput latest(String purpose, Path directory) throws IOException, InterruptedException, VerifiedSnapshots.UnverifiedSnapshotException {
    return latest(purpose, 0, directory);
  }

  /**
   * As above, the pseudonyms under warehouse key {@code keyVersion} (0: the registry's current one), for a project
   * built before a rotation; the snapshot's signed manifest must name that version.
   */
  public ExclusionInput latest(String purpose, int keyVersion, Path directory)
      throws IOException, InterruptedException, VerifiedSnapshots.UnverifiedSnapshotException {
    String token = token();
    var body = json.createObjectNode().put("purpose", purpose);
    if (keyVersion > 0) {
      body.put("keyVersion", keyVersion);
    }
    HttpResponse<String> made = http.send(HttpRequest.newBuilder(settings.registry().resolve("/api/v1/snapshots"))
        .timeout(Duration.ofMinutes(5)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
        HttpResponse.BodyHandlers.ofString());
    if (made.statusCode() != 200 && made.statusCode() != 201) {
      throw new IOException("The registry did not make the exclusion snapshot of " + purpose + ": HTTP " + made.statusCode() + " " + made.body());
    }
    JsonNode snapshot = json.readTree(made.body());
    // Both name files here and a size to fetch: taken only as the registry's own forms (0 is a real size, the empty tree's)
    String id = snapshot.path("id").asText("");
    JsonNode size = snapshot.path("checkpoint");
    if (!SNAPSHOT_ID.matcher(id).matches() || !size.canConvertToExactIntegral() || !size.canConvertToLong() || size.asLong() < 0
        || !id.replaceFirst("~k[0-9]+$", "").endsWith("@" + size.asLong())) {
      throw new IOException("The registry's answer names no snapshot of " + purpose + " at a checkpoint: " + excerpt(made.body()));
    }
    long checkpoint = size.asLong();
    Files.createDirectories(directory);
    Path parquet = directory.resolve(id + ".parquet");
    HttpResponse<Path> file = http.send(get("/api/v1/snapshots/" + id + "/file", token), HttpResponse.BodyHandlers.ofFile(parquet));
    if (file.statusCode() != 200) {
      throw new IOException("Cannot download exclusion snapshot " + id + ": HTTP " + file.statusCode());
    }
    String manifest = text(get("/api/v1/snapshots/" + id + "/manifest", token));
    Files.writeString(directory.resolve(id + ".manifest"), manifest, StandardCharsets.UTF_8);
    String signedCheckpoint = text(get("/api/v1/log/checkpoints/" + checkpoint, null));
    String verifierKey = settings.pinnedVerifierKey() != null ? settings.pinnedVerifierKey() : text(get("/api/v1/log/verifier-key", null));
    ExclusionInput verified = VerifiedSnapshots.verify(parquet, manifest, signedCheckpoint, settings.logOrigin(), verifierKey,
        settings.witnessKeys());
    if (keyVersion > 0) {
      verified.requireKeyVersion(keyVersion);
    }
    if (settings.checkpointMemory() != null) {
      CheckpointVerifier log = VerifiedSnapshots.checkpointVerifier(settings.logOrigin(), Ed25519NoteVerifier.fromVerifierKey(verifierKey.strip()),
          settings.witnessKeys());
      new CheckpointMemory(settings.checkpointMemory(), log).advance(signedCheckpoint, this::consistency);
    }
    return verified;
  }

  /**
   * The size of the checkpoint the registry serves as its latest (with a witness, the newest cosigned one). Not
   * verified: only for waiting until a filing is covered; {@link #latest} verifies what it uses.
   */
  public long publishedSize() throws IOException, InterruptedException {
    String note = text(get("/api/v1/log/checkpoint", null));
    String[] lines = note.split("\n", 3);
    if (lines.length < 3 || !lines[1].matches("0|[1-9][0-9]{0,18}")) {
      throw new IOException("The registry's latest checkpoint is not a checkpoint: " + excerpt(note));
    }
    return Long.parseLong(lines[1]);
  }

  /** Waits until the registry serves a checkpoint of at least {@code size} leaves. */
  public void awaitPublishedSize(long size, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (publishedSize() < size) {
      if (System.nanoTime() > deadline) {
        throw new IOException("The registry did not publish a checkpoint of " + size + " leaves within " + timeout.toSeconds()
            + " s (with a witness: is it running, and did it refuse? see ./optout status and the registry's alerts)");
      }
      Thread.sleep(250);
    }
  }

  private List<Hash> consistency(long from, long to) throws IOException, InterruptedException {
    JsonNode proof = json.readTree(text(get("/api/v1/log/consistency?from=" + from + "&to=" + to, null)));
    List<Hash> path = new ArrayList<>();
    for (JsonNode hash : proof.path("path")) {
      path.add(Hash.fromBase64(hash.asText()));
    }
    return path;
  }

  private static String excerpt(String body) {
    return body.length() <= 200 ? body : body.substring(0, 200) + "...";
  }

  private HttpRequest get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(settings.registry().resolve(path)).timeout(Duration.ofMinutes(2)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  private String text(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("The registry answered HTTP " + response.statusCode() + " to " + request.uri().getPath());
    }
    return response.body();
  }

  private String token() throws IOException, InterruptedException {
    if (settings.clientSecret() == null || settings.clientSecret().isBlank()) {
      throw new IllegalStateException("Cannot fetch exclusion snapshots: no client secret for " + settings.clientId()
          + " (OPTOUT_REGISTRY_CLIENT_SECRET)");
    }
    String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(settings.clientId(), StandardCharsets.UTF_8)
        + "&client_secret=" + URLEncoder.encode(settings.clientSecret(), StandardCharsets.UTF_8);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(settings.tokenEndpoint()).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Keycloak refused the job's service account " + settings.clientId() + ": HTTP " + response.statusCode());
    }
    return json.readTree(response.body()).path("access_token").asText();
  }
}
