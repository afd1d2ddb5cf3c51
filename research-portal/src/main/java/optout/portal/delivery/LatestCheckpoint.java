package optout.portal.delivery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import optout.portal.registrylog.RegistryLogProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The registry's newest witnessed checkpoint, as its public log serves it ({@code GET /api/v1/log/checkpoint}, no token),
 * checked as a delivery's checkpoint is ({@link CheckpointCheck}: the log's signature under the configured key, the
 * witness's cosignature under the configured witness key). For the public statistics page.
 */
@Component
public class LatestCheckpoint {

  private static final Logger LOG = LoggerFactory.getLogger(LatestCheckpoint.class);

  /** The checkpoint and what verified of it; {@code problem} says why it is not verified. */
  public record Latest(String origin, long size, String rootHash, boolean registrySignatureVerified, boolean witnessCosignatureVerified,
      boolean verified, String problem) {}

  private final RegistryLogProperties properties;
  private final CheckpointCheck check;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  LatestCheckpoint(RegistryLogProperties properties) {
    this.properties = properties;
    this.check = new CheckpointCheck(properties.origin(), properties.logKey(), properties.witnessKey());
  }

  /** The registry's base URL (its public API: the log, the statistics). */
  public URI registry() {
    return URI.create(properties.url().toString().replaceAll("/+$", ""));
  }

  /** The newest checkpoint, or nothing if the registry cannot be reached or serves no checkpoint. */
  public Optional<Latest> fetch() {
    String note;
    try {
      HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(URI.create(registry() + "/api/v1/log/checkpoint"))
          .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() != 200 || answer.body().length > 64 * 1024) {
        LOG.info("The registry answered HTTP {} for its newest checkpoint", answer.statusCode());
        return Optional.empty();
      }
      note = new String(answer.body(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.info("Cannot fetch the registry's newest checkpoint now ({})", e.getClass().getSimpleName());
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    String[] lines = note.split("\n", 4);
    if (lines.length < 4 || !lines[1].matches("[0-9]{1,18}")) {
      return Optional.empty();
    }
    long size = Long.parseLong(lines[1]);
    CheckpointCheck.Verdict verdict = check.check(lines[0], size, lines[2], note);
    return Optional.of(new Latest(lines[0], size, lines[2], verdict.registrySignatureVerified(), verdict.witnessCosignatureVerified(),
        verdict.verified(), verdict.problem()));
  }
}
