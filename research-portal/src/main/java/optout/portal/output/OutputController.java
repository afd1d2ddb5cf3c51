package optout.portal.output;

import static optout.platform.security.PlatformRole.RESEARCHER;
import static optout.platform.security.PlatformRole.REVIEWER;
import static optout.platform.security.PlatformRole.authorities;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import optout.platform.problem.ProblemResponses;
import optout.platform.security.ApiAuthorization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Output release and project end: the researcher's outputs under their project, the output checkers'
 * queue and decisions, the project's status and its closing by an approver.
 */
@RestController
@Validated
@Tag(name = "outputs")
class OutputController {

  static final String PROJECTS = "/api/v1/projects";
  static final String CHECKS = "/api/v1/output-checks";

  private final OutputDesk outputs;
  private final ProjectDesk projects;
  private final RefusedOutputs refused;

  OutputController(OutputDesk outputs, ProjectDesk projects, RefusedOutputs refused) {
    this.outputs = outputs;
    this.projects = projects;
    this.refused = refused;
  }

  @Configuration(proxyBeanMethods = false)
  static class Access {
    /** Researchers ask for outputs of their own projects; reviewers check them and close projects; both read a project. */
    @Bean
    ApiAuthorization outputAccess() {
      return rules -> rules
          .requestMatchers(HttpMethod.GET, PROJECTS + "/*").hasAnyAuthority(authorities(RESEARCHER, REVIEWER))
          .requestMatchers(HttpMethod.POST, PROJECTS + "/*/close").hasAnyAuthority(authorities(REVIEWER))
          .requestMatchers(PROJECTS + "/*/outputs", PROJECTS + "/*/outputs/**").hasAnyAuthority(authorities(RESEARCHER))
          .requestMatchers(CHECKS, CHECKS + "/**").hasAnyAuthority(authorities(REVIEWER));
    }
  }

  record NewOutput(
      @NotBlank(message = "say what the table is: the checkers and the public register read it") @Size(max = 4000) String description,
      @NotNull(message = "choose small-cell or opensafely")
      @Pattern(regexp = "small-cell|opensafely", message = "must be small-cell or opensafely") String rules,
      @NotNull(message = "send the table as CSV text") String table) {}

  record NewCheck(
      @NotNull @Pattern(regexp = "approve|reject", message = "must be approve or reject") String outcome,
      @NotBlank(message = "give the reason: it is part of the decision record") @Size(max = 4000) String reason) {}

  record Closing(@NotBlank(message = "give the reason the project ends") @Size(max = 4000) String reason) {}

  @PostMapping(PROJECTS + "/{project}/outputs")
  @Operation(summary = "Ask to release an aggregate result (CSV text of at most 256 KB); the automatic output check and the differencing "
      + "check run at once: 422 with every problem, or the output awaiting two checkers")
  ResponseEntity<OutputDesk.OutputView> submit(JwtAuthenticationToken caller, @PathVariable String project, @RequestBody @Valid NewOutput output,
      @RequestHeader(name = "Idempotency-Key", required = false)
      @Pattern(regexp = "[A-Za-z0-9._:-]{8,64}", message = "must be 8 to 64 letters, digits or ._:-") String idempotencyKey) {
    byte[] table = output.table().getBytes(StandardCharsets.UTF_8);
    OutputDesk.Submitted submitted;
    try {
      submitted = outputs.submit(caller.getToken().getSubject(), project, output.description(), output.rules(), table, idempotencyKey);
    } catch (OutputRequest.RefusedOutputException e) {
      refused.record(caller.getToken().getSubject(), project, output.rules(), table, e.problemType(),
          e.problems().stream().map(OutputRequest.Problem::rule).toList());
      throw e;
    } catch (ErrorResponseException e) {
      // someone else's, unknown, unapproved or closed project: its transaction stored nothing, this records the attempt
      refused.record(caller.getToken().getSubject(), project, output.rules(), table, problemName(e), List.of());
      throw e;
    }
    return ResponseEntity.status(submitted.created() ? HttpStatus.CREATED : HttpStatus.OK)
        .header(HttpHeaders.LOCATION, PROJECTS + "/" + project + "/outputs/" + submitted.output().number())
        .body(submitted.output());
  }

  @GetMapping(PROJECTS + "/{project}/outputs")
  @Operation(summary = "The project's outputs, oldest first, each with its status and checks")
  List<OutputDesk.OutputView> list(JwtAuthenticationToken caller, @PathVariable String project) {
    return outputs.list(caller.getToken().getSubject(), project);
  }

  @GetMapping(PROJECTS + "/{project}/outputs/{number}")
  @Operation(summary = "One output: status, whose turn, the decision record")
  OutputDesk.OutputView output(JwtAuthenticationToken caller, @PathVariable String project, @PathVariable @Min(1) int number) {
    return outputs.output(caller.getToken().getSubject(), project, number);
  }

