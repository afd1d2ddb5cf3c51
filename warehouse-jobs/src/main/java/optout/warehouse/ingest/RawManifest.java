package optout.warehouse.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code _GENERATED.json}: what a raw directory holds (seed, scale, persons, years, rows per file).
 * {@code generate} writes it last, so a raw directory without one is incomplete. Its bytes depend only
 * on the data (no dates, no paths), so the same data always has the same SHA-256, which ingest records
 * with every table it writes.
 */
public record RawManifest(long seed, double scale, long persons, int fromYear, int toYear, Map<RawFile, Long> counts) {

  public RawManifest {
    counts = Map.copyOf(counts);
  }

  /** Canonical JSON: fixed key order, two-space indent, a final newline. */
  public String toJson() {
    StringBuilder json = new StringBuilder();
    json.append("{\n");
    json.append("  \"generator\": \"optout.warehouse.synthetic.SyntheticNhi\",\n");
    json.append("  \"seed\": ").append(seed).append(",\n");
    json.append("  \"scale\": ").append(BigDecimal.valueOf(scale).stripTrailingZeros().toPlainString()).append(",\n");
    json.append("  \"persons\": ").append(persons).append(",\n");
    json.append("  \"years\": [").append(fromYear).append(", ").append(toYear).append("],\n");
    json.append("  \"counts\": {");
    String separator = "\n";
    for (RawFile file : RawFile.values()) {
      json.append(separator).append("    \"").append(file.name()).append("\": ").append(counts.getOrDefault(file, 0L));
      separator = ",\n";
    }
    json.append("\n  }\n}\n");
    return json.toString();
  }

  public byte[] bytes() {
    return toJson().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a manifest.
   *
   * @throws IllegalArgumentException saying what is missing or malformed
   */
  public static RawManifest parse(byte[] bytes) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(bytes);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot read " + RawFile.MANIFEST + ": not JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + RawFile.MANIFEST + ": " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("Cannot read " + RawFile.MANIFEST + ": not a JSON object");
    }
    JsonNode years = root.path("years");
    JsonNode counts = root.path("counts");
    if (!root.path("seed").isIntegralNumber() || !root.path("scale").isNumber() || !root.path("persons").isIntegralNumber()
        || !years.isArray() || years.size() != 2 || !counts.isObject()) {
      throw new IllegalArgumentException("Cannot read " + RawFile.MANIFEST
          + ": it needs seed, scale, persons, years [from, to] and counts per file");
    }
    Map<RawFile, Long> perFile = new EnumMap<>(RawFile.class);
    for (RawFile file : RawFile.values()) {
      JsonNode count = counts.path(file.name());
      if (!count.isIntegralNumber() || count.asLong() < 0) {
        throw new IllegalArgumentException("Cannot read " + RawFile.MANIFEST + ": no row count for " + file.name());
      }
      perFile.put(file, count.asLong());
    }
    return new RawManifest(root.path("seed").asLong(), root.path("scale").asDouble(), root.path("persons").asLong(),
        years.get(0).asInt(), years.get(1).asInt(), perFile);
  }

  /** The SHA-256 of a manifest's bytes, in hex: what ingest records as the raw data's identity. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
