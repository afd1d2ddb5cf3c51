package optout.portal.notification;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import optout.platform.testing.TestKeycloak;
import optout.portal.PortalIT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The e-mail relay against a real SMTP server (GreenMail, on a loopback port) and the run's Keycloak: a
 * status change's e-mail reaches the researcher's address, as looked up by subject through the relay's
 * view-users-only service account, and says nothing that identifies the application or the person; a
 * user without an address is recorded undeliverable and not retried; with the server down the e-mail waits
 * and is sent once when it is back.
 */
class MailRelayIT extends PortalIT {

  private static final int SMTP_PORT = freePort();
  // test-clients.json: a researcher whose address the test removes once it holds their token (Keycloak lets
  // nobody sign in without an address, but an administrator may remove one later)
  private static final String NO_EMAIL = "researcher-address-removed-test";
  private static GreenMail smtp = startSmtp();

  @DynamicPropertySource
  static void mail(DynamicPropertyRegistry properties) {
    properties.add("spring.mail.host", () -> "127.0.0.1");
    properties.add("spring.mail.port", () -> SMTP_PORT);
    properties.add("optout.portal.mail.from", () -> "research-portal@portal.test");
    properties.add("optout.portal.mail.interval", () -> "200ms");
    properties.add("optout.portal.mail.first-retry", () -> "300ms");
    properties.add("optout.portal.mail.max-backoff", () -> "1s");
    properties.add("optout.portal.mail.keycloak-client-secret", () -> "optout-portal-mailer-local-demo-secret");
  }

  @Autowired JdbcTemplate jdbc;

  @AfterAll
  static void stopSmtp() {
    smtp.stop();
  }

