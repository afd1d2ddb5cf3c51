package optout.portal.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import optout.portal.registrylog.RegistryLogProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The registry's signed checkpoints, as its public log serves them ({@code GET /api/v1/log/checkpoints/<size>},
 * no token: what anyone may check), and the check of the one a manifest names. A checkpoint that verified
 * is kept in memory (a signed checkpoint of a size never changes), anything else is fetched again next time.
 */
@Component
class RegistryCheckpoints {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryCheckpoints.class);
  private static final int KEPT = 1_000;

  private final RegistryLogProperties properties;
  private final CheckpointCheck check;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Map<Long, String> verified = new ConcurrentHashMap<>();

  RegistryCheckpoints(RegistryLogProperties properties) {
    this.properties = properties;
    this.check = new CheckpointCheck(properties.origin(), properties.logKey(), properties.witnessKey());
    if (properties.logKey() == null || properties.witnessKey() == null) {
      LOG.warn("No registry log key or no witness key is configured (optout.portal.registry-log.*): deliveries show their registry"
          + " checkpoint as not verified");
    }
  }

  /** The check of the checkpoint the manifest names ({@code origin}, {@code size}, {@code rootHash}; any may be null). */
  CheckpointCheck.Verdict check(String origin, Long size, String rootHash) {
    if (origin == null || size == null || rootHash == null || size < 0) {
      return check.check(origin, size, rootHash, null);
    }
    String note = verified.get(size);
    boolean fetched = note == null;
    if (fetched) {
      note = fetch(size);
    }
    CheckpointCheck.Verdict verdict = check.check(origin, size, rootHash, note);
    if (fetched && verdict.registrySignatureVerified() && verdict.witnessCosignatureVerified() && verified.size() < KEPT) {
      verified.put(size, note);
    }
    return verdict;
  }

  private String fetch(long size) {
    URI uri = URI.create(properties.url().toString().replaceAll("/+$", "") + "/api/v1/log/checkpoints/" + size);
    try {
      HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200 || answer.body().length > 64 * 1024) {
        LOG.info("The registry answered HTTP {} for checkpoint {}", answer.statusCode(), size);
        return null;
      }
      return new String(answer.body(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.info("Cannot fetch the registry's checkpoint {} now ({})", size, e.getClass().getSimpleName());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
