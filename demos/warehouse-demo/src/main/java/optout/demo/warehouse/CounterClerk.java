package optout.demo.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/**
 * The demo's clerk at the consent service's counter: files an opt-out for a citizen who signs on the
 * virtual pad (draft, capture, accept), exactly as the counter page does, and waits until the outbox
 * has delivered it to the registry.
 */
final class CounterClerk {

  private final URI consent;
  private final String token;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final ObjectMapper json = new ObjectMapper();

  CounterClerk(URI consent, String token) {
    this.consent = consent;
    this.token = token;
  }

  /** Files an opt-out of {@code scope}; returns the filing ID. */
  String fileOptOut(String nationalId, String scope) throws IOException, InterruptedException {
    JsonNode draft = post("/api/v1/counter/drafts", json.createObjectNode().put("kind", "opt-out").put("nationalId", nationalId)
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("scopes", json.createArrayNode().add(scope))
        .set("identityCheck", json.createObjectNode().put("method", "national-id-card")), 201);
    String id = draft.path("draftId").asText();
    JsonNode capture = post("/api/v1/counter/drafts/" + id + "/capture", json.createObjectNode().put("virtualRecording", "signature-a"), 200);
    if (!capture.path("accepted").asBoolean()) {
      throw new IOException("The virtual signature did not pass the quality gate: " + capture.path("issues"));
    }
    return post("/api/v1/counter/drafts/" + id + "/accept", null, 201).path("filingId").asText();
  }

  /** Waits until the registry has the filing. */
  void awaitDelivery(String filingId, Duration timeout) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      HttpResponse<String> filing = http.send(HttpRequest.newBuilder(consent.resolve("/api/v1/filings/" + filingId))
          .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
      String status = json.readTree(filing.body()).path("delivery").path("status").asText();
      if (status.equals("delivered")) {
        return;
      }
      if (status.equals("refused") || status.equals("held")) {
        // held: the registry refused it for a domain reason, and it waits in the counter's queue for a clerk
        throw new IOException("The registry refused filing " + filingId + " (" + status + "): "
            + json.readTree(filing.body()).path("delivery").path("detail").asText());
      }
      Thread.sleep(300);
    }
    throw new IOException("Filing " + filingId + " did not reach the registry within " + timeout.toSeconds() + " s");
  }

  private JsonNode post(String path, JsonNode body, int expected) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(consent.resolve(path)).timeout(Duration.ofMinutes(2))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body.toString())).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IOException("The consent service answered HTTP " + response.statusCode() + " to " + path + ": " + response.body());
    }
    return json.readTree(response.body());
  }
}
