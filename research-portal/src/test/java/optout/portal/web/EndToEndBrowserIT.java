package optout.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import optout.platform.testing.browser.Chromium;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole path in headless Chromium through Keycloak's real login page, with the real warehouse runner
 * (warehouse-jobs' {@code RunnerMain}, started by {@code PortalRunnerMain} in a process of its own over a tiny
 * synthetic warehouse): the researcher runs the impact preview of their application and submits it, a reviewer
 * sees the preview and approves, the runner builds the extract, the researcher sees the manifest verified and the
 * report, an output goes through two checkers (the two reviewer accounts, neither the requester) and is
 * downloaded. Every page is photographed (target/screenshots/end-to-end) and checked as {@link PortalBrowser}
 * says. Runs in a JVM of its own (surefire execution {@code end-to-end}): the runner claims every queued job of
 * the portal's database. The form's own pages are {@link PagesBrowserIT}'s; here the draft is written through the API.
 */
@Tag("end-to-end")
@Timeout(600)
@DisabledIfEnvironmentVariable(named = "OPTOUT_SKIP_BROWSER_TESTS", matches = "true",
    disabledReason = "OPTOUT_SKIP_BROWSER_TESTS=true: the headless Chromium tests of the pages are skipped")
class EndToEndBrowserIT extends PortalBrowser {

  /** warehouse-jobs' build: its classes, test classes and test classpath (the reactor builds it first). */
  private static final Path WAREHOUSE_JOBS = Path.of("..", "warehouse-jobs").toAbsolutePath().normalize();
  /** Long enough for Spark to start and write the tiny warehouse on a busy two-core machine. */
  private static final Duration WAREHOUSE = Duration.ofSeconds(200);
  private static final Path WORK;
  private static Process runner;

