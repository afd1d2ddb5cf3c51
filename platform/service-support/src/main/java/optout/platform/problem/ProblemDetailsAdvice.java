package optout.platform.problem;

import jakarta.validation.ConstraintViolationException;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import optout.platform.limits.BodySizeLimitFilter;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every exception that reaches Spring MVC into RFC 9457 problem details. Validation errors
 * name the field and the rule, never the rejected value: a value may be a national ID.
 */
@RestControllerAdvice
public class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

  @Override
  protected ResponseEntity<Object> handleMethodArgumentNotValid(
      MethodArgumentNotValidException invalid, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    ProblemDetail problem = invalid.getBody();
    problem.setType(ProblemResponses.type("invalid-request"));
    problem.setProperty("errors", invalid.getBindingResult().getFieldErrors().stream()
        .map(error -> Map.of("field", field(error.getField()), "message", String.valueOf(error.getDefaultMessage())))
        .toList());
    return handleExceptionInternal(invalid, problem, headers, status, request);
  }

  /**
   * A field's path with every map key masked ({@code tables[A123456789]} becomes {@code tables[…]}): a key
   * is a value the caller sent and may be an ID. List indexes stay, they say which element is meant.
   */
  static String field(String path) {
    return path.replaceAll("<[KV]>", "").replaceAll("\\[(?![0-9]+\\])[^\\]]*\\]", "[…]");
  }

  /** A body that is not JSON, or not the JSON expected; or one that grew past its size limit while read. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException unreadable, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    for (Throwable cause = unreadable; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodySizeLimitFilter.BodyTooLargeException tooLarge) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, tooLarge.getMessage());
        problem.setType(ProblemResponses.type("body-too-large"));
        problem.setTitle("Request body too large");
        return handleExceptionInternal(unreadable, problem, headers, HttpStatus.CONTENT_TOO_LARGE, request);
      }
    }
    // the parser's message may quote the body, which may hold an ID: say only what kind of fault it is
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
        "The request body is not the JSON this endpoint expects (malformed JSON, a wrong type, or an unknown value).");
    problem.setType(ProblemResponses.type("malformed-request"));
    problem.setTitle("Malformed request");
    return handleExceptionInternal(unreadable, problem, headers, HttpStatus.BAD_REQUEST, request);
  }

  @ExceptionHandler(ConstraintViolationException.class)
  ResponseEntity<ProblemDetail> constraintViolation(ConstraintViolationException invalid) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "The request is not valid.");
    problem.setType(ProblemResponses.type("invalid-request"));
    problem.setTitle("Invalid request");
    List<Map<String, String>> errors = invalid.getConstraintViolations().stream()
        .map(v -> Map.of("field", field(v.getPropertyPath().toString()), "message", v.getMessage()))
        .toList();
    problem.setProperty("errors", errors);
    return ResponseEntity.badRequest().body(ProblemResponses.withRequestId(problem));
  }

  /** The last resort: a 500 that says nothing about the failure except the request ID to quote. */
  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception failure) throws Exception {
    if (failure instanceof AccessDeniedException || failure instanceof AuthenticationException) {
      throw failure; // Spring Security answers these with 401/403.
    }
    log.error("Unhandled exception", failure);
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
        "The request could not be completed. Quote the request ID when you report this.");
    problem.setType(ProblemResponses.type("internal-error"));
    problem.setTitle("Internal error");
    return ResponseEntity.internalServerError().body(ProblemResponses.withRequestId(problem));
  }

  @Override
  protected ResponseEntity<Object> createResponseEntity(
      Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem) {
      ProblemResponses.withRequestId(problem);
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }
}
