package optout.portal.oversight;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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

  /**
   * GET {@code base + path} and copy the answer into {@code into} as it arrives (never held whole): at most
   * {@code maxBytes}, else {@code too-large}. Answers the number of bytes copied.
   */
  long copy(URI base, String path, String token, long maxBytes, OutputStream into) throws SourceUnavailable {
    URI uri = URI.create(base.toString().replaceAll("/+$", "") + path);
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<InputStream> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = answer.body()) {
        if (answer.statusCode() / 100 != 2) {
          LOG.info("{} answered HTTP {}", uri.getPath(), answer.statusCode());
          throw new SourceUnavailable(failure(answer.statusCode()));
        }
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        for (int n; (n = body.read(buffer)) >= 0; ) {
          copied += n;
          if (copied > maxBytes) {
            throw new SourceUnavailable("too-large");
          }
          into.write(buffer, 0, n);
        }
        return copied;
      }
    } catch (IOException e) {
      LOG.info("Cannot copy {} ({})", uri.getPath(), e.getClass().getSimpleName());
      throw new SourceUnavailable("unreachable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SourceUnavailable("interrupted");
    }
  }

  private static String failure(int status) {
    return switch (status) {
      case 401, 403 -> "refused";
      case 404 -> "not-found";
      default -> "http-" + status;
    };
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
        throw new SourceUnavailable(failure(answer.statusCode()));
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
