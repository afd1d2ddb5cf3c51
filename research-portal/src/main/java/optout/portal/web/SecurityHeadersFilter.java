package optout.portal.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The consent service's strict Content Security Policy and its companions, on every response: the
 * pages load only their own scripts and styles (no inline code, no eval, Trusted Types enforced, so
 * no HTML is ever built from strings), talk only to this service and Keycloak's token endpoint, and
 * may not be framed.
 */
final class SecurityHeadersFilter extends OncePerRequestFilter {

  private final String contentSecurityPolicy;

  SecurityHeadersFilter(URI issuer) {
    this.contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:;"
        + " font-src 'self'; connect-src 'self' " + origin(issuer) + "; object-src 'none'; base-uri 'none';"
        + " form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'";
  }

  /** scheme://host[:port] of the issuer: the token endpoint the pages call lies there. */
  static String origin(URI issuer) {
    return issuer.getScheme() + "://" + issuer.getHost() + (issuer.getPort() == -1 ? "" : ":" + issuer.getPort());
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("Content-Security-Policy", contentSecurityPolicy);
    // The OAuth code travels in the page's URL on the way back from Keycloak: never pass it on as a referrer.
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    response.setHeader("Cross-Origin-Resource-Policy", "same-origin");
    response.setHeader("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), hid=(), serial=()");
    chain.doFilter(request, response);
  }
}