  @GetMapping(PROJECTS + "/{project}/outputs/{number}/released.csv")
  @Operation(summary = "The checked version, once two checkers approved it (409 not-released before)")
  ResponseEntity<String> download(JwtAuthenticationToken caller, @PathVariable String project, @PathVariable @Min(1) int number) {
    OutputDesk.Download download = outputs.download(caller.getToken().getSubject(), project, number);
    return ResponseEntity.ok()
        .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
        .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
            .filename(download.project() + "-output-" + download.number() + ".csv").build().toString())
        .header("X-Content-SHA256", download.sha256())
        .header("X-Content-Type-Options", "nosniff")
        .header(HttpHeaders.CACHE_CONTROL, "no-store")
        .body(download.csv());
  }

  @GetMapping(PROJECTS + "/{project}")
  @Operation(summary = "The project: open or closed, when and why it was closed, and its close job")
  ProjectDesk.ProjectView project(JwtAuthenticationToken caller, @PathVariable String project) {
    boolean reviewer = caller.getAuthorities().stream().anyMatch(a -> List.of(authorities(REVIEWER)).contains(a.getAuthority()));
    return reviewer ? projects.forReviewer(caller.getToken().getSubject(), project) : projects.forResearcher(caller.getToken().getSubject(), project);
  }

  @PostMapping(PROJECTS + "/{project}/close")
  @Operation(summary = "Close the project (a reviewer, not its researcher): records when and queues the destruction of its keys and tables")
  ProjectDesk.ProjectView close(JwtAuthenticationToken caller, @PathVariable String project, @RequestBody @Valid Closing closing) {
    return projects.close(caller.getToken().getSubject(), project, closing.reason());
  }

  @GetMapping(CHECKS + "/refused")
  @Operation(summary = "Refused output uploads of every project, newest first (at most 200): who, which project, when, why, the upload's SHA-256 and size")
  List<RefusedOutputs.RefusedAttempt> refused() {
    return refused.recent();
  }

  private static String problemName(ErrorResponseException e) {
    String type = e.getBody().getType() == null ? "" : e.getBody().getType().toString();
    return type.startsWith(ProblemResponses.TYPE_PREFIX) ? type.substring(ProblemResponses.TYPE_PREFIX.length()) : "refused";
  }

  @GetMapping(CHECKS)
  @Operation(summary = "Outputs awaiting checks that the caller may check, oldest first")
  List<OutputDesk.QueueItem> queue(JwtAuthenticationToken caller) {
    return outputs.queue(caller.getToken().getSubject());
  }

  @GetMapping(CHECKS + "/{id}")
  @Operation(summary = "An output to check: the uploaded table, the checked version and the check's report")
  OutputDesk.CheckerView forChecker(JwtAuthenticationToken caller, @PathVariable UUID id) {
    return outputs.forChecker(caller.getToken().getSubject(), id);
  }

  @PostMapping(CHECKS + "/{id}/decision")
  @Operation(summary = "Approve or reject, with the reason; once per checker; two approvals release the output, one rejection rejects it")
  OutputDesk.CheckerView decide(JwtAuthenticationToken caller, @PathVariable UUID id, @RequestBody @Valid NewCheck check) {
    return outputs.decide(caller.getToken().getSubject(), id, check.outcome().equals("approve"), check.reason());
  }

  /** Refused outputs and checks as problem details. */
  @RestControllerAdvice(assignableTypes = OutputController.class)
  @Order(Ordered.HIGHEST_PRECEDENCE)
  static class Problems {

    @ExceptionHandler(OutputRequest.RefusedOutputException.class)
    ProblemDetail refused(OutputRequest.RefusedOutputException refused) {
      HttpStatus status = switch (refused.problemType()) {
        case "body-too-large" -> HttpStatus.CONTENT_TOO_LARGE;
        default -> HttpStatus.UNPROCESSABLE_CONTENT;
      };
      ProblemDetail problem = ProblemResponses.problem(status, refused.problemType(), switch (refused.problemType()) {
        case "output-differencing" -> "Gives away what earlier outputs hide";
        case "body-too-large" -> "Request body too large";
        default -> "Not a table the output check accepts";
      }, refused.getMessage());
      problem.setProperty("errors", refused.problems().stream()
          .map(p -> Map.of("field", p.field(), "rule", p.rule(), "message", p.message())).toList());
      return problem;
    }

    @ExceptionHandler(OutputStatus.RefusedCheckException.class)
    ProblemDetail check(OutputStatus.RefusedCheckException refused) {
      HttpStatus status = refused.problemType().equals("own-output") ? HttpStatus.FORBIDDEN : HttpStatus.CONFLICT;
      return ProblemResponses.problem(status, refused.problemType(), switch (refused.problemType()) {
        case "own-output" -> "Your own output";
        case "already-checked" -> "Already checked";
        default -> "Already decided";
      }, refused.getMessage());
    }
  }
}
