/**
 * Exclusion snapshots, in plain Java (no Spring, no JDBC): for one purpose as of one log checkpoint,
 * the layer-1 pseudonyms the Spark jobs must exclude, as a Parquet file and a manifest signed with
 * the log's key. {@link optout.registry.snapshot.ExclusionSnapshot} writes, reads and verifies the
 * file; {@link optout.registry.snapshot.Manifest} formats, signs, parses and verifies the manifest.
 * Everything below is precise enough for an outsider to check a snapshot with their own tools.
 *
 * <h2>The Parquet file ({@value optout.registry.snapshot.ExclusionSnapshot#FORMAT})</h2>
 *
 * <pre>
 * message exclusion_snapshot {
 *   required int64 pseudonym;          no logical or converted type; Spark reads LongType
 * }
 * </pre>
 *
 * <ul>
 *   <li>Rows: layer-1 pseudonyms (10000000000 to 19999999999), strictly ascending, so sorted and
 *       distinct. An empty snapshot is a valid file with no row groups.
 *   <li>Row groups of at most 4,194,304 rows (32 MiB before compression); version 1 data pages of
 *       at most 20,000 values, PLAIN encoding, no dictionary, ZSTD compression, a CRC32 in every
 *       page header; min/max statistics per column chunk, column and offset indexes per page.
 *   <li>Footer key-value metadata:
 *       <pre>
 * nhi-optout.format                nhi-optout-exclusion-snapshot/1
 * nhi-optout.purpose               &lt;scope code, e.g. academic-research&gt;
 * nhi-optout.exemption             &lt;legal exemption code, or "none"&gt;
 * nhi-optout.checkpoint.origin     &lt;the log's origin line&gt;
 * nhi-optout.checkpoint.size       &lt;tree size, decimal&gt;
 * nhi-optout.checkpoint.root-hash  &lt;root hash, standard base64 with padding, as in checkpoints&gt;
 * nhi-optout.count                 &lt;number of rows, decimal&gt;
 * nhi-optout.set-sha256            &lt;set hash, 64 lower-case hex digits&gt;
 *       </pre>
 *   <li>No time in the file: the same values and description give the same bytes (with the same
 *       parquet-java version); the manifest carries the creation time.
 * </ul>
 *
 * <p>The reader here is strict: it accepts only this, and checks range and order of every value,
 * chunk statistics, page checksums, and at the end count and set hash against the footer.
 *
 * <h2>The set hash</h2>
 *
 * SHA-256 over the pseudonyms in ascending order, each as 8 bytes big-endian (two's complement),
 * concatenated; for no pseudonyms, SHA-256 of nothing ({@code e3b0c442...b855}). It does not depend
 * on Parquet, so anyone can recompute it however they read the file, e.g. with pyarrow:
 *
 * <pre>
 * import hashlib, pyarrow.parquet as pq
 * values = pq.read_table("snapshot.parquet").column("pseudonym").to_numpy()
 * assert (values[1:] &gt; values[:-1]).all()
 * set_sha256 = hashlib.sha256(values.astype("&gt;i8").tobytes()).hexdigest()
 * file_sha256 = hashlib.sha256(open("snapshot.parquet", "rb").read()).hexdigest()
 * </pre>
 *
 * <h2>The manifest</h2>
 *
 * A C2SP signed note (see {@link optout.registry.log}) signed by the log's key; its text is
 * specified in {@link optout.registry.snapshot.Manifest}: format line, purpose, exemption,
 * checkpoint (origin, size, root), count, set-sha256, file-sha256, created. A verifier checks the
 * signature, that the log published that checkpoint, the file's SHA-256, and recomputes count and
 * set hash from the values ({@link optout.registry.snapshot.ExclusionSnapshot#verify}).
 *
 * <h2>Why Apache Parquet's parquet-java, and how without Hadoop</h2>
 *
 * Tried, with parquet-hadoop 1.16.0 and 1.18.1 on Java 17 (Linux x86_64):
 *
 * <ul>
 *   <li>parquet-hadoop declares Hadoop {@code provided}, so nothing of Hadoop comes transitively.
 *       But its abstract {@code WriteSupport} and {@code ParquetWriter.Builder} declare methods
 *       with Hadoop types, and javac needs them for overload resolution: Hadoop's API is needed to
 *       <em>compile</em>. {@code hadoop-client-api} (shaded, 19 MB) is therefore a {@code provided}
 *       dependency of this library with all its transitive dependencies excluded, so it reaches none
 *       of its users (not the registry's boot jar), and it is left out of the tests' class path, so a
 *       test fails if anything here loads a Hadoop class at run time.
 *   <li>Writing with {@code PlainParquetConfiguration} and an {@code OutputFile} works without any
 *       Hadoop class at run time, but only with our own codec factory: parquet-hadoop's
 *       {@code CodecFactory} needs Hadoop for every codec (even UNCOMPRESSED: its static
 *       initialiser loads Hadoop's zlib classes), and with only {@code hadoop-client-api} on the
 *       class path compressed codecs still fail (they build a full Hadoop {@code Configuration},
 *       which needs the shaded woodstox of {@code hadoop-client-runtime}).
 *   <li>Reading with {@code ParquetFileReader} needs Hadoop at run time: the options builder makes
 *       a Hadoop codec factory unconditionally. So reading is our own strict reader on
 *       parquet-format's Thrift structures (see {@code SnapshotFileReader}).
 *   <li>Codecs: zstd-jni and snappy-java load here (they unpack native libraries into /tmp, which
 *       fails where /tmp is noexec), but are reached only through Hadoop's codec classes. ZSTD is
 *       written and read with aircompressor's pure-Java implementation, which parquet-hadoop
 *       already depends on; zstd-jni and snappy-java are excluded. 2.1 bytes a pseudonym (PLAIN
 *       alone: 8; GZIP: 2.7; Snappy: 5.0; version 2 pages with delta encoding would give 1.55, but
 *       version 1 PLAIN pages are what every reader handles).
 *   <li>{@code jts-core} is needed (1.18 builds geospatial statistics objects for every column);
 *       {@code parquet-jackson} is needed (footer code) and is Jackson 2 relocated to
 *       {@code shaded.parquet.com.fasterxml.jackson}, with service files for the relocated names
 *       only: no clash with Spring Boot's Jackson 3 ({@code tools.jackson}) nor with the Jackson 2
 *       ({@code com.fasterxml.jackson}) springdoc already brings. {@code commons-pool} and
 *       {@code javax.annotation-api} are excluded (unused). No logging binding, no Jetty, no
 *       servlet classes come in; slf4j-api is managed to 2.x (the root pom's; Spring Boot's in the registry).
 *   <li>Alternative tried: DuckDB's JDBC driver (org.duckdb:duckdb_jdbc 2.0.0.1) reads and writes
 *       Parquet well, but is a 77 MiB jar of native libraries unpacked at run time, running C++ in
 *       the registry's process. It is used in test scope only, as the independent reader.
 *       Debian has no python3-pyarrow package for this machine, and PyPI is not reachable.
 * </ul>
 *
 * Added to the run-time class path (8 jars, 10.2 MiB): parquet-hadoop, parquet-column,
 * parquet-encoding, parquet-common, parquet-format-structures, parquet-jackson 1.18.1, jts-core
 * 1.20.0, aircompressor 2.0.3. Compile only: hadoop-client-api 3.4.2. Test only: duckdb_jdbc.
 * Measured: 25 million pseudonyms are written and verified with a 32 MiB heap (about 6 s and 1.5 s).
 */
package optout.registry.snapshot;
