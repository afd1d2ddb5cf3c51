package optout.demo.portal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import optout.demo.portal.PortalApi.Answer;
import optout.demo.portal.PortalApi.StepFailed;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./optout demo}'s portal part: a researcher's application going through the research portal's API to a
 * released output, as {@code researcher-demo}, {@code reviewer-demo} and {@code research-reviewer-demo} (the second
 * output checker: a reviewer who is not the requester). Each step prints what the portal answered; any step that
 * does not give what it should ends the demo with exit status 1. A new application each run, so a second run works.
 *
 * Then two citizens see it from their side ({@link CitizenDemo}).
 *
 * <p>Usage: {@code PortalDemo --portal URL --issuer URL --origin ORIGIN --registry-key KEY --witness-key KEY [--wait SECONDS]}
 * (the registry log's origin, its verifier key and its witness's, as the services pin them); the demo users' password
 * comes from {@code OPTOUT_DEMO_PASSWORD} (./optout passes the local demo's).
 */
public final class PortalDemo {

  static final String RESEARCHER = "researcher-demo";
  static final String REVIEWER = "reviewer-demo";
  /** Holds both roles; as a reviewer who did not ask for the output it is the second checker. */
  static final String SECOND_CHECKER = "research-reviewer-demo";

  /** The demo's application: the warehouse demo's cohort (type 2 diabetes, 2022-2023, aged 40-90). */
  static final String APPLICATION = """
      {"title": "Outpatient care of type 2 diabetes, 2022-2023 (portal demo)",
       "institution": "Local demo institute",
       "principalInvestigator": "Demo investigator",
       "purpose": "academic-research",
       "legalBasis": "Demo only: Personal Data Protection Act art. 6(1)(4) and an IRB approval, as a real project would cite",
       "laySummary": "We look at how often people with type 2 diabetes visit outpatient clinics over two years, by age group.",
       "publicBenefit": "Clinics can plan follow-up for people with diabetes, so fewer of them need hospital care later.",
       "tables": {"enrollment": ["person", "birth_date", "sex", "county"],
                  "outpatient_visit": ["visit_id", "person", "visit_date", "icd1"]},
       "justifications": {"enrollment": {"person": "Each patient's visits are followed over the two years.",
                                         "birth_date": "Age groups are the main stratification of the outcome."},
                          "outpatient_visit": {"person": "Visits must be linked to the enrolled patient.",
                                               "visit_date": "Time between visits is the outcome we measure."}},
       "cohort": {"diagnoses": ["E11"], "from": "2022-01-01", "to": "2023-12-31", "minAge": 40, "maxAge": 90},
       "generalisation": {"birthDate": "five-year-band", "careDates": "month"}}""";

  private final PortalApi api;
  private final PrintStream out;
  private final Duration wait;
  private final Duration poll;
  private final CitizenDemo citizens;

  PortalDemo(PortalApi api, PrintStream out, Duration wait, Duration poll, CitizenDemo citizens) {
    this.api = api;
    this.out = out;
    this.wait = wait;
    this.poll = poll;
    this.citizens = citizens;
  }

  public static void main(String[] args) {
    String portal = null;
    String issuer = null;
    String origin = null;
    String registryKey = null;
    String witnessKey = null;
    long waitSeconds = 900;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--portal" -> portal = args[i + 1];
        case "--issuer" -> issuer = args[i + 1];
        case "--wait" -> waitSeconds = Long.parseLong(args[i + 1]);
        case "--origin" -> origin = args[i + 1];
        case "--registry-key" -> registryKey = args[i + 1];
        case "--witness-key" -> witnessKey = args[i + 1];
        default -> usage("unknown option " + args[i]);
      }
    }
    String password = System.getenv("OPTOUT_DEMO_PASSWORD");
    if (portal == null || issuer == null || origin == null || registryKey == null || witnessKey == null || args.length % 2 != 0
        || password == null || password.isEmpty() || waitSeconds < 1) {
      usage("--portal, --issuer, --origin, --registry-key and --witness-key are required, --wait must be positive, and OPTOUT_DEMO_PASSWORD set");
    }
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    PortalApi api = new PortalApi(URI.create(portal), URI.create(issuer), password, http);
    try {
      PortalDemo demo = new PortalDemo(api, System.out, Duration.ofSeconds(waitSeconds), Duration.ofSeconds(2),
          new CitizenDemo(api, System.out, origin, registryKey, witnessKey));
      demo.run();
    } catch (StepFailed e) {
      System.out.flush();
      System.err.println("error: the portal demo failed: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void usage(String why) {
    System.err.println("Usage: PortalDemo --portal URL --issuer URL --origin ORIGIN --registry-key KEY --witness-key KEY [--wait SECONDS]"
        + " (./optout demo runs it): " + why);
    System.exit(2);
  }

  /** The whole path; throws {@link StepFailed} at the first step that fails. */
  void run() {
    String runKey = "portal-demo-" + UUID.randomUUID();

    out.println("\n== P1. The researcher (" + RESEARCHER + ") starts an application at " + api.portal());
    Answer created = api.postJson(RESEARCHER, "/api/v1/applications", APPLICATION, runKey, 201);
    JsonNode application = created.json();
    String id = application.get("id").asString();
    long number = application.get("number").asLong();
    out.println("   application " + number + ": " + application.get("status").asString() + ", turn " + application.get("turn").asString());
    String path = "/api/v1/applications/" + id;

    out.println("\n== P2. The ethics approval (a PDF) uploaded");
    byte[] pdf = ethicsApproval(number);
    JsonNode ethics = api.call(RESEARCHER, "PUT", path + "/ethics-approval", "application/pdf", pdf, null, 200).json();
    JsonNode stored = ethics.path("ethicsApproval");
    if (!stored.path("sha256").asString("").equals(sha256(pdf))) {
      throw new StepFailed("the portal did not archive the ethics approval under the file's SHA-256");
    }
    out.println("   accepted and archived: " + stored.get("size").asInt() + " bytes, " + stored.get("pages").asInt() + " page, SHA-256 "
        + stored.get("sha256").asString());

    out.println("\n== P3. Impact preview: computed on the warehouse by the runner");
    api.postJson(RESEARCHER, path + "/preview", null, null, 202, 200);
    JsonNode preview = awaitJob("preview", () -> api.get(RESEARCHER, path + "/preview").json());
    JsonNode result = preview.get("result");
    out.println("   cohort " + figure(result.get("cohort")) + ", opted out of academic-research: " + figure(result.get("optedOut"))
        + ", remaining " + figure(result.get("remaining")) + " (1 to 10 suppressed, others rounded to 10)");
    out.println("   representativeness: flagged dimensions " + flagged(result));

    out.println("\n== P4. Submitted");
    JsonNode submitted = api.postJson(RESEARCHER, path + "/submit", null, null, 200).json();
    out.println("   " + submitted.get("status").asString() + ", version " + submitted.get("version").asInt() + ", turn "
        + submitted.get("turn").asString());

    out.println("\n== P5. The reviewer (" + REVIEWER + ") finds it in the queue and approves it");
    boolean queued = false;
    for (JsonNode waiting : api.get(REVIEWER, "/api/v1/reviews").json()) {
      queued |= waiting.path("id").asString("").equals(id);
    }
    if (!queued) {
      throw new StepFailed("application " + number + " is not in " + REVIEWER + "'s review queue");
    }
    JsonNode review = api.get(REVIEWER, "/api/v1/reviews/" + id).json();
    out.println("   minimum-necessary checklist: " + review.path("minimumNecessary").size() + " identifying or quasi-identifying columns, each justified");
    JsonNode approved = api.postJson(REVIEWER, "/api/v1/reviews/" + id + "/decision",
        "{\"outcome\": \"approve\", \"version\": " + submitted.get("version").asInt()
            + ", \"reason\": \"Portal demo: the columns asked for are the minimum the question needs.\"}", null, 200).json();
    String status = approved.at("/application/status").asString(approved.path("status").asString(""));
    out.println("   decision recorded; the application is " + status + "; the extract is queued for the runner");

    out.println("\n== P6. The runner builds the extract; the researcher reads the delivery");
    JsonNode delivery = awaitJob("extract", () -> api.get(RESEARCHER, path + "/delivery").json());
    JsonNode manifest = delivery.get("manifest");
    JsonNode content = manifest.get("content");
    out.println("   extract " + delivery.get("extractId").asString() + ", manifest SHA-256 " + manifest.get("sha256").asString());
    out.println("   manifest verified: " + manifest.get("verified").asBoolean() + " (Ed25519 signature valid: "
        + manifest.get("signatureValid").asBoolean() + "; SHA-256 as the runner reported: " + manifest.get("sha256Matches").asBoolean() + ")");
    if (!manifest.get("verified").asBoolean()) {
      throw new StepFailed("the delivered extract's manifest does not verify");
    }
    out.println("   registry checkpoint " + content.at("/registry/checkpoint/size").asLong() + " (" + content.at("/registry/checkpoint/origin").asString("")
        + "), " + content.at("/registry/exclusionSnapshot/count").asLong() + " opted out of " + content.at("/registry/exclusionSnapshot/purpose").asString(""));
    out.println("   persons: " + content.at("/persons/inCohort").asLong() + " in the cohort, " + content.at("/persons/excluded").asLong()
        + " excluded, " + content.at("/persons/included").asLong() + " delivered");
    for (JsonNode table : delivery.get("tables")) {
      out.println("   table " + table.get("table").asString() + ": " + table.get("rows").asLong() + " rows");
    }

    out.println("\n== P7. An aggregate result asked for release under the opensafely rules: persons delivered by leading diagnosis");
    String project = "application-" + number;
    String csv = table(delivery.get("representativeness"), "leading_diagnosis", "leading diagnosis");
    out.print(indent(csv));
    ObjectNode request = PortalApi.JSON.createObjectNode();
    request.put("description", "Persons in the delivered extract by leading diagnosis (portal demo).");
    // OpenSAFELY-like rules: counts of 7 or fewer suppressed, the rest rounded to 5, so the check visibly does something
    request.put("rules", "opensafely");
    request.put("table", csv);
    JsonNode output = api.postJson(RESEARCHER, "/api/v1/projects/" + project + "/outputs", request.toString(), runKey + "-output", 201).json();
    String outputId = output.get("id").asString();
    int outputNumber = output.get("number").asInt();
    out.println("   output " + outputNumber + " of " + project + ": " + output.get("status").asString() + ", turn " + output.get("turn").asString()
        + " (the output check and the differencing check passed)");

    out.println("\n== P8. Two output checkers, neither the requester, approve it");
    JsonNode forChecker = api.get(REVIEWER, "/api/v1/output-checks/" + outputId).json();
    out.println("   the output check's report (shown to the checkers only):");
    out.print(indent(forChecker.get("checkReport").asString()));
    for (String checker : List.of(REVIEWER, SECOND_CHECKER)) {
      JsonNode checked = api.postJson(checker, "/api/v1/output-checks/" + outputId + "/decision",
          "{\"outcome\": \"approve\", \"reason\": \"Portal demo: checked against the opensafely rules and the earlier releases.\"}", null, 200)
          .json();
      out.println("   " + checker + " approves: " + checked.get("status").asString() + ", " + checked.get("approvals").asInt() + " approval(s)");
    }

    out.println("\n== P9. The researcher downloads the released table");
    Answer download = api.get(RESEARCHER, "/api/v1/projects/" + project + "/outputs/" + outputNumber + "/released.csv");
    String hash = sha256(download.body().getBytes(StandardCharsets.UTF_8));
    JsonNode record = api.get(RESEARCHER, "/api/v1/projects/" + project + "/outputs/" + outputNumber).json();
    if (!hash.equals(download.header("X-Content-SHA256")) || !hash.equals(record.path("releasedSha256").asString(""))) {
      throw new StepFailed("the released file's SHA-256 is not the one the portal recorded");
    }
    out.print(indent(download.body()));
    out.println("   released file SHA-256 " + hash + " (as the portal's header and decision record say); status "
        + record.get("status").asString() + ", " + record.get("checks").size() + " checks recorded");
    out.println("\nDone: application " + number + " applied, previewed, approved, extracted (manifest verified) and output "
        + outputNumber + " released after two checks, all through the portal's API.");

    citizens.run(delivery.get("extractId").asString());
    out.println("\nDone: " + CitizenDemo.OPTED_OUT + " saw their opt-out, its proof verified, and extract " + delivery.get("extractId").asString()
        + " leaving them out; " + CitizenDemo.INCLUDED + " saw that extract use their data (sign in at " + api.portal()
        + "/citizen/ as either, password as the other demo users').");
  }

  /** The job's view once it succeeded, printing its progress meanwhile; a failed job or one past the wait fails the demo. */
  private JsonNode awaitJob(String what, java.util.function.Supplier<JsonNode> view) {
    long deadline = System.nanoTime() + wait.toNanos();
    String said = "";
    while (true) {
      JsonNode job = view.get();
      String status = job.path("status").asString("");
      String now = status + " " + job.path("progress").asInt();
      if (!now.equals(said)) {
        out.println("   " + what + ": " + status + " (" + job.path("progress").asInt() + " %)");
        said = now;
      }
      if (status.equals("succeeded")) {
        return job;
      }
      if (status.equals("failed")) {
        throw new StepFailed("the " + what + " job failed: " + job.path("error").asString("(no reason given)"));
      }
      if (System.nanoTime() > deadline) {
        throw new StepFailed("the " + what + " job did not finish within " + wait.toSeconds() + " s (is the warehouse runner up? ./optout status, "
            + "var/log/warehouse-runner.log)");
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StepFailed("interrupted while waiting for the " + what);
      }
    }
  }

  /**
   * The aggregate the demo asks to release: the delivered persons by one dimension of the delivery's
   * representativeness report (each person in one category), the categories whose counts the report shows
   * (it hides those a small number of exclusions would give away), as the output check takes it.
   */
  static String table(JsonNode report, String dimensionName, String header) {
    List<String> lines = new ArrayList<>();
    for (JsonNode dimension : report.path("dimensions")) {
      if (!dimension.path("name").asString("").equals(dimensionName)) {
        continue;
      }
      for (JsonNode category : dimension.path("categories")) {
        if (category.path("shown").asBoolean(false)) {
          lines.add(category.get("name").asString() + "," + category.get("after").asLong());
        }
      }
    }
    if (lines.isEmpty()) {
      throw new StepFailed("the delivery's representativeness report shows no category of " + dimensionName + " to tabulate");
    }
    lines.sort(null);
    return header + ",persons\n" + String.join("\n", lines) + "\n";
  }

  private static String figure(JsonNode count) {
    return count == null || count.isNull() ? "suppressed (1 to 10)" : Long.toString(count.asLong());
  }

  private static String flagged(JsonNode result) {
    JsonNode report = result.path("representativeness");
    JsonNode flagged = report.path("flaggedDimensions");
    if (flagged.isMissingNode()) {
      flagged = result.path("flaggedDimensions");
    }
    List<String> names = new ArrayList<>();
    flagged.forEach(name -> names.add(name.asString()));
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  private static String indent(String text) {
    StringBuilder indented = new StringBuilder();
    text.lines().forEach(line -> indented.append("     ").append(line).append('\n'));
    return indented.toString();
  }

  /** A one-page PDF standing for the ethics committee's approval (local demo only). */
  static byte[] ethicsApproval(long number) {
    try (PDDocument document = new PDDocument(); ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
      PDPage page = new PDPage();
      document.addPage(page);
      try (PDPageContentStream text = new PDPageContentStream(document, page)) {
        text.beginText();
        text.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
        text.newLineAtOffset(72, 720);
        text.showText("Ethics approval for research application " + number + " - LOCAL DEMO ONLY, not a real approval");
        text.endText();
      }
      document.save(bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new StepFailed("cannot make the demo's ethics approval PDF: " + e.getMessage());
    }
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
