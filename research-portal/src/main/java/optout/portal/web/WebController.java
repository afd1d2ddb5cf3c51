package optout.portal.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import optout.platform.security.ResourceServerProperties;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the static pages (src/main/resources/static) need besides the API: where to sign in. */
@RestController
@Tag(name = "pages")
class WebController {

  static final String WEB_CONFIG = "/web-config";

  /**
   * @param issuer the Keycloak realm the pages sign in with (authorization code + PKCE)
   * @param clientId the realm's public client for pages
   */
  record WebConfig(String issuer, String clientId) {}

  private final WebConfig config;

  WebController(ResourceServerProperties security, WebProperties properties) {
    this.config = new WebConfig(security.issuer().toString(), properties.clientId());
  }

  @GetMapping(value = WEB_CONFIG, produces = MediaType.APPLICATION_JSON_VALUE)
  @Operation(summary = "What the pages need to sign in")
  ResponseEntity<WebConfig> webConfig() {
    return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(config);
  }
}
