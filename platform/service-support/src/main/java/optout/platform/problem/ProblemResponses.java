package optout.platform.problem;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import optout.platform.requestid.RequestIds;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds and writes RFC 9457 problem details, the one error format of every service.
 *
 * <p>Problem types are URNs under {@value #TYPE_PREFIX} (stable names a client may switch on). Every
 * problem carries the request ID, so a citizen or clerk can quote it and an operator can find the
 * request in the logs; no problem ever echoes what the caller sent.
 */
public final class ProblemResponses {

  public static final String TYPE_PREFIX = "urn:nhi-optout:problem:";

  private final JsonMapper json;

  public ProblemResponses(JsonMapper json) {
    this.json = json;
  }

  public static URI type(String name) {
    return URI.create(TYPE_PREFIX + name);
  }

  public ProblemDetail of(HttpStatus status, String typeName, String title, String detail, HttpServletRequest request) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type(typeName));
    problem.setTitle(title);
    problem.setInstance(URI.create(request.getRequestURI()));
    withRequestId(problem);
    return problem;
  }

  /**
   * An exception that Spring MVC answers with this problem (status, type, title, detail), for a
   * service's own refusals.
   */
  public static org.springframework.web.ErrorResponseException exception(
      HttpStatus status, String typeName, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type(typeName));
    problem.setTitle(title);
    return new org.springframework.web.ErrorResponseException(status, problem, null);
  }

  /** A service's own refusal as a problem with the request's ID, for {@code @ExceptionHandler} methods. */
  public static ProblemDetail problem(HttpStatus status, String typeName, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(type(typeName));
    problem.setTitle(title);
    return withRequestId(problem);
  }

  /** Adds the current request's ID, if there is one. */
  public static ProblemDetail withRequestId(ProblemDetail problem) {
    RequestIds.current().ifPresent(id -> problem.setProperty("requestId", id));
    return problem;
  }

  /** Writes a problem from outside Spring MVC (security filters), where no message converter runs. */
  public void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", problem.getType().toString());
    body.put("title", problem.getTitle());
    body.put("status", problem.getStatus());
    body.put("detail", problem.getDetail());
    if (problem.getInstance() != null) {
      body.put("instance", problem.getInstance().toString());
    }
    if (problem.getProperties() != null) {
      body.putAll(problem.getProperties());
    }
    response.setStatus(problem.getStatus());
    response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    json.writeValue(response.getOutputStream(), body);
  }
}
