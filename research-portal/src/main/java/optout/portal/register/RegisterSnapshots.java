package optout.portal.register;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import optout.signing.DetachedSigner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dated, signed snapshots of the whole register, one per calendar day (UTC), so that a watchdog can fetch any two and
 * diff them, and prove what the portal published on a day. A snapshot is canonical JSON (keys sorted, no spaces,
 * UTF-8) signed with the register key ({@link DetachedSigner}); it is stored as its bytes and never changes (V6's
 * trigger). Every {@code snapshot-interval} the portal takes today's if it is missing; several portals take it once.
 */
@Component
class RegisterSnapshots implements DisposableBean {

  static final String FORMAT = "nhi-optout-public-register-snapshot/1";
  private static final Logger LOG = LoggerFactory.getLogger(RegisterSnapshots.class);
  /** Sorted keys at every level: a snapshot's bytes depend on its content only. */
  private static final JsonMapper CANONICAL = JsonMapper.builder().enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).disable(MapperFeature.SORT_CREATOR_PROPERTIES_FIRST)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  /** A snapshot as listed. */
  record Listed(LocalDate date, Instant takenAt, String sha256, String keySha256, int projects) {}

  /** A snapshot's exact bytes and signature. */
  record Snapshot(LocalDate date, byte[] content, String sha256, String signature) {}

  private final PublicRegister register;
  private final JdbcTemplate jdbc;
  private final Clock clock;
  private final DetachedSigner signer;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "register-snapshots");
    thread.setDaemon(true);
    return thread;
  });

  RegisterSnapshots(PublicRegister register, JdbcTemplate jdbc, Clock clock, RegisterProperties properties) throws IOException {
    this.register = register;
    this.jdbc = jdbc;
    this.clock = clock;
    DetachedSigner opened = null;
    try {
      opened = DetachedSigner.open(properties.signingKey(), properties.createSigningKey(), "register snapshots");
    } catch (IllegalStateException e) {
      LOG.warn("No register snapshots will be taken: {}", e.getMessage());
    }
    this.signer = opened;
    if (signer != null) {
      long every = properties.snapshotInterval().toMillis();
      timer.scheduleWithFixedDelay(() -> {
        try {
          takeToday();
        } catch (RuntimeException e) {
          LOG.warn("Cannot take today's register snapshot this time: {}", e.getClass().getSimpleName());
        }
      }, properties.firstSnapshotAfter().toMillis(), every, TimeUnit.MILLISECONDS);
    }
  }

  /** The signer's public key (PEM), if there is one. */
  Optional<String> publicKeyPem() {
    return Optional.ofNullable(signer).map(DetachedSigner::publicKeyPem);
  }

  /** Takes today's snapshot (UTC) unless it was taken; answers whether this call took it. */
  boolean takeToday() {
    if (signer == null) {
      return false;
    }
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    if (find(today).isPresent()) {
      return false;
    }
    List<RegisterEntry> projects = register.all();
    Map<String, Object> snapshot = new LinkedHashMap<>();
    snapshot.put("format", FORMAT);
    snapshot.put("date", today.toString());
    snapshot.put("takenAt", now.toString());
    snapshot.put("signingKeySha256", signer.keySha256());
    snapshot.put("projects", projects);
    byte[] content = CANONICAL.writeValueAsString(snapshot).getBytes(StandardCharsets.UTF_8);
    int inserted = jdbc.update("""
        insert into register_snapshot (snapshot_date, taken_at, content, sha256, signature, key_sha256, projects)
        values (?, ?, ?, ?, ?, ?, ?) on conflict (snapshot_date) do nothing""",
        today, Timestamp.from(now), content, sha256(content), signer.sign(content), signer.keySha256(), projects.size());
    if (inserted == 1) {
      LOG.info("Took the register snapshot of {} ({} projects)", today, projects.size());
    }
    return inserted == 1;
  }

  List<Listed> list() {
    return jdbc.query("select snapshot_date, taken_at, sha256, key_sha256, projects from register_snapshot order by snapshot_date desc",
        (rs, n) -> new Listed(rs.getObject(1, LocalDate.class), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getInt(5)));
  }

  Optional<Snapshot> find(LocalDate date) {
    return jdbc.query("select snapshot_date, content, sha256, signature from register_snapshot where snapshot_date = ?",
        (rs, n) -> new Snapshot(rs.getObject(1, LocalDate.class), rs.getBytes(2), rs.getString(3), rs.getString(4)), date).stream().findFirst();
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void destroy() {
    timer.shutdownNow();
  }
}
