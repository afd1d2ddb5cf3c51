package optout.platform.limits;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import optout.platform.problem.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.unit.DataSize;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies larger than a service expects, before anything reads them: 413 with a problem
 * body when the declared length is too large, and the same when a body without a declared length
 * (chunked) grows past the limit while it is read. Paths that stream large bodies (a bulk check) name
 * their own limit.
 */
public final class BodySizeLimitFilter extends OncePerRequestFilter {

  private final DataSize defaultLimit;
  private final Map<String, DataSize> pathLimits;
  private final ProblemResponses problems;

  public BodySizeLimitFilter(DataSize defaultLimit, Map<String, DataSize> pathLimits, ProblemResponses problems) {
    this.defaultLimit = defaultLimit;
    this.pathLimits = Map.copyOf(pathLimits);
    this.problems = problems;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long limit = limitFor(request.getRequestURI());
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      refuse(request, response, limit);
      return;
    }
    chain.doFilter(declared >= 0 ? request : new CountingRequest(request, limit), response);
  }

  long limitFor(String path) {
    return pathLimits.entrySet().stream()
        .filter(e -> path.startsWith(e.getKey()))
        .mapToLong(e -> e.getValue().toBytes())
        .max().orElse(defaultLimit.toBytes());
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, long limit) throws IOException {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE,
        "The request body is larger than this endpoint accepts (" + limit + " bytes).");
    problem.setType(ProblemResponses.type("body-too-large"));
    problem.setTitle("Request body too large");
    problem.setInstance(java.net.URI.create(request.getRequestURI()));
    problems.write(response, ProblemResponses.withRequestId(problem));
  }

  /** Thrown while reading a body that grew past its limit; answered with 413. */
  public static final class BodyTooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
      super("The request body is larger than this endpoint accepts (" + limit + " bytes).");
    }
  }

  private static final class CountingRequest extends HttpServletRequestWrapper {
    private final long limit;
    private ServletInputStream stream;

    CountingRequest(HttpServletRequest request, long limit) {
      super(request);
      this.limit = limit;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (stream == null) {
        ServletInputStream in = super.getInputStream();
        stream = new ServletInputStream() {
          private long read;

          @Override
          public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
              count(1);
            }
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
              count(n);
            }
            return n;
          }

          private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
              throw new BodyTooLargeException(limit);
            }
          }

          @Override
          public boolean isFinished() {
            return in.isFinished();
          }

          @Override
          public boolean isReady() {
            return in.isReady();
          }

          @Override
          public void setReadListener(ReadListener listener) {
            in.setReadListener(listener);
          }
        };
      }
      return stream;
    }
  }
}
