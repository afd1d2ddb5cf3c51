package optout.portal.web;

import optout.platform.web.SecurityHeadersFilter;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import optout.portal.PortalIT;
import optout.portal.RunnerStandIn;
import optout.platform.testing.TestKeycloak;
import optout.platform.testing.browser.Chromium;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfEnvironmentVariable;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The researchers' and reviewers' pages in headless Chromium at tablet width (768 px), against the
 * whole portal, the run's real Keycloak (its own login page) and PostgreSQL: a researcher fills an
 * application (a refused submission shows the error summary, then a corrected one goes through), a
 * reviewer requests changes, the researcher edits and resubmits, the reviewer approves; then the impact
 * preview and the delivery watched live while the runner's part is played through its database role, an
 * output through two checkers and its download, and a project closed. Every page is photographed
 * (target/screenshots/portal) and checked as {@link PortalBrowser} says. The real runner: {@link EndToEndBrowserIT}.
 */
@Timeout(240)
@DisabledIfEnvironmentVariable(named = "OPTOUT_SKIP_BROWSER_TESTS", matches = "true",
    disabledReason = "OPTOUT_SKIP_BROWSER_TESTS=true: the headless Chromium tests of the pages are skipped")
class PagesBrowserIT extends PortalBrowser {

  /** The warehouse runner's part (claim, progress, finish) through its own database role; the real runner: EndToEndBrowserIT. */
  private static final RunnerStandIn RUNNER = new RunnerStandIn(PortalIT::testDatabase);

  @DynamicPropertySource
  static void warehouse(DynamicPropertyRegistry properties) {
    properties.add("optout.portal.warehouse-output", () -> RUNNER.output().toString());
    properties.add("optout.portal.manifest-public-key", () -> RUNNER.publicKey().toString());
  }

  PagesBrowserIT() {
    super("portal");
  }