  @Test
  void aStatusChangeReachesTheResearchersAddressWithoutAnIdentifier() throws Exception {
    String id = draft(RESEARCHER, COMPLETE);
    long number = number(id);
    awaitRow(id, "sent");
    List<MimeMessage> mails = mailsAbout(number);
    assertThat(mails).hasSize(1);
    MimeMessage mail = mails.get(0);
    assertThat(mail.getRecipients(Message.RecipientType.TO)).extracting(Object::toString).containsExactly("researcher-demo@demo.invalid");
    assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("research-portal@portal.test");
    assertThat(mail.getSubject()).isEqualTo("研究申請 " + number + "：草稿 / Application " + number + ": draft");
    String body = GreenMailUtil.getBody(mail);
    String whole = GreenMailUtil.getWholeMessage(mail);
    assertThat(new String(mail.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("Sign in to the research portal");
    // neither the application's ID nor the researcher's account ID (the subject the relay looked up) travels
    for (String text : List.of(body, whole)) {
      assertThat(text).doesNotContain(id).doesNotContain(subjectOf(RESEARCHER)).doesNotContain("A123456789");
    }
    Map<String, Object> row = row(id);
    assertThat(row.get("attempts")).isEqualTo(1);
    assertThat(row.get("last_error")).isNull();
  }

  @Test
  void aResearcherWithoutAnAddressIsRecordedUndeliverableAndNotRetried() throws Exception {
    setAddress(NO_EMAIL, NO_EMAIL + "@demo.invalid");
    token(NO_EMAIL);
    setAddress(NO_EMAIL, "");
    try {
      String id = draft(NO_EMAIL, COMPLETE);
      long number = number(id);
      awaitRow(id, "undeliverable");
      Thread.sleep(1_500);  // several rounds later: still one attempt
      Map<String, Object> row = row(id);
      assertThat(row.get("status")).isEqualTo("undeliverable");
      assertThat(row.get("attempts")).isEqualTo(1);
      assertThat(row.get("last_error")).isEqualTo("no-address");
      assertThat(row.get("sent_at")).isNull();
      assertThat(mailsAbout(number)).isEmpty();
    } finally {
      setAddress(NO_EMAIL, NO_EMAIL + "@demo.invalid");
    }
  }

  @Test
  void withTheSmtpServerDownTheMailWaitsAndIsSentOnceWhenItIsBack() throws Exception {
    smtp.stop();
    String id = draft(RESEARCHER, COMPLETE);
    long number = number(id);
    await(() -> ((Integer) row(id).get("attempts")) >= 2, "two failed attempts");
    Map<String, Object> failing = row(id);
    assertThat(failing.get("status")).isEqualTo("pending");
    assertThat(failing.get("sent_at")).isNull();
    assertThat((String) failing.get("last_error")).isNotBlank().doesNotContain("@");
    assertThat(failing.get("next_attempt_at")).isNotNull();
    assertThat(getAs("/actuator/health", null).statusCode()).as("the portal stays healthy without its SMTP server").isEqualTo(200);

    smtp = startSmtp();
    awaitRow(id, "sent");
    Thread.sleep(1_000);  // a few more rounds: nothing sent twice
    assertThat(mailsAbout(number)).hasSize(1);
    assertThat((Integer) row(id).get("attempts")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theRelaysServiceAccountMayViewUsersAndNothingElse() throws Exception {
    String token = TestKeycloak.get().serviceAccountToken("optout-portal-mailer");
    String admin = TestKeycloak.get().issuer().toString().replace("/realms/", "/admin/realms/");
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> users = http.send(HttpRequest.newBuilder(URI.create(admin + "/users?max=1"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(users.statusCode()).isEqualTo(200);
    HttpResponse<String> clients = http.send(HttpRequest.newBuilder(URI.create(admin + "/clients"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(clients.statusCode()).isEqualTo(403);
    HttpResponse<String> create = http.send(HttpRequest.newBuilder(URI.create(admin + "/users"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"made-by-the-relay\"}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(create.statusCode()).isEqualTo(403);
  }

  /** Sets (or with "" removes) the user's address as Keycloak's administrator. */
  private static void setAddress(String username, String address) throws Exception {
    var environment = optout.platform.testing.PlatformTestEnvironment.current();
    HttpClient http = HttpClient.newHttpClient();
    String form = "grant_type=password&client_id=admin-cli&username=" + java.net.URLEncoder.encode(environment.keycloakAdmin(), StandardCharsets.UTF_8)
        + "&password=" + java.net.URLEncoder.encode(environment.keycloakAdminPassword(), StandardCharsets.UTF_8);
    HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(environment.realmIssuer("master") + "/protocol/openid-connect/token"))
        .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
        HttpResponse.BodyHandlers.ofString());
    String admin = JSON.readTree(token.body()).get("access_token").asString();
    String users = TestKeycloak.get().issuer().toString().replace("/realms/", "/admin/realms/") + "/users";
    HttpResponse<String> found = http.send(HttpRequest.newBuilder(URI.create(users + "?exact=true&username=" + username))
        .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
    var user = (tools.jackson.databind.node.ObjectNode) JSON.readTree(found.body()).get(0);
    user.put("email", address);
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(users + "/" + user.get("id").asString()))
        .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(user.toString())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).as(put.body()).isEqualTo(204);
  }

  private long number(String id) {
    return jdbc.queryForObject("select number from application where id = ?::uuid", Long.class, id);
  }

  private List<MimeMessage> mailsAbout(long number) throws Exception {
    String about = "Application " + number + ":";
    return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
      try {
        return m.getSubject() != null && m.getSubject().contains(about);
      } catch (jakarta.mail.MessagingException e) {
        throw new IllegalStateException(e);
      }
    }).toList();
  }

  private Map<String, Object> row(String applicationId) {
    return jdbc.queryForMap("""
        select o.status, o.attempts, o.sent_at, o.next_attempt_at, o.last_error from email_outbox o
          join notification n on n.id = o.notification_id where n.application_id = ?::uuid""", applicationId);
  }

  private void awaitRow(String applicationId, String status) throws InterruptedException {
    await(() -> status.equals(row(applicationId).get("status")), "the e-mail " + status);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited 30 s for " + what);
      }
      Thread.sleep(100);
    }
  }

  /** The user's Keycloak subject, from their token. */
  private String subjectOf(String user) {
    String payload = new String(Base64.getUrlDecoder().decode(token(user).split("\\.")[1]), StandardCharsets.UTF_8);
    return JSON.readTree(payload).get("sub").asString();
  }

  private static GreenMail startSmtp() {
    GreenMail server = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
    return server;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
