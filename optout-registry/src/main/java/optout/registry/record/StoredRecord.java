package optout.registry.record;

import java.util.OptionalLong;

/**
 * A log record as stored: its insertion number, what it states, its leaf exactly, the MAC that proves the
 * registry wrote it, and its place in the log once the sequencer has given it one.
 */
public record StoredRecord(long seq, RecordKind kind, byte[] leaf, byte[] rowMac, OptionalLong logIndex) {

  public StoredRecord {
    leaf = leaf.clone();
  }

  @Override
  public byte[] leaf() {
    return leaf.clone();
  }
}
