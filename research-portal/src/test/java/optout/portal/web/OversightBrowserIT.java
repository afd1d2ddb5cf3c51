package optout.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import optout.portal.PortalIT;
import optout.portal.RunnerStandIn;
import optout.portal.oversight.RegistryStandIn;
import optout.portal.oversight.TrustCentreStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The oversight console (issue 17, item 5) in headless Chromium at tablet width through Keycloak's real login:
 * the auditor searches every service's events and filters them, checks the registry checkpoints' consistency in
 * the page's own JavaScript, is told a malformed project name at its field, and takes out an evidence bundle
 * (recorded). The registry and the trust centre are OversightIT's stand-ins. Every view checked as
 * {@link PortalBrowser} says (axe-core, CSP, no horizontal scrolling), photographed into target/screenshots/oversight.
 */
@Timeout(180)
@DisabledIfEnvironmentVariable(named = "OPTOUT_SKIP_BROWSER_TESTS", matches = "true",
    disabledReason = "OPTOUT_SKIP_BROWSER_TESTS=true: the headless Chromium tests of the pages are skipped")
class OversightBrowserIT extends PortalBrowser {

  private static final RunnerStandIn RUNNER = new RunnerStandIn(PortalIT::testDatabase);
  private static final RegistryStandIn REGISTRY = new RegistryStandIn().rules()
      .event("opt-out-filed", 10_000_000_001L).event("opt-out-filed", 10_000_000_002L).event("opt-out-withdrawn", 10_000_000_002L);
  private static final long EXTRACT_CHECKPOINT = REGISTRY.checkpoint();
  private static final long LATEST_CHECKPOINT = REGISTRY.event("opt-out-filed", 10_000_000_003L).checkpoint();
  private static final TrustCentreStandIn TRUST_CENTRE = new TrustCentreStandIn();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.warehouse-output", () -> RUNNER.output().toString());
    properties.add("optout.portal.manifest-public-key", () -> RUNNER.publicKey().toString());
    properties.add("optout.portal.registry-log.url", () -> REGISTRY.url().toString());
    properties.add("optout.portal.registry-log.origin", () -> RegistryStandIn.ORIGIN);
    properties.add("optout.portal.registry-log.verifier-key", REGISTRY.logKey::verifierKey);
    properties.add("optout.portal.registry-log.witness-verifier-key", REGISTRY.witnessKey::verifierKey);
    properties.add("optout.portal.oversight.trust-centre-url", () -> TRUST_CENTRE.url().toString());
  }

  @AfterAll
  static void stopStandIns() {
    REGISTRY.stop();
    TRUST_CENTRE.stop();
  }

  OversightBrowserIT() {
    super("oversight");
  }

  @Test
  void anAuditorSearchesChecksConsistencyAndTakesOutAnEvidenceBundle() throws Exception {
    String project = delivered();
    browser();
    open("/oversight/");
    check("oversight-signed-out");
    signIn("auditor-demo", "/oversight/");
    waitForView("view-console");
    waitFor("document.querySelectorAll('#events tbody tr[data-kind]').length > 0"
        + " && document.querySelector('#checkpoints tbody tr[data-size=\"" + EXTRACT_CHECKPOINT + "\"]') !== null"
        + " && document.querySelector('#checkpoints tbody tr[data-size=\"" + LATEST_CHECKPOINT + "\"]') !== null",
        Duration.ofSeconds(20), "the events and checkpoints (other test classes' deliveries in the run's shared database name more)");
    assertThat(text("#sources")).contains("research-portal", "optout-registry", "trust-centre");
    assertThat(text("#events tbody")).contains("reidentification", "surge-alert", "filing", project);
    check("oversight-console");

    // only the filings, by the words of one
    evaluate("document.getElementById('kind').value = 'filing'; true");
    type("#words", "withdrawn");
    tap("#search button[type='submit']");
    waitFor("document.querySelectorAll('#events tbody tr[data-kind]').length === 1"
        + " && document.querySelector('#events tbody tr').dataset.kind === 'filing'", Duration.ofSeconds(20), "the filtered search");
    assertThat(text("#events tbody")).contains("opt-out-withdrawn");
    check("oversight-filtered");

    // the consistency proof between the extract's checkpoint and the latest, verified by the page itself
    tap("#check-consistency");
    waitFor("document.getElementById('consistency-status').dataset.result !== undefined", Duration.ofSeconds(20), "the consistency check");
    assertThat(attribute("#consistency-status", "data-result")).isEqualTo("consistent");
    assertThat(attribute("#checkpoints tr[data-size='" + LATEST_CHECKPOINT + "'] td.consistency", "data-consistent")).isEqualTo("true");
    assertThat(text("#checkpoints tr[data-size='" + EXTRACT_CHECKPOINT + "']")).contains(project);
    check("oversight-consistency");

    // a malformed project name is refused at its field, before anything is sent
    type("#project", "project 12");
    tap("#bundle button[type='submit']");
    waitFor("document.getElementById('project-error').textContent.trim() !== ''", Duration.ofSeconds(5), "the field's error");
    assertThat(attribute("#project", "aria-invalid")).isEqualTo("true");
    check("oversight-bundle-refused");

    type("#project", project);
    tap("#bundle button[type='submit']");
    waitFor("document.getElementById('bundle-status').textContent.includes('Downloaded')", Duration.ofSeconds(60), "the evidence bundle");
    assertThat(jdbc.queryForObject("select count(*) from evidence_export where project = ?", Long.class, project)).isEqualTo(1);
    check("oversight-bundle");
  }

  private String delivered() throws Exception {
    String id = submitted(RESEARCHER);
    int version = jdbc.queryForObject("select current_version from application where id = ?::uuid", Integer.class, id);
    assertThat(json("POST", "/api/v1/reviews/" + id + "/decision", REVIEWER,
        "{\"outcome\": \"approve\", \"version\": " + version + ", \"reason\": \"Minimum necessary.\"}").statusCode()).isEqualTo(200);
    UUID extract = latestJob(id, "extract");
    String project = jdbc.queryForObject("select project from job where id = ?", String.class, extract);
    String extractId = "EX-20261206-" + extract.toString().substring(0, 8);
    RUNNER.releaseExtract(extract, project, extractId, REGISTRY.extractManifest(extractId, EXTRACT_CHECKPOINT),
        "{\"personsBefore\":60,\"dimensions\":[]}", "{\"enrollment\":58}");
    return project;
  }
}
