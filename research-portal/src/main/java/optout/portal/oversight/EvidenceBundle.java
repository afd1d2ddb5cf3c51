package optout.portal.oversight;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import optout.portal.registrylog.RegistryLogProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The evidence bundle of one delivered extract: a zip an auditor verifies offline with the scripts inside it
 * ({@code verify/verify-evidence-bundle.py}, which runs {@code verify-registry-log.py} and
 * {@code recompute-snapshot.py}). It holds the registry's log up to the checkpoint the extract's manifest names
 * (leaves, the signed and cosigned checkpoint, the verifier key, the openings of the event leaves and the re-key
 * mapping into the extract's warehouse key version), the exclusion
 * snapshot of the manifest's purpose at that checkpoint (signed manifest, pseudonyms), the extract's signed
 * manifest with the warehouse's key, and the representativeness report. Everything the registry hands only
 * to auditors is asked for with the auditor's own token. Each bundle taken out is recorded ({@code evidence_export}).
 */
@Component
class EvidenceBundle {

  /** Why no bundle can be made: {@code type} is the problem type answered. */
  static final class Unavailable extends Exception {
    final String type;

    Unavailable(String type, String detail) {
      super(detail, null, false, false);
      this.type = type;
    }
  }

  /** A made bundle, in a temporary file the caller streams and deletes. */
  record Made(Path file, String sha256, long size, String extractId, long checkpointSize) {}

  private static final Pattern SNAPSHOT_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern PURPOSE = Pattern.compile("[a-z][a-z0-9-]{0,63}");
  private static final int PAGE = 1000;
  private static final long MAX_LEAVES = 5_000_000;
  /** The most a streamed part (the snapshot's pseudonyms, the re-key mapping) may take: 5 million pseudonyms. */
  private static final long MAX_STREAMED = 5_000_000L * 100;
  private static final String[] VERIFIERS = {"verify-evidence-bundle.py", "verify-registry-log.py", "recompute-snapshot.py"};

  private final DeliveredExtracts extracts;
  private final RegistryLogProperties registry;
  private final ServiceClient client;
  private final JsonMapper json;
  private final JdbcTemplate jdbc;
  private final Clock clock;

  EvidenceBundle(DeliveredExtracts extracts, RegistryLogProperties registry, OversightProperties properties, JsonMapper json, JdbcTemplate jdbc, Clock clock) {
    this.extracts = extracts;
    this.registry = registry;
    this.client = new ServiceClient(properties.timeout());
    this.json = json;
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Makes the bundle of the project's delivered extract and records who took it out. */
  Made make(String project, String auditorSubject, String auditorToken) throws Unavailable, IOException {
    DeliveredExtracts.Delivered extract = extracts.of(project)
        .orElseThrow(() -> new Unavailable("no-delivery", "The project has no delivered extract."));
    if (extract.manifest() == null || extract.signatureFile() == null || extract.reportFile() == null) {
      throw new Unavailable("delivery-unavailable", "The extract's files cannot be read where the portal reads the warehouse's releases.");
    }
    JsonNode registryPart = extract.manifestJson().path("registry");
    Long size = extract.checkpointSize();
    String purpose = registryPart.path("exclusionSnapshot").path("purpose").asString("");
    JsonNode keyVersion = extract.manifestJson().path("keys").path("warehouseKeyVersion");
    if (size == null || size < 0 || size > MAX_LEAVES || !PURPOSE.matcher(purpose).matches()) {
      throw new Unavailable("manifest-incomplete", "The extract's manifest names no registry checkpoint and exclusion snapshot a bundle can be made of.");
    }
    Path file = Files.createTempFile("evidence-", ".zip", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256); ZipOutputStream zip = new ZipOutputStream(out)) {
        write(zip, "README.txt", readme(project, extract, size, purpose).getBytes(StandardCharsets.UTF_8));
        Integer version = keyVersion.isIntegralNumber() && keyVersion.asInt() > 0 ? keyVersion.asInt() : null;
        writeLog(zip, size, version, auditorToken);
        writeSnapshot(zip, purpose, size, version, auditorToken);
        write(zip, "extract/manifest.json", extract.manifest());
        write(zip, "extract/manifest.json.sig", Files.readAllBytes(extract.signatureFile()));
        write(zip, "extract/manifest-key.pub", Files.readAllBytes(extracts.manifestKey()));
        write(zip, "extract/report.json", Files.readAllBytes(extract.reportFile()));
        if (registry.witnessKey() != null) {
          write(zip, "witness-key", (registry.witnessKey() + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        for (String verifier : VERIFIERS) {
          try (InputStream script = EvidenceBundle.class.getResourceAsStream("verify/" + verifier)) {
            if (script == null) {
              throw new IllegalStateException("Cannot make an evidence bundle: the verifier " + verifier + " is not in the portal's jar");
            }
            write(zip, "verify/" + verifier, script.readAllBytes());
          }
        }
      }
      String hex = HexFormat.of().formatHex(sha256.digest());
      long bytes = Files.size(file);
      jdbc.update("insert into evidence_export (auditor_subject, project, extract_id, checkpoint_size, bundle_sha256, bundle_size, exported_at)"
          + " values (?, ?, ?, ?, ?, ?, ?)", auditorSubject, project, extract.extractId(), size, hex, bytes, java.sql.Timestamp.from(clock.instant()));
      return new Made(file, hex, bytes, extract.extractId(), size);
    } catch (NoSuchAlgorithmException e) {
      Files.deleteIfExists(file);
      throw new IllegalStateException(e);
    } catch (Unavailable | IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
  }

  /** The log as {@code ./optout registry export-log} writes it, cut at the checkpoint: what verify-registry-log.py reads. */
  private void writeLog(ZipOutputStream zip, long size, Integer keyVersion, String token) throws IOException, Unavailable {
    write(zip, "log/origin", (registry.origin() + "\n").getBytes(StandardCharsets.UTF_8));
    write(zip, "log/verifier-key", registryGet("/api/v1/log/verifier-key", null, 64 << 10));
    write(zip, "log/checkpoints/" + size, registryGet("/api/v1/log/checkpoints/" + size, null, 64 << 10));
    zip.putNextEntry(entry("log/leaves"));
    for (long start = 0; start < size; start += PAGE) {
      int count = (int) Math.min(PAGE, size - start);
      JsonNode page = json.readTree(registryGet("/api/v1/log/leaves?start=" + start + "&count=" + count, token, 16 << 20));
      long expected = start;
      for (JsonNode leaf : page) {
        if (leaf.path("index").asLong(-1) != expected++) {
          throw new Unavailable("registry-unavailable", "The registry's leaves are not contiguous.");
        }
        zip.write((leaf.path("leaf").asString() + "\n").getBytes(StandardCharsets.US_ASCII));
      }
      if (expected != start + count) {
        throw new Unavailable("registry-unavailable", "The registry holds fewer leaves than the checkpoint signs.");
      }
    }
    zip.closeEntry();
    zip.putNextEntry(entry("log/openings.jsonl"));
    for (long start = 0; start < size; start += PAGE) {
      int count = (int) Math.min(PAGE, size - start);
      for (JsonNode opening : json.readTree(registryGet("/api/v1/log/openings?start=" + start + "&count=" + count, token, 16 << 20))) {
        zip.write((json.writeValueAsString(opening) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    zip.closeEntry();
    // the re-key mapping into the extract's key version (all of it if the manifest names none): what places an event
    // filed under an older warehouse key in the snapshot's version after a rotation
    zip.putNextEntry(entry("log/rekeys.jsonl"));
    registryCopy("/api/v1/log/rekeys" + (keyVersion == null ? "" : "?toVersion=" + keyVersion), token, MAX_STREAMED, zip);
    zip.closeEntry();
  }

  /** The exclusion snapshot of the purpose at the checkpoint (made or found by the registry: the same set each time). */
  private void writeSnapshot(ZipOutputStream zip, String purpose, long size, Integer keyVersion, String token) throws IOException, Unavailable {
    String request = "{\"purpose\":\"" + purpose + "\",\"checkpoint\":" + size + (keyVersion == null ? "" : ",\"keyVersion\":" + keyVersion) + "}";
    JsonNode made;
    try {
      made = json.readTree(client.post(registry.url(), "/api/v1/snapshots", token, request, 1 << 20));
    } catch (AuditSource.SourceUnavailable e) {
      throw new Unavailable("registry-unavailable", "The registry did not give the exclusion snapshot (" + e.getMessage() + ").");
    }
    String id = made.path("id").asString("");
    if (!SNAPSHOT_ID.matcher(id).matches() || !made.path("manifest").isString()) {
      throw new Unavailable("registry-unavailable", "The registry's answer names no snapshot.");
    }
    write(zip, "snapshot/manifest", made.path("manifest").asString().getBytes(StandardCharsets.UTF_8));
    zip.putNextEntry(entry("snapshot/pseudonyms.txt"));
    registryCopy("/api/v1/snapshots/" + id + "/pseudonyms", token, MAX_STREAMED, zip);
    zip.closeEntry();
  }

  private byte[] registryGet(String path, String token, int maxBytes) throws Unavailable {
    try {
      return client.get(registry.url(), path, token, maxBytes);
    } catch (AuditSource.SourceUnavailable e) {
      throw new Unavailable("registry-unavailable", "The registry could not give what the bundle needs (" + e.getMessage() + ").");
    }
  }

  /** Streams the registry's answer into the open zip entry (never held whole in memory). */
  private void registryCopy(String path, String token, long maxBytes, OutputStream into) throws Unavailable {
    try {
      client.copy(registry.url(), path, token, maxBytes, into);
    } catch (AuditSource.SourceUnavailable e) {
      throw new Unavailable("registry-unavailable", "The registry could not give what the bundle needs (" + e.getMessage() + ").");
    }
  }

  private String readme(String project, DeliveredExtracts.Delivered extract, long size, String purpose) {
    return """
        Evidence bundle of extract %s (%s), made %s
        ==============================================================================

        Verify it offline (Python 3 and the openssl command; nothing else):

            python3 verify/verify-evidence-bundle.py THIS.zip --witness-key "<the witness's key, taken from the witness>"

        It checks (1) the registry's transparency log up to checkpoint %d: every leaf hashes to the signed,
        cosigned root; (2) the exclusion snapshot of purpose %s at that checkpoint: recomputed from the log's
        leaves and openings, it is the registry's signed set; (3) the extract's manifest: signed by the warehouse,
        naming that checkpoint and that snapshot. Compare the keys in log/verifier-key, witness-key and
        extract/manifest-key.pub with those the registry, the witness and the warehouse publish.

        log/              the log as `./optout registry export-log` writes it, up to the checkpoint (see FORMAT in
                          optout-registry/README.md), with log/rekeys.jsonl (the registry's re-key mapping into
                          the extract's warehouse key version); log/openings.jsonl and log/rekeys.jsonl are SENSITIVE
        snapshot/         the signed snapshot manifest and its pseudonyms (one a line, ascending): SENSITIVE
        extract/          the extract's manifest, its signature, the warehouse's public key, the report
        verify/           the verifiers (docs/ in the repository)

        openings.jsonl, rekeys.jsonl and pseudonyms.txt are warehouse pseudonyms of everyone who opted out: keep this bundle on
        encrypted storage, never in tickets or mail, and delete it once verified. Its taking out was recorded.
        """.formatted(extract.extractId(), project, clock.instant(), size, purpose);
  }

  private static ZipEntry entry(String name) {
    ZipEntry entry = new ZipEntry(name);
    entry.setTime(0);
    return entry;
  }

  private static void write(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
    zip.putNextEntry(entry(name));
    zip.write(bytes);
    zip.closeEntry();
  }
}
