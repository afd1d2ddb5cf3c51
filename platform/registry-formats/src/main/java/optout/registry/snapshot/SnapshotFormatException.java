package optout.registry.snapshot;

import java.io.IOException;

/**
 * A file is not a valid exclusion snapshot: not Parquet, another schema or metadata, pages this
 * format does not use, or values that are unsorted, repeated or out of range. An {@link IOException}
 * because it is about the bytes read, like {@link java.util.zip.ZipException}. Messages give
 * positions, never pseudonyms: those are linkable to people by whoever holds the warehouse key.
 */
public final class SnapshotFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  SnapshotFormatException(String message) {
    super(message);
  }

  SnapshotFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
