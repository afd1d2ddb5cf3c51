package optout.portal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import optout.platform.testing.ServiceIntegrationTest;
import optout.platform.testing.TestKeycloak;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole portal on a random port, against the run's PostgreSQL as its application role (so the
 * migrations' grants are what the tests exercise) and the run's Keycloak with real tokens.
 */
public abstract class PortalIT extends ServiceIntegrationTest {

  protected static final JsonMapper JSON = JsonMapper.builder().build();
  protected static final String RESEARCHER = "researcher-demo";
  protected static final String REVIEWER = "reviewer-demo";
  /** Holds both roles: applies as a researcher, and must not review that application. */
  protected static final String RESEARCH_REVIEWER = "research-reviewer-demo";

  @DynamicPropertySource
  static void portal(DynamicPropertyRegistry properties) {
    connectAsApplicationRole();
    createRunnerRole();
  }

  /** The warehouse runner's role, which the migrations grant to (./optout up's PostgreSQL creates it beside the database). */
  protected static synchronized void createRunnerRole() {
    var environment = optout.platform.testing.PlatformTestEnvironment.current();
    String role = testDatabase().user() + "_runner";
    try (var admin = java.sql.DriverManager.getConnection(environment.postgresAdminUrl(), environment.postgresAdminUser(), "");
        var statement = admin.createStatement()) {
      statement.execute("do $$ begin if not exists (select 1 from pg_roles where rolname = '" + role + "') then create role " + role
          + " login password '" + testDatabase().password() + "'; end if; end $$");
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("Cannot create the runner's test role: " + e.getMessage(), e);
    }
  }

  /** A complete application that passes submission (with the ethics approval uploaded separately). */
  protected static final String COMPLETE = """
      {"title": "Diabetes and hypertension outcomes 2022-2023",
       "institution": "National Taiwan University Hospital",
       "principalInvestigator": "Dr. Chen Mei-Ling",
       "purpose": "academic-research",
       "legalBasis": "Personal Data Protection Act art. 6(1)(4); IRB 202601001RINA",
       "laySummary": "We study how people with diabetes and high blood pressure use outpatient care over two years.",
       "publicBenefit": "Better follow-up schedules for people with diabetes, so fewer of them need hospital care.",
       "tables": {"enrollment": ["person", "birth_date", "sex", "county"],
                  "outpatient_visit": ["visit_id", "person", "visit_date", "icd1"]},
       "justifications": {"enrollment": {"person": "Each patient's visits are followed over the two years.",
                                         "birth_date": "Age groups are the main stratification of the outcome."},
                          "outpatient_visit": {"person": "Visits must be linked to the enrolled patient.",
                                               "visit_date": "Time between visits is the outcome we measure."}},
       "cohort": {"diagnoses": ["E11", "I10"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
       "generalisation": {"birthDate": "five-year-band", "careDates": "month"}}""";

  private record CachedToken(String token, long fetchedAtNanos) {}

  private static final java.util.Map<String, CachedToken> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * A real access token of the demo user, reused for a minute (well within its lifespan): a password
   * grant per request would look like an attack to Keycloak's brute-force detection.
   */
  protected String token(String user) {
    CachedToken cached = TOKENS.compute(user, (name, old) ->
        old != null && System.nanoTime() - old.fetchedAtNanos() < java.util.concurrent.TimeUnit.SECONDS.toNanos(60)
            ? old : new CachedToken(TestKeycloak.get().accessToken(name), System.nanoTime()));
    return cached.token();
  }

  protected HttpResponse<String> json(String method, String path, String user, String body) {
    return json(method, path, user, body, null);
  }

  protected HttpResponse<String> json(String method, String path, String user, String body, String idempotencyKey) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (user != null) {
      request.header("Authorization", "Bearer " + token(user));
    }
    if (idempotencyKey != null) {
      request.header("Idempotency-Key", idempotencyKey);
    }
    return send(request.build());
  }

  protected HttpResponse<String> getAs(String path, String user) {
    return get(path, user == null ? null : token(user));
  }

  protected HttpResponse<String> uploadEthics(String applicationId, String user, byte[] pdf, String contentType) {
    return send(HttpRequest.newBuilder(uri("/api/v1/applications/" + applicationId + "/ethics-approval")).timeout(Duration.ofSeconds(30))
        .header("Authorization", "Bearer " + token(user))
        .header("Content-Type", contentType)
        .PUT(HttpRequest.BodyPublishers.ofByteArray(pdf)).build());
  }

  protected static JsonNode body(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /** Creates a draft with this content; answers its ID. */
  protected String draft(String user, String content) {
    HttpResponse<String> created = json("POST", "/api/v1/applications", user, content);
    if (created.statusCode() != 201) {
      throw new AssertionError("draft not created: " + created.statusCode() + " " + created.body());
    }
    return body(created).get("id").asString();
  }

  /** A complete application with its ethics approval, submitted; answers its ID. */
  protected String submitted(String user) {
    String id = draft(user, COMPLETE);
    HttpResponse<String> upload = uploadEthics(id, user, pdf(2), "application/pdf");
    if (upload.statusCode() != 200) {
      throw new AssertionError("upload refused: " + upload.statusCode() + " " + upload.body());
    }
    HttpResponse<String> submit = json("POST", "/api/v1/applications/" + id + "/submit", user, null);
    if (submit.statusCode() != 200) {
      throw new AssertionError("submission refused: " + submit.statusCode() + " " + submit.body());
    }
    return id;
  }

  /** A PDF of this many pages. */
  protected static byte[] pdf(int pages) {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      for (int i = 0; i < pages; i++) {
        document.addPage(new PDPage());
      }
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A one-page PDF that opens only with a password. */
  protected static byte[] encryptedPdf() {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      document.addPage(new PDPage());
      StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
      policy.setEncryptionKeyLength(128);
      document.protect(policy);
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
