package optout.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;

/**
 * Told of every request the security filters refused to an authenticated caller (403: their roles do not
 * allow it), so that a service whose every attempt must be on record (the trust centre) can audit it. Not
 * told of unauthenticated requests (401), which anyone can send in any number. A listener must not throw;
 * the refusal is answered whatever it does.
 */
public interface AccessRefusalListener {

  void refused(HttpServletRequest request, Authentication caller);
}
