package optout.registry.snapshot;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.zip.CRC32;
import optout.registry.log.Checkpoint;
import optout.registry.log.Hash;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.CompressionCodec;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.Encoding;
import org.apache.parquet.format.FieldRepetitionType;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.KeyValue;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.format.PageType;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.SchemaElement;
import org.apache.parquet.format.Statistics;
import org.apache.parquet.format.Type;
import org.apache.parquet.format.Util;

/**
 * Reads a snapshot file strictly, as the format specifies it and nothing more: one required INT64
 * column, version 1 data pages, PLAIN encoding, ZSTD, page checksums, chunk statistics, our footer
 * metadata. Checks every value (range, strictly ascending) as it is handed out, and at the end the
 * footer's row count, declared count and set hash against what was read.
 *
 * <p>Built on parquet-format's Thrift structures, not on parquet-hadoop's {@code ParquetFileReader}:
 * that reader's options builder makes a Hadoop codec factory unconditionally, so it cannot run
 * without Hadoop. A strict reader is what verification wants anyway: it refuses any file the writer
 * would not have written, where a general reader would accept a re-encoded or tampered one.
 *
 * <p>Memory is bounded by one page ({@value #MAX_PAGE_BYTES} bytes at most; the writer's hold 20,000
 * values, 160 KB), whatever the file's size. A reader is single-threaded, like any iterator.
 */
final class SnapshotFileReader implements PrimitiveIterator.OfLong, Closeable {

  static final int MAX_FOOTER_BYTES = 16 << 20;
  static final int MAX_PAGE_BYTES = 64 << 20;
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private final Path file;
  private final FileChannel channel;
  private final SnapshotDescription description;
  private final long declaredCount;
  private final Hash declaredSetSha256;
  private final List<Chunk> chunks;

  private final PseudonymOrder order = new PseudonymOrder();
  private final SetHasher hasher = new SetHasher();
  private int chunkIndex = -1;
  private ChunkStream chunkStream;
  private long chunkValuesLeft;
  private long chunkFirst;
  private long chunkLast;
  private boolean chunkStarted;
  private long[] page = new long[0];
  private int pageLength;
  private int pagePosition;
  private Hash setSha256;