  static {
    try {
      WORK = Files.createTempDirectory("portal-end-to-end");
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @DynamicPropertySource
  static void warehouse(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.warehouse-output", () -> WORK.resolve("output").toString());
    properties.add("optout.portal.manifest-public-key", () -> WORK.resolve("keys/extract-manifest.key.pub").toString());
  }

  EndToEndBrowserIT() {
    super("end-to-end");
  }

  /** Spark starts and writes the warehouse while the portal starts and the researcher works. */
  @BeforeAll
  static void startRunner() throws IOException {
    createRunnerRole();
    Path classpath = WAREHOUSE_JOBS.resolve("target/test-classpath.txt");
    assertThat(classpath).as("warehouse-jobs is built (the reactor builds it before the portal: mvn verify -pl research-portal -am)").exists();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g"));
    command.addAll(sparkFlags());
    command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, WAREHOUSE_JOBS.resolve("target/test-classes").toString(),
        WAREHOUSE_JOBS.resolve("target/classes").toString(), Files.readString(classpath).strip()), "optout.warehouse.runner.PortalRunnerMain"));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(WORK.resolve("runner.log").toFile());
    Map<String, String> env = builder.environment();
    var database = testDatabase();
    env.putAll(Map.of("OPTOUT_RUNNER_JDBC_URL", database.url(), "OPTOUT_RUNNER_JDBC_USER", database.user() + "_runner",
        "OPTOUT_RUNNER_JDBC_PASSWORD", database.password(), "OPTOUT_RUNNER_POLL", "PT0.5S", "OPTOUT_RUNNER_NAME", "end-to-end-runner",
        "OPTOUT_WAREHOUSE_OUTPUT", WORK.resolve("output").toString(), "OPTOUT_WAREHOUSE_MANIFEST_KEY", WORK.resolve("keys/extract-manifest.key").toString(),
        "OPTOUT_WAREHOUSE_CREATE_MANIFEST_KEY", "true"));
    runner = builder.start();
  }

  @AfterAll
  static void stopRunner() throws Exception {
    if (runner != null) {
      runner.destroy();
      if (!runner.waitFor(20, TimeUnit.SECONDS)) {
        runner.destroyForcibly();
        runner.waitFor();
      }
    }
    // the runner's output and its manifest key are the test's and go with it; its log stays for reading a failure
    try (Stream<Path> files = Files.walk(WORK)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!file.equals(WORK.resolve("runner.log")) && !file.equals(WORK)) {
          Files.delete(file);
        }
      }
    }
  }

  @Test
  void aResearcherAppliesAReviewerApprovesTheRunnerDeliversAndAnOutputPassesTwoCheckers() throws Exception {
    String id = draft(RESEARCHER, COMPLETE);
    assertThat(uploadEthics(id, RESEARCHER, pdf(1), "application/pdf").statusCode()).isEqualTo(200);
    long number = body(getAs("/api/v1/applications/" + id, RESEARCHER)).get("number").asLong();
    String project = "application-" + number;

    // ---- the researcher runs the impact preview on the warehouse, then submits
    browser();
    open("/research/");
    signIn(RESEARCHER, "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    tap("#run-preview");
    waitFor(status("#preview-status", "queued") + " || " + status("#preview-status", "running"), Chromium.STEP, "the preview asked");
    check("research-preview-waiting");
    waitFor("document.getElementById('preview-result-body') !== null || " + status("#preview-status", "failed"), WAREHOUSE,
        "the runner's preview (runner log: " + WORK.resolve("runner.log") + ")");
    assertThat(attribute("#preview-status [data-status]", "data-status")).as(runnerLog()).isEqualTo("succeeded");
    assertThat(text("#preview-cohort")).isNotEmpty();
    assertThat(exists("#preview-report")).isTrue();
    check("research-preview-done");
    tap("#to-check");
    waitForView("view-check");
    check("research-check-answers");
    tap("#submit");
    waitForView("view-submitted");
    check("research-submitted");

    // ---- a reviewer sees the preview of the version under review and approves: the extract is queued
    browser();
    open("/review/");
    signIn(REVIEWER, "/review/");
    waitForView("view-queue");
    check("review-queue");
    openReview(number);
    waitFor("document.getElementById('review-preview-result-body') !== null", Chromium.STEP, "the preview in the review");
    check("review-application");
    decide("approve", "The data asked for is the minimum the study needs.");
    check("review-approved");

    // ---- the runner builds the extract; the researcher watches it and reads the verified manifest and the report
    browser();
    open("/research/");
    signIn(RESEARCHER, "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    tap("#to-delivery");
    waitForView("view-delivery");
    check("research-delivery-waiting");
    waitFor("!document.getElementById('delivery-result').hidden || " + status("#delivery-status", "failed"), WAREHOUSE,
        "the runner's extract (runner log: " + WORK.resolve("runner.log") + ")");
    assertThat(attribute("#delivery-status [data-status]", "data-status")).as(runnerLog()).isEqualTo("succeeded");
    assertThat(attribute("#delivery-verified p", "data-verified")).isEqualTo("true");
    assertThat(text("#delivery-verified")).contains("簽章已驗證", "Signature verified");
    assertThat(text("#delivery-manifest")).contains("EX-", "registry checkpoint");
    assertThat(text("#delivery-tables")).contains("nhi.project_application_" + number + ".enrollment", "outpatient_visit");
    assertThat(exists("#delivery-report table")).isTrue();
    assertThat(text("#delivery-propagation")).contains("persons removed since delivery");
    check("research-delivery");

    // ---- an output through two checkers, neither the requester, then downloaded
    tap("#view-delivery [data-action='back-to-tasks']");
    waitForView("view-tasks");
    tap("#to-outputs");
    waitForView("view-outputs");
    type("#output-description", "Persons with diabetes by sex, 2022-2023");
    tap("#rules-small-cell");
    type("#output-table", "sex,persons\nF,120\nM,135\n");
    tap("#output-form button[type='submit']");
    waitFor("document.querySelector(\"#outputs tr[data-output='1']\") !== null", Chromium.STEP, "the output listed");
    check("research-output-awaiting");
    for (String checker : List.of(REVIEWER, RESEARCH_REVIEWER)) {
      browser();
      open("/review/");
      signIn(checker, "/review/");
      waitForView("view-queue");
      tap("#to-checks");
      waitForView("view-checks");
      tap("#check-queue button[data-output='" + project + "/1']");
      waitForView("view-check");
      check("review-output-" + checker);
      tap("#check-approve");
      type("#check-reason", "Aggregate counts only, none small.");
      tap("#check-form button[type='submit']");
      waitFor("document.getElementById('check-form').hidden", Chromium.STEP, "the check recorded");
      check("review-output-checked-" + checker);
    }
    assertThat(attribute("#check-status", "data-status")).isEqualTo("released");

    browser();
    open("/research/");
    signIn(RESEARCHER, "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    tap("#to-outputs");
    waitForView("view-outputs");
    assertThat(text("#outputs tr[data-output='1']")).contains("Released", "approvals 2 of 2");
    check("research-output-released");
    evaluate("window.__saved = []; URL.createObjectURL = (blob) => { window.__saved.push(blob); return 'blob:saved'; };"
        + " HTMLAnchorElement.prototype.click = function () {}; true");
    tap("#outputs [data-download='1']");
    waitFor("window.__saved.length === 1", Chromium.STEP, "the released table downloaded");
    assertThat((String) evaluate("window.__saved[0].text()")).contains("sex", "120");
  }

  /** The --add-opens flags Spark needs on Java 17, as warehouse-jobs' pom gives its own tests (one place: spark.addOpens). */
  private static List<String> sparkFlags() throws IOException {
    Matcher flags = Pattern.compile("<spark.addOpens>([^<]+)</spark.addOpens>").matcher(Files.readString(WAREHOUSE_JOBS.resolve("pom.xml")));
    assertThat(flags.find()).as("spark.addOpens in warehouse-jobs/pom.xml").isTrue();
    return Arrays.stream(flags.group(1).trim().split("\\s+")).toList();
  }

  private static String runnerLog() throws IOException {
    String log = Files.readString(WORK.resolve("runner.log"), StandardCharsets.UTF_8);
    return "runner log (end):\n" + log.substring(Math.max(0, log.length() - 4000));
  }
}
