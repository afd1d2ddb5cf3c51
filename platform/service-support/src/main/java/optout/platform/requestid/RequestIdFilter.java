package optout.platform.requestid;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an ID (the caller's {@code X-Request-Id} if well-formed, else a new one), puts
 * it in the logging context and echoes it in the response. Runs before security, so refusals carry
 * it too.
 */
public final class RequestIdFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String id = RequestIds.acceptOrCreate(request.getHeader(RequestIds.HEADER));
    MDC.put(RequestIds.MDC_KEY, id);
    response.setHeader(RequestIds.HEADER, id);
    try {
      chain.doFilter(request, response);
    } finally {
      MDC.remove(RequestIds.MDC_KEY);
    }
  }
}
