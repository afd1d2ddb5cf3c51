package optout.portal.oversight;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import optout.portal.oversight.AuditSource.SourceUnavailable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls to the other services on the auditor's behalf: the auditor's own access token is relayed in the
 * {@code Authorization} header (never in a URL), so each service decides for itself what an auditor may
 * read. Answers are capped in size; failures become {@link SourceUnavailable} with a kind, never the
 * server's message. Logs name the path and status only.
 */
final class ServiceClient {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceClient.class);

  private final HttpClient http;
  private final Duration timeout;

  ServiceClient(Duration timeout) {
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** GET {@code base + path} (path and query only made of checked values), with the token if not null. */
  byte[] get(URI base, String path, String token, int maxBytes) throws SourceUnavailable {
    return send(base, path, token, maxBytes, HttpRequest.newBuilder().GET());
  }

  /** POST a JSON body. */
  byte[] post(URI base, String path, String token, String json, int maxBytes) throws SourceUnavailable {
    return send(base, path, token, maxBytes,
        HttpRequest.newBuilder().header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  private byte[] send(URI base, String path, String token, int maxBytes, HttpRequest.Builder request) throws SourceUnavailable {
    URI uri = URI.create(base.toString().replaceAll("/+$", "") + path);
    request.uri(uri).timeout(timeout);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<byte[]> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (answer.statusCode() / 100 != 2) {
        LOG.info("{} answered HTTP {}", uri.getPath(), answer.statusCode());
        throw new SourceUnavailable(switch (answer.statusCode()) {
          case 401, 403 -> "refused";
          case 404 -> "not-found";
          default -> "http-" + answer.statusCode();
        });
      }
      if (answer.body().length > maxBytes) {
        throw new SourceUnavailable("too-large");
      }
      return answer.body();
    } catch (IOException e) {
      LOG.info("Cannot reach {} ({})", uri.getPath(), e.getClass().getSimpleName());
      throw new SourceUnavailable("unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceUnavailable("interrupted");
    }
  }
}
