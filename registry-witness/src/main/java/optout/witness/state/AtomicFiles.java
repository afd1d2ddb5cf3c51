package optout.witness.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Whole-file writes that a crash cannot leave half done: the bytes go to a temporary file in a working
 * directory on the same file system, are forced to disk, and the file is renamed over the target in one
 * atomic step, then the target's directory is forced too, so that the rename itself survives a power
 * loss. A reader sees the old file or the new one, never a mixture.
 */
final class AtomicFiles {

  private AtomicFiles() {}

  /** Replaces (or creates) {@code target}; {@code work} holds the temporary file and must be on the same file system. */
  static void replace(Path target, byte[] content, Path work) throws IOException {
    Path temporary = Files.createTempFile(work, ".write-", ".partial");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory(target.getParent());
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Forces a directory's entries to disk (a rename is durable only then); POSIX file systems allow it. */
  static void forceDirectory(Path directory) throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
