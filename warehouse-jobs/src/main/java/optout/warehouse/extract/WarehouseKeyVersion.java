package optout.warehouse.extract;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import optout.warehouse.ingest.Ingest;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * The warehouse key version that a warehouse table's layer-1 pseudonyms were made with, as ingest
 * recorded it in the snapshot that wrote them ({@value Ingest#KEY_VERSION_PROPERTY}). Every ingest
 * replaces a table's rows in one commit under one version, so a snapshot never mixes versions; a
 * compaction ({@code replace}: the same rows in other files) keeps its parent's. Anything else without
 * the property is unknown, and an extract refuses it: a wrong version gives valid but wrong people on
 * re-identification, with no error.
 */
public final class WarehouseKeyVersion {

  private WarehouseKeyVersion() {}

  /**
   * The one version of the given tables at their pinned snapshots.
   *
   * @param tables table name to (table, pinned snapshot ID)
   * @throws IllegalStateException if a table's version is unknown, or the tables were written under different versions
   */
  public static int of(Map<String, Map.Entry<Table, Long>> tables) {
    Map<String, Integer> versions = new TreeMap<>();
    tables.forEach((name, pinned) -> versions.put(name, of(name, pinned.getKey(), pinned.getValue())));
    if (versions.values().stream().distinct().count() > 1) {
      throw new IllegalStateException("Cannot build the extract: the warehouse tables were written under different warehouse key versions ("
          + versions.entrySet().stream().map(e -> e.getKey() + " v" + e.getValue()).collect(Collectors.joining(", "))
          + "), as after an ingest that stopped half-way after a key rotation; run ./optout warehouse ingest again, so that every"
          + " table is written under the newest version, then extract");
    }
    return versions.values().iterator().next();
  }

  static int of(String name, Table table, long snapshotId) {
    Snapshot snapshot = table.snapshot(snapshotId);
    while (snapshot != null) {
      String recorded = snapshot.summary().get(Ingest.KEY_VERSION_PROPERTY);
      if (recorded != null) {
        try {
          int version = Integer.parseInt(recorded);
          if (version >= 1) {
            return version;
          }
        } catch (NumberFormatException malformed) {
          // falls through to the refusal
        }
        break;
      }
      if (!DataOperations.REPLACE.equals(snapshot.operation()) || snapshot.parentId() == null) {
        break;
      }
      snapshot = table.snapshot(snapshot.parentId());
    }
    throw new IllegalStateException("Cannot build the extract: " + name + " (snapshot " + snapshotId + ") records no warehouse key version"
        + " (" + Ingest.KEY_VERSION_PROPERTY + "): it was not written by ./optout warehouse ingest, so nobody could re-identify"
        + " its pseudonyms safely; ingest it again");
  }
}