  @Test
  void pagesAndTheirConfigurationAreServedToAnyoneWithStrictHeaders() {
    for (String page : List.of("/research/", "/review/")) {
      HttpResponse<String> html = get(page, null);
      assertThat(html.statusCode()).isEqualTo(200);
      assertThat(html.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
      String policy = html.headers().firstValue("Content-Security-Policy").orElseThrow();
      String keycloak = SecurityHeadersFilter.origin(TestKeycloak.get().issuer());
      assertThat(policy).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "connect-src 'self' " + keycloak,
          "frame-ancestors 'none'", "require-trusted-types-for 'script'", "trusted-types 'none'").doesNotContain("unsafe");
      assertThat(html.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
      assertThat(html.headers().firstValue("Referrer-Policy")).contains("no-referrer");
      assertThat(html.body()).contains("<html lang=\"zh-TW\">").doesNotContain("<script>", "style=", "onclick", "http://", "https://");
    }
    for (String path : List.of("/", "/research", "/review")) {
      HttpResponse<String> redirect = send(HttpRequest.newBuilder(uri(path)).GET().build());
      assertThat(redirect.statusCode()).as(path).isEqualTo(302);
    }
    // The scripts and stylesheet every service with pages shares: served once from service-support, to anyone.
    for (String asset : List.of("/platform/auth.js", "/platform/api.js", "/platform/ui.js", "/platform/app.css", "/assets/portal.css")) {
      HttpResponse<String> file = get(asset, null);
      assertThat(file.statusCode()).as(asset).isEqualTo(200);
      assertThat(file.headers().firstValue("Content-Type").orElseThrow()).as(asset).startsWith(asset.endsWith(".css") ? "text/css" : "text/javascript");
      assertThat(file.headers().firstValue("Content-Security-Policy")).as(asset).isPresent();
    }
    assertThat(get("/assets/app.css", null).statusCode()).as("no copy of the shared stylesheet").isEqualTo(404);
    assertThat(get("/platform/missing.js", null).statusCode()).isEqualTo(404);
    JsonNode web = body(get(WebController.WEB_CONFIG, null));
    assertThat(web.get("clientId").asString()).isEqualTo(TEST_WEB_CLIENT);
    assertThat(web.get("issuer").asString()).isEqualTo(TestKeycloak.get().issuer().toString());
    // The pages are public; the API behind them is not, and nothing else is served openly.
    assertThat(get("/api/v1/applications", null).statusCode()).isEqualTo(401);
    assertThat(get("/api/v1/reviews", null).statusCode()).isEqualTo(401);
    assertThat(send(HttpRequest.newBuilder(uri("/research/")).POST(HttpRequest.BodyPublishers.noBody()).build()).statusCode())
        .isIn(401, 403, 405);
  }

  @Test
  void aResearcherAppliesAReviewerRequestsChangesTheResearcherResubmitsAndTheReviewerApproves() throws Exception {
    // ---- the researcher fills the application
    browser();
    open("/research/");
    assertThat(visible("#signed-out")).isTrue();
    check("research-signed-out");
    signIn("researcher-demo", "/research/");
    waitForView("view-list");
    check("research-list");

    tap("#new-application");
    waitForView("view-tasks");
    String number = text("#tasks-number").replace("#", "");
    assertThat(text("#tasks-state")).contains("草稿", "Draft", "輪到申請人", "researcher's turn");
    assertThat(attribute("#task-status-project", "data-state")).isEqualTo("not-started");
    check("research-task-list-new");

    tap("#task-project");
    waitForView("view-project");
    type("#title", "Diabetes and hypertension outcomes 2022-2023");
    type("#institution", "National Taiwan University Hospital");
    type("#principal-investigator", "Dr. Chen Mei-Ling");
    check("research-section-project");
    saveSection("project");
    assertThat(attribute("#task-status-project", "data-state")).isEqualTo("completed");

    tap("#task-purpose");
    waitForView("view-purpose");
    tap("#purpose-academic-research");
    type("#legal-basis", "Personal Data Protection Act art. 6(1)(4); IRB 202601001RINA");
    check("research-section-purpose");
    saveSection("purpose");

    // An upload that is no PDF: refused, the error summary links to the file field.
    tap("#task-ethics");
    waitForView("view-ethics");
    Path notPdf = Files.createTempFile("not-a", ".pdf");
    Files.writeString(notPdf, "this is not a PDF", StandardCharsets.UTF_8);
    chooseFile("#ethics-file", notPdf);
    tap("#form-ethics button[type='submit']");
    waitFor("!document.getElementById('ethics-errors').hidden", Chromium.STEP, "the upload's error summary");
    assertThat(text("#ethics-errors")).contains("有問題需要處理", "There is a problem");
    assertThat(text("#ethics-file-error")).isNotEmpty();
    check("research-section-ethics-refused");
    Path pdf = Files.createTempFile("ethics", ".pdf");
    Files.write(pdf, pdf(2));
    chooseFile("#ethics-file", pdf);
    tap("#form-ethics button[type='submit']");
    waitForView("view-tasks");
    assertThat(attribute("#task-status-ethics", "data-state")).isEqualTo("completed");

    // The data: birth_date is ticked but its justification is left out, for the submission to refuse.
    tap("#task-data");
    waitForView("view-data");
    for (String column : List.of("person", "birth_date", "sex", "county")) {
      tap("#col-enrollment-" + column);
    }
    assertThat(visible("#just-enrollment-person")).isTrue();
    assertThat(text("#table-enrollment")).contains("識別欄位", "Identifying");
    type("#just-enrollment-person", "Each patient's visits are followed over the two years.");
    check("research-section-data");
    saveSection("data");

    tap("#task-cohort");
    waitForView("view-cohort");
    type("#diagnoses", "E11, I10");
    fill("#cohort-from", "2022-01-01");
    fill("#cohort-to", "2023-12-31");
    type("#min-age", "40");
    type("#max-age", "90");
    check("research-section-cohort");
    saveSection("cohort");

    tap("#task-generalisation");
    waitForView("view-generalisation");
    tap("#birth-date-five-year-band");
    tap("#care-dates-month");
    check("research-section-generalisation");
    saveSection("generalisation");

    tap("#task-public");
    waitForView("view-public");
    type("#lay-summary", "Too short.");
    type("#public-benefit", "Better follow-up schedules for people with diabetes, so fewer of them need hospital care.");
    check("research-section-public");
    saveSection("public");
    check("research-task-list-filled");

    // Check your answers, then a refused submission: the error summary lists each problem, linked to its field.
    tap("#to-check");
    waitForView("view-check");
    assertThat(text("#answers-project")).contains("Diabetes and hypertension outcomes 2022-2023");
    check("research-check-answers");
    tap("#submit");
    waitFor("!document.getElementById('check-errors').hidden", Chromium.STEP, "the submission's error summary");
    assertThat(text("#check-errors")).contains("有問題需要處理", "There is a problem");
    assertThat(exists("#check-errors a[data-field='laySummary']")).isTrue();
    assertThat(exists("#check-errors a[data-field='justifications.enrollment.birth_date']")).isTrue();
    assertThat(evaluate("document.activeElement.id")).isEqualTo("check-errors");
    assertThat(text("#tasks-state")).contains("草稿");
    check("research-check-refused");

    tap("#check-errors a[data-field='laySummary']");
    waitForView("view-public");
    assertThat(evaluate("document.activeElement.id")).isEqualTo("lay-summary");
    assertThat(attribute("#lay-summary", "aria-invalid")).isEqualTo("true");
    assertThat(text("#lay-summary-error")).contains("at least");
    check("research-section-public-error");
    type("#lay-summary", "We study how people with diabetes and high blood pressure use outpatient care over two years.");
    saveSection("public");
    assertThat(attribute("#task-status-data", "data-state")).isEqualTo("problem");

    tap("#task-data");
    waitForView("view-data");
    assertThat(text("#data-errors")).contains("There is a problem");
    assertThat(attribute("#just-enrollment-birth_date", "aria-invalid")).isEqualTo("true");
    type("#just-enrollment-birth_date", "Age groups are the main stratification of the outcome.");
    saveSection("data");

    tap("#to-check");
    waitForView("view-check");
    tap("#submit");
    waitForView("view-submitted");
    assertThat(text("#submitted-state")).contains("已送出，審查中", "輪到審查人");
    check("research-submitted");

    // ---- the reviewer asks for changes
    browser();
    open("/review/");
    check("review-signed-out");
    signIn("reviewer-demo", "/review/");
    waitForView("view-queue");
    check("review-queue");
    openReview(number);
    assertThat(text("#review-state")).contains("輪到審查人");
    assertThat(text("#checklist tr[data-column='enrollment.birth_date']")).contains("Age groups are the main stratification");
    assertThat(text("#checklist tr[data-column='enrollment.person']")).contains("Each patient's visits");
    assertThat(visible("#diff-form")).isFalse();
    check("review-application");

    // A decision without a choice or reason: the error summary, and nothing sent.
    tap("#decision-form button[type='submit']");
    waitFor("!document.getElementById('decision-errors').hidden", Chromium.STEP, "the decision's error summary");
    assertThat(exists("#decision-errors a[href='#outcome-group']")).isTrue();
    assertThat(exists("#decision-errors a[href='#reason']")).isTrue();
    check("review-decision-refused");

    comment("reviewer-only", "Check the county column with the disclosure team.");
    // Markup in a comment is shown as text: nothing a comment says becomes part of the page.
    comment("shown-to-researcher", "Please say why the <b>county</b> is needed, or drop it. <img src=x>");
    assertThat(exists("#review-comments b, #review-comments img")).isFalse();
    assertThat(text("#review-comments li[data-visibility='reviewer-only']")).contains("僅審查人可見", "Reviewers only");
    assertThat(text("#review-comments li[data-visibility='shown-to-researcher']")).contains("申請人可見");
    check("review-comments");
    decide("request-changes", "The title must name the outcome measured; see the comment on county.");
    assertThat(text("#decided-state")).contains("需修改", "輪到申請人");
    check("review-decided-changes");

    // ---- the researcher edits and resubmits
    browser();
    open("/research/");
    signIn("researcher-demo", "/research/");
    waitForView("view-list");
    assertThat(text("#notifications")).contains("asked for changes to application " + number);
    check("research-notifications");
    int unread = ((Number) evaluate("document.querySelectorAll('#notifications li.unread').length")).intValue();
    assertThat(unread).isPositive();
    tap("#notifications li.unread button");
    waitFor("document.querySelectorAll('#notifications li.unread').length === " + (unread - 1), Chromium.STEP, "a notification read");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    assertThat(text("#tasks-state")).contains("需修改", "Changes requested", "輪到申請人");
    assertThat(text("#tasks-comments")).contains("Please say why the <b>county</b> is needed", "The title must name the outcome")
        .doesNotContain("disclosure team");
    check("research-changes-requested");
    tap("#task-project");
    waitForView("view-project");
    type("#title", "Outpatient visits per year among people with diabetes and hypertension, 2022-2023");
    saveSection("project");
    tap("#to-check");
    waitForView("view-check");
    tap("#submit");
    waitForView("view-submitted");
    check("research-resubmitted");

    // ---- the reviewer compares the versions and approves
    browser();
    open("/review/");
    signIn("reviewer-demo", "/review/");
    waitForView("view-queue");
    openReview(number);
    assertThat(text("#review-state")).contains("第 2 版");
    tap("#diff-form button[type='submit']");
    waitFor("!document.getElementById('diff-result').hidden", Chromium.STEP, "the diff");
    assertThat(text("#diff tr[data-field='title']")).contains("Diabetes and hypertension outcomes 2022-2023",
        "Outpatient visits per year among people with diabetes and hypertension, 2022-2023");
    check("review-diff");
    decide("approve", "The data asked for is the minimum the study needs.");
    assertThat(text("#decided-state")).contains("已核准", "已結案", "The extract is queued");
    check("review-approved");

    // ---- the researcher sees the decision
    browser();
    open("/research/");
    signIn("researcher-demo", "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    assertThat(text("#tasks-state")).contains("已核准", "已結案");
    assertThat(visible("#to-check")).isFalse();
    assertThat(exists("#task-project")).as("a decided application is not edited").isFalse();
    check("research-approved");

    // A researcher on the reviewers' page is told it is not theirs (and the API would refuse them anyway).
    open("/review/");
    assertThat(visible("#wrong-role")).isTrue();
    assertThat(visible("#view-queue")).isFalse();
    check("review-wrong-role");

    // Nothing in any address the pages visited names an application or a person.
    assertThat((String) evaluate("location.href")).doesNotContain("?").doesNotContain("#");
  }

  @Test
  void aResearcherWatchesThePreviewAndTheDeliveryLiveAndAnOutputPassesTwoCheckersUntilAReviewerClosesTheProject() throws Exception {
    // a complete draft with its ethics approval (the form's pages are the test above)
    String id = draft(RESEARCHER, COMPLETE);
    assertThat(uploadEthics(id, RESEARCHER, pdf(1), "application/pdf").statusCode()).isEqualTo(200);
    long number = body(getAs("/api/v1/applications/" + id, RESEARCHER)).get("number").asLong();
    String project = "application-" + number;

    // ---- the impact preview, live: queued, running with its progress, then the result
    browser();
    open("/research/");
    signIn(RESEARCHER, "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    assertThat(text("#preview-result")).isEmpty();
    tap("#run-preview");
    waitFor(status("#preview-status", "queued"), Chromium.STEP, "the preview queued");
    check("research-preview-queued");
    UUID preview = latestJob(id, "preview");
    RUNNER.run(preview, 40, null, null);
    waitFor(status("#preview-status", "running") + " && document.querySelector('#preview-status progress')?.value === 40", Chromium.STEP,
        "the preview running at 40 %");
    check("research-preview-running");
    RUNNER.run(preview, 90, "succeeded", """
        {"kind":"preview","cohort":1230,"optedOut":null,"remaining":1220,"registryCheckpoint":{"origin":"nhi-optout.example/registry","size":48,"rootHash":"abc"},
         "representativeness":{"flagThreshold":0.1,"flaggedDimensions":["county"],"dimensions":[
           {"name":"county","flagged":true,"largestDifference":0.14,"categories":[
             {"name":"Taipei City","shown":true,"before":620,"after":600,"standardisedDifference":-0.14},
             {"name":"Lienchiang County","shown":false,"standardisedDifference":0.0}]},
           {"name":"sex","flagged":false,"largestDifference":0.01,"categories":[
             {"name":"F","shown":true,"before":610,"after":600,"standardisedDifference":0.01}]}]}}""");
    waitFor("document.getElementById('preview-result-body') !== null", Chromium.STEP, "the preview's result");
    assertThat(text("#preview-cohort")).contains("1,230");
    assertThat(text("#preview-opted-out")).contains("不顯示", "suppressed");
    assertThat(text("#preview-remaining")).contains("1,220");
    assertThat(attribute("#preview-flagged", "data-flagged")).isEqualTo("county");
    assertThat(text("#preview-report table[data-dimension='county']")).contains("Lienchiang County", "suppressed");
    check("research-preview-done");
    tap("#to-check");
    waitForView("view-check");
    tap("#submit");
    waitForView("view-submitted");

    // ---- the reviewer sees the preview of the version under review, and approves
    browser();
    open("/review/");
    signIn(REVIEWER, "/review/");
    waitForView("view-queue");
    openReview(number);
    waitFor("document.getElementById('review-preview-result-body') !== null", Chromium.STEP, "the preview in the review");
    assertThat(text("#review-preview-cohort")).contains("1,230");
    assertThat(attribute("#review-preview-flagged", "data-flagged")).isEqualTo("county");
    check("review-with-preview");
    decide("approve", "The data asked for is the minimum the study needs.");

    // ---- the delivery, live: the extract running, then the verified manifest, the tables and the report
    UUID extract = latestJob(id, "extract");
    RUNNER.run(extract, 30, null, null);
    browser();
    open("/research/");
    signIn(RESEARCHER, "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    tap("#to-delivery");
    waitForView("view-delivery");
    waitFor(status("#delivery-status", "running"), Chromium.STEP, "the extract running");
    check("research-delivery-running");
    String extractId = "EX-20261206-" + extract.toString().substring(0, 8);
    RUNNER.releaseExtract(extract, project, extractId, "{\"extractId\":\"" + extractId + "\",\"format\":\"nhi-optout-extract-manifest/1\","
        + "\"spec\":{\"project\":\"" + project + "\",\"purpose\":\"academic-research\"},"
        + "\"registry\":{\"checkpoint\":{\"origin\":\"nhi-optout.example/registry\",\"size\":48,\"rootHash\":\"q83vEjRWeJA=\"}},"
        + "\"persons\":{\"inCohort\":1231,\"excluded\":9,\"included\":1222}}",
        "{\"personsBefore\":1231,\"personsAfter\":1222,\"dimensions\":[{\"name\":\"sex\",\"flagged\":false,\"largestDifference\":0.01,"
        + "\"categories\":[{\"name\":\"F\",\"shown\":true,\"before\":615,\"after\":611,\"standardisedDifference\":0.01}]}]}",
        "{\"enrollment\":1222,\"outpatient_visit\":15800}");
    waitFor("!document.getElementById('delivery-result').hidden", Chromium.STEP, "the delivered extract");
    assertThat(attribute("#delivery-verified p", "data-verified")).isEqualTo("true");
    // this test's portal knows no registry log key: the page says the checkpoint is not verified rather than keep quiet
    assertThat(attribute("#delivery-verified [data-checkpoint-verified]", "data-checkpoint-verified")).isEqualTo("false");
    assertThat(text("#delivery-verified")).contains("簽章已驗證", "Signature verified");
    assertThat(text("#delivery-manifest")).contains(extractId, "registry checkpoint 48", "included 1222");
    assertThat(text("#delivery-tables tr[data-table='outpatient_visit']")).contains("nhi.project_application_" + number + ".outpatient_visit", "15,800");
    assertThat(attribute("#persons-removed", "data-removed")).isEqualTo("0");
    assertThat(text("#delivery-propagation")).contains("0 persons removed since delivery");
    check("research-delivery");

    // ---- an output: refused without its answers, then sent; it waits for two checkers
    tap("#view-delivery [data-action='back-to-tasks']");
    waitForView("view-tasks");
    tap("#to-outputs");
    waitForView("view-outputs");
    assertThat(attribute("#project-status", "data-status")).isEqualTo("open");
    check("research-outputs");
    tap("#output-form button[type='submit']");
    waitFor("!document.getElementById('output-errors').hidden", Chromium.STEP, "the output's error summary");
    assertThat(exists("#output-errors a[href='#output-table']")).isTrue();
    check("research-output-refused");
    type("#output-description", "Persons with diabetes by county, 2022-2023");
    tap("#rules-small-cell");
    type("#output-table", "county,persons\nTaipei City,620\nNew Taipei City,540\nTaichung City,410\n");
    tap("#output-form button[type='submit']");
    waitFor("document.querySelector(\"#outputs tr[data-output='1']\") !== null", Chromium.STEP, "the output listed");
    assertThat(text("#outputs tr[data-output='1']")).contains("等待兩位審查人檢核", "approvals 0 of 2");
    check("research-output-awaiting");

    // ---- two checkers, neither the requester: the first approves, the second releases it
    for (String checker : List.of(REVIEWER, RESEARCH_REVIEWER)) {
      browser();
      open("/review/");
      signIn(checker, "/review/");
      waitForView("view-queue");
      tap("#to-checks");
      waitForView("view-checks");
      check("review-output-queue-" + checker);
      tap("#check-queue button[data-output='" + project + "/1']");
      waitForView("view-check");
      assertThat(text("#check-original")).contains("Taipei City,620");
      assertThat(text("#check-report")).isNotEmpty();
      if (checker.equals(REVIEWER)) {
        tap("#check-form button[type='submit']");
        waitFor("!document.getElementById('check-errors').hidden", Chromium.STEP, "the check's error summary");
        assertThat(exists("#check-errors a[href='#check-outcome-group']")).isTrue();
        check("review-output-check-refused");
      }
      check("review-output-check-" + checker);
      tap("#check-approve");
      type("#check-reason", "Only aggregate counts, all above the threshold.");
      tap("#check-form button[type='submit']");
      waitFor("document.getElementById('check-form').hidden", Chromium.STEP, "the check recorded");
      check("review-output-checked-" + checker);
    }
    assertThat(attribute("#check-status", "data-status")).isEqualTo("released");

    // ---- the researcher reads the decision record and downloads the released table
    browser();
    open("/research/");
    signIn(RESEARCHER, "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    tap("#to-outputs");
    waitForView("view-outputs");
    assertThat(text("#outputs tr[data-output='1']")).contains("已核可釋出", "Released", "approvals 2 of 2", "Only aggregate counts");
    check("research-output-released");
    // the download as the page hands it to the browser (a blob behind a temporary link), caught before the browser saves it
    evaluate("window.__saved = []; URL.createObjectURL = (blob) => { window.__saved.push(blob); return 'blob:saved'; };"
        + " HTMLAnchorElement.prototype.click = function () {}; true");
    tap("#outputs [data-download='1']");
    waitFor("window.__saved.length === 1", Chromium.STEP, "the released table downloaded");
    assertThat((String) evaluate("window.__saved[0].text()")).contains("Taipei City");
    assertThat(text("#page-alert")).isEmpty();

    // ---- a reviewer closes the project with a reason; the researcher sees it closed
    browser();
    open("/review/");
    signIn(REVIEWER, "/review/");
    waitForView("view-queue");
    tap("#to-checks");
    waitForView("view-checks");
    type("#lookup-project", project);
    tap("#lookup-form button[type='submit']");
    waitForView("view-project");
    assertThat(attribute("#project-status", "data-status")).isEqualTo("open");
    tap("#close-form button[type='submit']");
    waitFor("!document.getElementById('close-errors').hidden", Chromium.STEP, "the closing's error summary");
    check("review-project-close-refused");
    type("#close-reason", "The study ended; its results are published.");
    tap("#close-form button[type='submit']");
    waitFor("document.getElementById('project-status').dataset.status === 'closed'", Chromium.STEP, "the project closed");
    assertThat(text("#project-state")).contains("The study ended");
    check("review-project-closed");

    browser();
    open("/research/");
    signIn(RESEARCHER, "/research/");
    waitForView("view-list");
    tap("#applications button[data-application='" + number + "']");
    waitForView("view-tasks");
    tap("#to-outputs");
    waitForView("view-outputs");
    assertThat(attribute("#project-status", "data-status")).isEqualTo("closed");
    assertThat(visible("#output-new")).isFalse();
    check("research-project-closed");
  }
}
