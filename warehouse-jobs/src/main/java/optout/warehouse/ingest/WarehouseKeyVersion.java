package optout.warehouse.ingest;

import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The warehouse key version that a warehouse table's layer-1 pseudonyms were made with, as ingest (or the
 * re-keying, {@link Rekey}) recorded it in the snapshot that wrote them ({@value Ingest#KEY_VERSION_PROPERTY}).
 * Both replace a table's rows in one commit under one version, so a snapshot never mixes versions; a
 * compaction ({@code replace}: the same rows in other files) keeps its parent's. Anything else without the
 * property is unknown: a wrong version gives valid but wrong people on re-identification, with no error.
 */
public final class WarehouseKeyVersion {

  private WarehouseKeyVersion() {}

  /** The version recorded for the table's rows at this snapshot, or empty if it is unknown. */
  public static OptionalInt recorded(Table table, long snapshotId) {
    Snapshot snapshot = table.snapshot(snapshotId);
    while (snapshot != null) {
      String recorded = snapshot.summary().get(Ingest.KEY_VERSION_PROPERTY);
      if (recorded != null) {
        try {
          int version = Integer.parseInt(recorded);
          return version >= 1 ? OptionalInt.of(version) : OptionalInt.empty();
        } catch (NumberFormatException malformed) {
          return OptionalInt.empty();
        }
      }
      if (!DataOperations.REPLACE.equals(snapshot.operation()) || snapshot.parentId() == null) {
        return OptionalInt.empty();
      }
      snapshot = table.snapshot(snapshot.parentId());
    }
    return OptionalInt.empty();
  }

  /**
   * The one version of an extract's input tables at their pinned snapshots.
   *
   * @param tables table name to (table, pinned snapshot ID)
   * @throws IllegalStateException if a table's version is unknown, or the tables were written under different versions
   */
  public static int ofExtractInputs(Map<String, Map.Entry<Table, Long>> tables) {
    Map<String, Integer> versions = new TreeMap<>();
    tables.forEach((name, pinned) -> versions.put(name, recorded(pinned.getKey(), pinned.getValue()).orElseThrow(() ->
        new IllegalStateException("Cannot build the extract: " + name + " (snapshot " + pinned.getValue() + ") records no warehouse key"
            + " version (" + Ingest.KEY_VERSION_PROPERTY + "): it was not written by ./optout warehouse ingest or rekey, so nobody"
            + " could re-identify its pseudonyms safely; ingest it again"))));
    if (versions.values().stream().distinct().count() > 1) {
      throw new IllegalStateException("Cannot build the extract: the warehouse tables were written under different warehouse key versions ("
          + versions.entrySet().stream().map(e -> e.getKey() + " v" + e.getValue()).collect(Collectors.joining(", "))
          + "), as after an ingest or a re-keying that stopped half-way after a key rotation; run ./optout warehouse rekey (or"
          + " ingest again), so that every table is under the newest version, then extract");
    }
    return versions.values().iterator().next();
  }
}
