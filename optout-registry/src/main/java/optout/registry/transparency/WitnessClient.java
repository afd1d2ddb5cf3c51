package optout.registry.transparency;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import optout.registry.log.Hash;

/**
 * Submits checkpoints to a witness by c2sp.org/tlog-witness: {@code POST <url>/add-checkpoint} with
 * {@code old <size>}, the consistency proof lines, an empty line and the signed checkpoint. Plain Java;
 * the relay decides what to do with each answer.
 */
final class WitnessClient {

  /** What the witness answered. */
  interface Answer {}

  /** 200: the cosignature line(s), not yet verified. */
  record Cosigned(String lines) implements Answer {}

  /** 409: the witness's latest cosigned checkpoint has another size than the one the request started from. */
  record Conflict(long heldSize) implements Answer {}

  /** Anything else: the status and the witness's explanation (shortened). */
  record Refused(int status, String reason) implements Answer {}

  private final URI addCheckpoint;
  private final Duration timeout;
  private final HttpClient http;

  WitnessClient(URI url, Duration timeout) {
    String base = url.toString().replaceAll("/+$", "");
    this.addCheckpoint = URI.create(base + "/add-checkpoint");
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  Answer add(long oldSize, List<Hash> proof, String signedNote) throws IOException, InterruptedException {
    StringBuilder body = new StringBuilder("old ").append(oldSize).append('\n');
    proof.forEach(hash -> body.append(hash.base64()).append('\n'));
    body.append('\n').append(signedNote);
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(addCheckpoint).timeout(timeout)
        .header("Content-Type", "text/plain; charset=utf-8")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    String text = response.body();
    if (response.statusCode() == 200) {
      return new Cosigned(text);
    }
    if (response.statusCode() == 409) {
      String size = text.strip();
      if (!response.headers().firstValue("Content-Type").orElse("").startsWith("text/x.tlog.size") || !size.matches("0|[1-9][0-9]{0,18}")) {
        return new Refused(409, "a conflict without a size: " + excerpt(text));
      }
      return new Conflict(Long.parseLong(size));
    }
    return new Refused(response.statusCode(), excerpt(text));
  }

  private static String excerpt(String text) {
    String line = text.strip().replaceAll("\\p{Cntrl}", " ");
    return line.length() <= 300 ? line : line.substring(0, 300) + "...";
  }

  @Override
  public String toString() {
    return "WitnessClient[" + addCheckpoint + "]";
  }
}
