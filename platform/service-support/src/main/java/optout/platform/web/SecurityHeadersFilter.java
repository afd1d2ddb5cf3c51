package optout.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A strict Content Security Policy and its companions on every response of a service with pages (the
 * consent service, the research portal). The pages load only their own scripts and styles (no inline
 * code, no eval, Trusted Types enforced, so no HTML is ever built from strings), talk only to this
 * service and to Keycloak's token endpoint, and may not be framed. Spring Security adds
 * {@code X-Content-Type-Options}, {@code X-Frame-Options} and the cache headers.
 */
public final class SecurityHeadersFilter extends OncePerRequestFilter {

  private final String contentSecurityPolicy;

  public SecurityHeadersFilter(URI issuer) {
    this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
        + " font-src 'self'; connect-src 'self' " + origin(issuer) + "; object-src 'none'; base-uri 'none';"
        + " form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";
  }

  /** scheme://host[:port] of the issuer: the token endpoint the pages call lies there. */
  public static String origin(URI issuer) {
    return issuer.getScheme() + "://" + issuer.getHost() + (issuer.getPort() == -1 ? "" : ":" + issuer.getPort());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("Content-Security-Policy", contentSecurityPolicy);
    // The OAuth code (and the consent pages' verification codes) travel in page URLs: never pass them on as a referrer.
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), hid=(), serial=()");
    chain.doFilter(request, response);
  }
}
