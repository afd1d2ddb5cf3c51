package optout.registry.snapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import optout.registry.log.Hash;
import org.apache.parquet.column.ParquetProperties.WriterVersion;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes the Parquet file of a snapshot with parquet-java, without Hadoop: a
 * {@link PlainParquetConfiguration} instead of Hadoop's {@code Configuration}, our own
 * {@link HashingOutputFile} and {@link PureJavaZstd} codec. Does not check the values:
 * {@link ExclusionSnapshot#write} does, and tests use this class directly to make files that the
 * reader must refuse.
 *
 * <p>The methods that take Hadoop types are only there because parquet-java's abstract classes
 * declare them; they are never called, so Hadoop's classes are never loaded (Hadoop's API is on
 * the compile class path only).
 */
final class SnapshotFileWriter implements AutoCloseable {

  /**
   * Rows per row group: 4 Mi values are 32 MiB before compression, which bounds the writer's
   * buffer (it holds one row group) and still gives Spark a few row groups to split 25 million on.
   */
  static final int ROW_GROUP_ROWS = 1 << 22;
  static final long ROW_GROUP_BYTES = 32L << 20;

  private final HashingOutputFile output;
  private final Support support;
  private final ParquetWriter<Row> writer;
  private final Row row = new Row();

  SnapshotFileWriter(Path file, SnapshotDescription description) throws IOException {
    this.output = new HashingOutputFile(file);
    this.support = new Support(Footer.description(description));
    ParquetWriter<Row> opened;
    try {
      opened = new Builder(output, support)
          .withConf(new PlainParquetConfiguration())
          .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
          .withCodecFactory(new PureJavaZstd())
          .withCompressionCodec(CompressionCodecName.ZSTD)
          // Version 1 data pages with PLAIN encoding: what every Parquet reader reads, Spark's
          // vectorized reader included. A dictionary is useless for distinct values.
          .withWriterVersion(WriterVersion.PARQUET_1_0)
          .withDictionaryEncoding(false)
          .withStatisticsEnabled(true)
          .withPageWriteChecksumEnabled(true)
          .withRowGroupRowCountLimit(ROW_GROUP_ROWS)
          .withRowGroupSize(ROW_GROUP_BYTES)
          .build();
    } catch (IOException | RuntimeException e) {
      output.abort();
      throw e;
    }
    this.writer = opened;
  }

  /** Appends one value, unchecked. */
  void append(long value) throws IOException {
    row.value = value;
    writer.write(row);
  }

  /** Finishes the file (footer, flush, fsync); then {@link #fileSha256()} answers. */
  @Override
  public void close() throws IOException {
    writer.close();
  }

  /** Closes the file unfinished, after a failure; the caller deletes it. */
  void abort() {
    output.abort();
  }

  long count() {
    return support.count;
  }

  Hash setSha256() {
    return support.setSha256();
  }

  Hash fileSha256() {
    return output.sha256();
  }

  /** One row, reused for every value: parquet-java copies the value into its column writer at once. */
  static final class Row {
    long value;
  }

  private static final class Support extends WriteSupport<Row> {

    private final Map<String, String> description;
    private final SetHasher hasher = new SetHasher();
    private RecordConsumer consumer;
    private long count;
    private Hash setSha256;

    Support(Map<String, String> description) {
      this.description = description;
    }

    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
      throw new UnsupportedOperationException("Cannot write a snapshot with a Hadoop configuration: none is on the class path");
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
      return new WriteContext(Footer.SCHEMA, description);
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.consumer = recordConsumer;
    }

    @Override
    public void write(Row record) {
      consumer.startMessage();
      consumer.startField(Footer.COLUMN, 0);
      consumer.addLong(record.value);
      consumer.endField(Footer.COLUMN, 0);
      consumer.endMessage();
      hasher.add(record.value);
      count++;
    }

    /** Adds count and set hash to the footer: known only now, and the footer is written last. */
    @Override
    public FinalizedWriteContext finalizeWrite() {
      setSha256 = hasher.finish();
      return new FinalizedWriteContext(Map.of(Footer.COUNT, Long.toString(count), Footer.SET_SHA256, setSha256.hex()));
    }

    Hash setSha256() {
      if (setSha256 == null) {
        throw new IllegalStateException("Cannot tell the set hash: the snapshot is not finished");
      }
      return setSha256;
    }
  }

  private static final class Builder extends ParquetWriter.Builder<Row, Builder> {

    private final Support support;

    Builder(OutputFile file, Support support) {
      super(file);
      this.support = support;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(org.apache.hadoop.conf.Configuration configuration) {
      throw new UnsupportedOperationException("Cannot write a snapshot with a Hadoop configuration: none is on the class path");
    }

    @Override
    protected WriteSupport<Row> getWriteSupport(ParquetConfiguration configuration) {
      return support;
    }
  }
}
