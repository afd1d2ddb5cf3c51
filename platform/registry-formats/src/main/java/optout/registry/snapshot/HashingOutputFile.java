package optout.registry.snapshot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import optout.registry.log.Hash;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A local Parquet output that hashes every byte on its way to disk, so the file's SHA-256 for the
 * manifest costs no second pass; possible because Parquet writers only append. On close it forces
 * the bytes to the device before the file is moved into place. Used instead of parquet-java's
 * {@code LocalOutputFile}, which does neither.
 */
final class HashingOutputFile implements OutputFile {

  private static final int BUFFER_SIZE = 1 << 16;

  private final Path path;
  private final MessageDigest digest = SetHasher.sha256();
  private Stream stream;
  private Hash sha256;

  HashingOutputFile(Path path) {
    this.path = path;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    return createOrOverwrite(blockSizeHint);
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    if (stream != null) {
      throw new IOException("Cannot open " + path + " for writing: it is already open");
    }
    stream = new Stream(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING));
    return stream;
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return path.toString();
  }

  /** The SHA-256 of everything written; only after the writer closed the stream. */
  Hash sha256() {
    if (sha256 == null) {
      throw new IllegalStateException("Cannot hash " + path + ": it has not been written and closed");
    }
    return sha256;
  }

  /** Closes the file without finishing it, after a failure; the caller deletes it. */
  void abort() {
    if (stream != null) {
      try {
        stream.channel.close();
      } catch (IOException e) {
        // Nothing to save: the file is deleted next.
      }
    }
  }

  private final class Stream extends PositionOutputStream {

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private long position;
    private boolean closed;

    Stream(FileChannel channel) {
      this.channel = channel;
    }

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      if (!buffer.hasRemaining()) {
        drain();
      }
      buffer.put((byte) b);
      position++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
      if (length >= BUFFER_SIZE) {
        drain();
        digest.update(bytes, offset, length);
        writeFully(ByteBuffer.wrap(bytes, offset, length));
      } else {
        if (buffer.remaining() < length) {
          drain();
        }
        buffer.put(bytes, offset, length);
      }
      position += length;
    }

    @Override
    public void flush() throws IOException {
      drain();
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try (FileChannel toClose = channel) {
        drain();
        toClose.force(true);
      }
      sha256 = Hash.of(digest.digest());
    }

    private void drain() throws IOException {
      buffer.flip();
      digest.update(buffer.array(), 0, buffer.limit());
      writeFully(buffer);
      buffer.clear();
    }

    private void writeFully(ByteBuffer bytes) throws IOException {
      while (bytes.hasRemaining()) {
        channel.write(bytes);
      }
    }
  }
}