  private SnapshotFileReader(Path file, FileChannel channel) throws IOException {
    this.file = file;
    this.channel = channel;
    long size = channel.size();
    if (size < 2L * MAGIC.length + 4) {
      throw malformed("it has " + size + " bytes, too few for a Parquet file");
    }
    if (!isMagic(readFully(0, MAGIC.length)) || !isMagic(readFully(size - MAGIC.length, MAGIC.length))) {
      throw malformed("it does not start and end with PAR1, so it is not a Parquet file");
    }
    int footerLength = readFully(size - MAGIC.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    long footerStart = size - MAGIC.length - 4 - footerLength;
    if (footerLength <= 0 || footerLength > MAX_FOOTER_BYTES || footerStart < MAGIC.length) {
      throw malformed("its footer length " + footerLength + " does not fit the file");
    }
    ByteBuffer footer = readFully(footerStart, footerLength);
    FileMetaData metadata;
    try {
      metadata = Util.readFileMetaData(new java.io.ByteArrayInputStream(footer.array()));
    } catch (IOException | RuntimeException e) {
      throw new SnapshotFormatException(prefix() + "its footer is not valid Parquet metadata", e);
    }
    if (metadata.isSetEncryption_algorithm()) {
      throw malformed("it is encrypted; snapshots are not");
    }
    checkSchema(metadata.getSchema());
    Map<String, String> keyValues = keyValues(metadata);
    this.description = description(keyValues);
    this.declaredCount = decimal(keyValues, Footer.COUNT);
    this.declaredSetSha256 = hex(keyValues, Footer.SET_SHA256);
    this.chunks = chunks(metadata, footerStart);
    if (metadata.getNum_rows() != declaredCount) {
      throw malformed("its footer counts " + metadata.getNum_rows() + " rows but declares " + declaredCount + " pseudonyms");
    }
  }

  /** Opens and checks the footer; the values are checked as they are read. */
  static SnapshotFileReader open(Path file) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new SnapshotFileReader(file, channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Reads from a channel the caller opened (and closes it on {@link #close()}). */
  static SnapshotFileReader open(Path file, FileChannel channel) throws IOException {
    return new SnapshotFileReader(file, channel);
  }

  SnapshotDescription description() {
    return description;
  }

  /** The count the footer declares; {@link #hasNext()} checks it once the last value is read. */
  long declaredCount() {
    return declaredCount;
  }

  /** The number of values read so far. */
  long count() {
    return order.count();
  }

  /** The set hash of all values, checked against the footer; only once {@link #hasNext()} said false. */
  Hash setSha256() {
    if (setSha256 == null) {
      throw new IllegalStateException("Cannot tell the set hash of " + file + ": it has not been read to the end");
    }
    return setSha256;
  }

  /**
   * Whether another value follows. At the end, checks the counts and the set hash against the
   * footer, so that a caller who read everything without an exception read a consistent file.
   *
   * @throws UncheckedIOException with a {@link SnapshotFormatException} if the file is invalid
   */
  @Override
  public boolean hasNext() {
    try {
      while (pagePosition == pageLength) {
        if (setSha256 != null) {
          return false;
        }
        if (chunkValuesLeft == 0) {
          if (chunkIndex >= 0) {
            endChunk();
          }
          if (++chunkIndex == chunks.size()) {
            finish();
            return false;
          }
          startChunk();
        }
        readPage();
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The next value, checked to be a layer-1 pseudonym greater than the one before.
   *
   * @throws UncheckedIOException with a {@link SnapshotFormatException} if the file is invalid
   */
  @Override
  public long nextLong() {
    if (!hasNext()) {
      throw new NoSuchElementException("Cannot read past the end of exclusion snapshot " + file);
    }
    long value = page[pagePosition++];
    String problem = order.accept(value);
    if (problem != null) {
      throw new UncheckedIOException(malformed(problem));
    }
    hasher.add(value);
    if (!chunkStarted) {
      chunkFirst = value;
      chunkStarted = true;
    }
    chunkLast = value;
    return value;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }

  private void startChunk() {
    Chunk chunk = chunks.get(chunkIndex);
    chunkStream = new ChunkStream(chunk.offset(), chunk.compressedSize());
    chunkValuesLeft = chunk.values();
    chunkStarted = false;
  }

  private void endChunk() throws SnapshotFormatException {
    Chunk chunk = chunks.get(chunkIndex);
    if (chunkStream.remaining() != 0) {
      throw malformed("row group " + chunkIndex + " has " + chunkStream.remaining() + " bytes after its last page");
    }
    if (chunkFirst != chunk.min() || chunkLast != chunk.max()) {
      throw malformed("the statistics of row group " + chunkIndex + " do not match its first and last values");
    }
  }

  private void finish() throws SnapshotFormatException {
    Hash computed = hasher.finish();
    if (order.count() != declaredCount) {
      throw malformed("it holds " + order.count() + " pseudonyms, its footer declares " + declaredCount);
    }
    if (!computed.equals(declaredSetSha256)) {
      throw malformed("the set hash of its values is " + computed.hex() + ", its footer declares " + declaredSetSha256.hex());
    }
    setSha256 = computed;
  }

  private void readPage() throws IOException {
    String where = "page in row group " + chunkIndex;
    PageHeader header;
    try {
      header = Util.readPageHeader(chunkStream);
    } catch (IOException | RuntimeException e) {
      throw new SnapshotFormatException(prefix() + "a " + where + " has an unreadable header", e);
    }
    if (header.getType() != PageType.DATA_PAGE || !header.isSetData_page_header()) {
      throw malformed("a " + where + " is a " + header.getType() + "; snapshots have version 1 data pages only");
    }
    DataPageHeader data = header.getData_page_header();
    if (data.getEncoding() != Encoding.PLAIN) {
      throw malformed("a " + where + " is " + data.getEncoding() + "-encoded; snapshots are PLAIN");
    }
    int values = data.getNum_values();
    if (values <= 0 || values > chunkValuesLeft) {
      throw malformed("a " + where + " has " + values + " values, the row group has " + chunkValuesLeft + " left");
    }
    int compressedSize = header.getCompressed_page_size();
    if (compressedSize < 0 || compressedSize > MAX_PAGE_BYTES || compressedSize > chunkStream.remaining()) {
      throw malformed("a " + where + " has an impossible compressed size " + compressedSize);
    }
    if (values * 8L > MAX_PAGE_BYTES || header.getUncompressed_page_size() != values * 8L) {
      throw malformed("a " + where + " has " + header.getUncompressed_page_size() + " bytes for " + values
          + " values; a required INT64 column has 8 bytes a value and no levels");
    }
    if (!header.isSetCrc()) {
      throw malformed("a " + where + " has no checksum; snapshots have page checksums");
    }
    byte[] compressed = chunkStream.readNBytes(compressedSize);
    CRC32 crc = new CRC32();
    crc.update(compressed);
    if ((int) crc.getValue() != header.getCrc()) {
      throw malformed("a " + where + " fails its checksum: the file is damaged");
    }
    ByteBuffer raw = ByteBuffer.wrap(PureJavaZstd.decompress(compressed, values * 8)).order(ByteOrder.LITTLE_ENDIAN);
    if (page.length < values) {
      page = new long[values];
    }
    raw.asLongBuffer().get(page, 0, values);
    pageLength = values;
    pagePosition = 0;
    chunkValuesLeft -= values;
  }

  private void checkSchema(List<SchemaElement> schema) throws SnapshotFormatException {
    if (schema == null || schema.size() != 2 || schema.get(0).getNum_children() != 1) {
      throw malformed("its schema is not one column; a snapshot has the single column " + Footer.COLUMN);
    }
    SchemaElement column = schema.get(1);
    if (!Footer.COLUMN.equals(column.getName()) || column.getType() != Type.INT64
        || column.getRepetition_type() != FieldRepetitionType.REQUIRED
        || column.isSetConverted_type() || column.isSetLogicalType() || column.isSetNum_children()) {
      throw malformed("its column is not \"required int64 " + Footer.COLUMN + "\" without a logical type");
    }
  }

  private Map<String, String> keyValues(FileMetaData metadata) throws SnapshotFormatException {
    Map<String, String> keyValues = new HashMap<>();
    if (metadata.getKey_value_metadata() != null) {
      for (KeyValue entry : metadata.getKey_value_metadata()) {
        if (entry.getKey() != null && entry.getKey().startsWith(Footer.PREFIX)
            && keyValues.put(entry.getKey(), entry.getValue()) != null) {
          throw malformed("its footer has " + entry.getKey() + " twice");
        }
      }
    }
    return keyValues;
  }

  private SnapshotDescription description(Map<String, String> keyValues) throws SnapshotFormatException {
    String format = keyValues.get(Footer.FORMAT);
    if (!ExclusionSnapshot.FORMAT.equals(format)) {
      throw malformed(format == null ? "its footer does not name the format " + ExclusionSnapshot.FORMAT
          : "its footer names the format " + excerpt(format) + ", this reader reads " + ExclusionSnapshot.FORMAT);
    }
    List<String> known = List.of(Footer.FORMAT, Footer.PURPOSE, Footer.EXEMPTION, Footer.CHECKPOINT_ORIGIN,
        Footer.CHECKPOINT_SIZE, Footer.CHECKPOINT_ROOT_HASH, Footer.COUNT, Footer.SET_SHA256);
    for (String key : keyValues.keySet()) {
      if (!known.contains(key)) {
        throw malformed("its footer has the unknown entry " + excerpt(key));
      }
    }
    String exemption = required(keyValues, Footer.EXEMPTION);
    try {
      Checkpoint checkpoint = new Checkpoint(required(keyValues, Footer.CHECKPOINT_ORIGIN),
          decimal(keyValues, Footer.CHECKPOINT_SIZE), Hash.fromBase64(required(keyValues, Footer.CHECKPOINT_ROOT_HASH)),
          List.of());
      return new SnapshotDescription(required(keyValues, Footer.PURPOSE),
          exemption.equals(SnapshotDescription.NO_EXEMPTION) ? Optional.empty() : Optional.of(exemption), checkpoint);
    } catch (IllegalArgumentException e) {
      throw new SnapshotFormatException(prefix() + "its footer does not describe a snapshot: " + e.getMessage(), e);
    }
  }

  private List<Chunk> chunks(FileMetaData metadata, long footerStart) throws SnapshotFormatException {
    List<RowGroup> rowGroups = metadata.getRow_groups() == null ? List.of() : metadata.getRow_groups();
    List<Chunk> result = new ArrayList<>(rowGroups.size());
    long rows = 0;
    long end = MAGIC.length;
    for (int i = 0; i < rowGroups.size(); i++) {
      RowGroup rowGroup = rowGroups.get(i);
      String where = "row group " + i + " ";
      if (rowGroup.getColumns() == null || rowGroup.getColumns().size() != 1) {
        throw malformed(where + "does not have exactly one column chunk");
      }
      ColumnChunk chunk = rowGroup.getColumns().get(0);
      if (chunk.isSetFile_path() || !chunk.isSetMeta_data() || chunk.isSetCrypto_metadata()) {
        throw malformed(where + "has its column chunk elsewhere, encrypted or without metadata");
      }
      ColumnMetaData column = chunk.getMeta_data();
      if (column.getType() != Type.INT64 || !List.of(Footer.COLUMN).equals(column.getPath_in_schema())) {
        throw malformed(where + "has a column other than the INT64 " + Footer.COLUMN);
      }
      if (column.getCodec() != CompressionCodec.ZSTD) {
        throw malformed(where + "is compressed with " + column.getCodec() + "; snapshots use ZSTD");
      }
      if (column.isSetDictionary_page_offset() || column.isSetIndex_page_offset()) {
        throw malformed(where + "has a dictionary or index page; snapshots have data pages only");
      }
      if (rowGroup.getNum_rows() <= 0 || column.getNum_values() != rowGroup.getNum_rows()) {
        throw malformed(where + "has " + rowGroup.getNum_rows() + " rows and " + column.getNum_values() + " values");
      }
      long offset = column.getData_page_offset();
      long size = column.getTotal_compressed_size();
      if (offset < end || size <= 0 || offset + size > footerStart) {
        throw malformed(where + "has its pages outside the file's data or overlapping another row group");
      }
      Statistics statistics = column.getStatistics();
      if (statistics == null || !statistics.isSetMin_value() || !statistics.isSetMax_value()
          || statistics.getMin_value().length != 8 || statistics.getMax_value().length != 8) {
        throw malformed(where + "has no min and max statistics; snapshots are written with them");
      }
      result.add(new Chunk(offset, size, rowGroup.getNum_rows(), littleEndianLong(statistics.getMin_value()),
          littleEndianLong(statistics.getMax_value())));
      rows += rowGroup.getNum_rows();
      end = offset + size;
    }
    if (rows != metadata.getNum_rows()) {
      throw malformed("its row groups hold " + rows + " rows, its footer says " + metadata.getNum_rows());
    }
    return List.copyOf(result);
  }

  private String required(Map<String, String> keyValues, String key) throws SnapshotFormatException {
    String value = keyValues.get(key);
    if (value == null) {
      throw malformed("its footer has no " + key);
    }
    return value;
  }

  private long decimal(Map<String, String> keyValues, String key) throws SnapshotFormatException {
    String value = required(keyValues, key);
    long parsed = Manifest.parseCanonicalDecimal(value);
    if (parsed < 0) {
      throw malformed("its footer's " + key + " " + excerpt(value) + " is not a canonical decimal number");
    }
    return parsed;
  }

  private Hash hex(Map<String, String> keyValues, String key) throws SnapshotFormatException {
    String value = required(keyValues, key);
    if (!Manifest.isLowerHexSha256(value)) {
      throw malformed("its footer's " + key + " is not 64 lower-case hex digits");
    }
    return Hash.fromHex(value);
  }

  private ByteBuffer readFully(long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, position + buffer.position()) < 0) {
        throw malformed("it ends early");
      }
    }
    return buffer.flip();
  }

  private static boolean isMagic(ByteBuffer bytes) {
    return bytes.equals(ByteBuffer.wrap(MAGIC));
  }

  private static long littleEndianLong(byte[] bytes) {
    return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }

  private static String excerpt(String text) {
    return text.length() <= 40 ? '"' + text + '"' : '"' + text.substring(0, 40) + "\"...";
  }

  private String prefix() {
    return "Cannot read exclusion snapshot " + file + ": ";
  }

  private SnapshotFormatException malformed(String reason) {
    return new SnapshotFormatException(prefix() + reason);
  }

  /** One row group's column chunk: where its pages are, how many values, and its min and max. */
  private record Chunk(long offset, long compressedSize, long values, long min, long max) {}

  /** The bytes of one column chunk, read by position, never past the chunk's end. */
  private final class ChunkStream extends InputStream {

    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).flip();
    private long position;
    private final long end;

    ChunkStream(long offset, long size) {
      this.position = offset;
      this.end = offset + size;
    }

    /** Bytes not yet handed out. */
    long remaining() {
      return end - position + buffer.remaining();
    }

    @Override
    public int read() throws IOException {
      if (!fill()) {
        return -1;
      }
      return buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
      java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
      if (length == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(length, buffer.remaining());
      buffer.get(bytes, offset, n);
      return n;
    }

    private boolean fill() throws IOException {
      if (buffer.hasRemaining()) {
        return true;
      }
      if (position == end) {
        return false;
      }
      buffer.clear().limit((int) Math.min(buffer.capacity(), end - position));
      int read = channel.read(buffer, position);
      if (read <= 0) {
        throw malformed("it ends inside row group " + chunkIndex);
      }
      position += read;
      buffer.flip();
      return true;
    }
  }
}
