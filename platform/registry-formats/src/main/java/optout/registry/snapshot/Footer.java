package optout.registry.snapshot;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The Parquet schema and footer key-value metadata of a snapshot, in one place for writer and
 * reader. The keys are documented in {@code package-info.java}; change both together.
 */
final class Footer {

  static final String COLUMN = "pseudonym";
  static final String MESSAGE = "exclusion_snapshot";
  static final MessageType SCHEMA = Types.buildMessage()
      .required(PrimitiveTypeName.INT64).named(COLUMN)
      .named(MESSAGE);

  static final String PREFIX = "nhi-optout.";
  static final String FORMAT = PREFIX + "format";
  static final String PURPOSE = PREFIX + "purpose";
  static final String EXEMPTION = PREFIX + "exemption";
  static final String CHECKPOINT_ORIGIN = PREFIX + "checkpoint.origin";
  static final String CHECKPOINT_SIZE = PREFIX + "checkpoint.size";
  static final String CHECKPOINT_ROOT_HASH = PREFIX + "checkpoint.root-hash";
  static final String COUNT = PREFIX + "count";
  static final String SET_SHA256 = PREFIX + "set-sha256";

  private Footer() {}

  /** The entries known when writing starts. */
  static Map<String, String> description(SnapshotDescription description) {
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put(FORMAT, ExclusionSnapshot.FORMAT);
    metadata.put(PURPOSE, description.purpose());
    metadata.put(EXEMPTION, description.exemptionCode());
    metadata.put(CHECKPOINT_ORIGIN, description.checkpoint().origin());
    metadata.put(CHECKPOINT_SIZE, Long.toString(description.checkpoint().size()));
    metadata.put(CHECKPOINT_ROOT_HASH, description.checkpoint().rootHash().base64());
    return metadata;
  }
}
