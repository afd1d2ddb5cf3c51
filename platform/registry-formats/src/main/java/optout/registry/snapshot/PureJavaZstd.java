package optout.registry.snapshot;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Parquet's ZSTD codec in pure Java (aircompressor, which parquet-hadoop already depends on), given
 * to the writer in place of parquet-hadoop's {@code CodecFactory}. That factory reaches every codec
 * through Hadoop's {@code CompressionCodec} and {@code Configuration}, so it needs Hadoop at run
 * time, and its ZSTD and Snappy are native libraries (zstd-jni, snappy-java) unpacked into /tmp at
 * first use. Each page is one standard zstd frame, as Parquet specifies; DuckDB and Spark read it.
 */
final class PureJavaZstd implements CompressionCodecFactory {

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    if (codec != CompressionCodecName.ZSTD) {
      throw new IllegalArgumentException("Cannot compress snapshot pages with " + codec + ": only ZSTD is supported");
    }
    return new BytesInputCompressor() {
      private final ZstdCompressor compressor = new ZstdCompressor();

      @Override
      public BytesInput compress(BytesInput page) throws IOException {
        byte[] raw = page.toByteArray();
        byte[] compressed = new byte[compressor.maxCompressedLength(raw.length)];
        int length = compressor.compress(raw, 0, raw.length, compressed, 0, compressed.length);
        return BytesInput.from(compressed, 0, length);
      }

      @Override
      public CompressionCodecName getCodecName() {
        return CompressionCodecName.ZSTD;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    if (codec != CompressionCodecName.ZSTD) {
      throw new IllegalArgumentException("Cannot decompress snapshot pages with " + codec + ": only ZSTD is supported");
    }
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput page, int uncompressedSize) throws IOException {
        return BytesInput.from(PureJavaZstd.decompress(page.toByteArray(), uncompressedSize));
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
          throws IOException {
        byte[] compressed = new byte[compressedSize];
        input.get(compressed);
        output.put(PureJavaZstd.decompress(compressed, uncompressedSize));
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public void release() {}

  /**
   * Decompresses one page into exactly {@code uncompressedSize} bytes. The output buffer has that
   * size, so a page that inflates to more is refused instead of being allowed to fill the heap.
   */
  static byte[] decompress(byte[] compressed, int uncompressedSize) throws IOException {
    byte[] raw = new byte[uncompressedSize];
    int length;
    try {
      length = new ZstdDecompressor().decompress(compressed, 0, compressed.length, raw, 0, raw.length);
    } catch (MalformedInputException | IllegalArgumentException | IndexOutOfBoundsException e) {
      throw new SnapshotFormatException("Cannot decompress a ZSTD page: " + e.getMessage(), e);
    }
    if (length != uncompressedSize) {
      throw new SnapshotFormatException(
          "Cannot decompress a ZSTD page: it holds " + length + " bytes, its header says " + uncompressedSize);
    }
    return raw;
  }
}
