package optout.warehouse.extract;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import optout.signing.DetachedSigner;
import optout.warehouse.spec.ExtractSpec;

/**
 * An extract's manifest: enough to reproduce it and to recompute its exclusion set. The spec's hash,
 * the registry checkpoint and exclusion snapshot (set hash, count, file hash), the Iceberg snapshot of
 * every input table, the rows and snapshot of every output table, the persons in the cohort,
 * excluded and included, and the warehouse key version under the project's pseudonyms (format 2: the
 * trust centre re-identifies with exactly that version). Written as canonical JSON (keys sorted, no insignificant spaces, UTF-8), the
 * bytes that {@link DetachedSigner} signs.
 */
public final class ExtractManifest {

  public static final String FORMAT = "nhi-optout-extract-manifest/2";
  private static final ObjectMapper JSON = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private ExtractManifest() {}

  /** The manifest's canonical bytes. */
  public static byte[] of(ExtractJob.Outcome outcome) {
    ObjectNode manifest = JSON.createObjectNode();
    manifest.put("format", FORMAT);
    manifest.put("extractId", outcome.extractId());
    manifest.put("createdAt", outcome.createdAt().toString());
    ExtractSpec spec = outcome.spec();
    ObjectNode specNode = manifest.putObject("spec");
    specNode.put("project", spec.project());
    specNode.put("purpose", spec.purpose());
    specNode.put("legalBasis", spec.legalBasis());
    specNode.put("sha256", spec.sha256());
    ExclusionInput exclusion = outcome.exclusion();
    ObjectNode registry = manifest.putObject("registry");
    registry.putObject("checkpoint").put("origin", exclusion.checkpointOrigin()).put("size", exclusion.checkpointSize())
        .put("rootHash", exclusion.checkpointRootHash());
    registry.putObject("exclusionSnapshot").put("purpose", exclusion.purpose()).put("count", exclusion.count())
        .put("setSha256", exclusion.setSha256()).put("fileSha256", exclusion.fileSha256());
    manifest.putObject("keys").put("warehouseKeyVersion", outcome.warehouseKeyVersion());
    ObjectNode inputs = manifest.putObject("inputs");
    outcome.inputSnapshots().forEach((table, snapshot) -> inputs.putObject(table).put("icebergSnapshotId", snapshot));
    ObjectNode outputs = manifest.putObject("outputs");
    for (Map.Entry<String, Long> table : outcome.outputRows().entrySet()) {
      outputs.putObject(table.getKey()).put("table", ExtractJob.namespace(spec.project()) + "." + table.getKey())
          .put("rows", table.getValue()).put("icebergSnapshotId", outcome.outputSnapshots().get(table.getKey()));
    }
    manifest.putObject("persons").put("inCohort", outcome.personsInCohort()).put("excluded", outcome.personsExcluded())
        .put("included", outcome.personsIncluded());
    try {
      // a tree of ObjectNodes is not a map: sort its fields by writing it through a map
      Object sorted = JSON.treeToValue(manifest, Object.class);
      return JSON.writeValueAsString(sorted).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the manifest and its signature next to each other: {@code <dir>/<extract>.manifest.json} and {@code .sig}. */
  public static Path write(Path directory, String extractId, byte[] manifest, DetachedSigner signer) throws IOException {
    Files.createDirectories(directory);
    Path file = directory.resolve(extractId + ".manifest.json");
    Files.write(file, manifest);
    Files.writeString(directory.resolve(extractId + ".manifest.json.sig"), signer.sign(manifest) + "\n", StandardCharsets.US_ASCII);
    return file;
  }
}
